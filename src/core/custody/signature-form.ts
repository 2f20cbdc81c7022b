import type { Hex } from "../bytes";

/** Half the secp256k1 group order: an s above it is the malleable twin of a valid signature. */
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/**
 * Whether a 65-byte signature (r, s, v) is in the one form OpenZeppelin's ECDSA accepts: s in the
 * lower half of the order and v 27 or 28. Its twin (n - s, v flipped) recovers the same key, so
 * accepting both would let anyone turn one signed message into two distinct signatures.
 */
export function isCanonicalSignature(signature: string): signature is Hex {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) return false;
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = parseInt(signature.slice(130, 132), 16);
  return s > 0n && s <= HALF_ORDER && (v === 27 || v === 28);
}
