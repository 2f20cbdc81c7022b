import { sha256 } from "@noble/hashes/sha2";

/**
 * The CID of bytes stored as one raw block (CIDv1, codec raw 0x55, sha2-256, base32 with multibase
 * prefix "b"): what the content store, like Kubo's `ipfs add --cid-version 1 --raw-leaves`, gives
 * any content of at most one chunk (256 KiB). Pure, so a browser can tell that bytes it was served
 * are the bytes a CID on the chain names.
 */
export function rawCid(bytes: Uint8Array): string {
  // version 1, codec raw, multihash sha2-256 of 32 bytes, then the digest
  const cid = new Uint8Array(4 + 32);
  cid.set([0x01, 0x55, 0x12, 0x20]);
  cid.set(sha256(bytes), 4);
  return `b${base32(cid)}`;
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

/** RFC 4648 base32, lower case, without padding (multibase "b"). */
function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}
