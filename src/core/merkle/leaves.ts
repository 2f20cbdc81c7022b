import { keccak_256 } from "@noble/hashes/sha3";
import { encodeAbiParameters, parseAbiParameters } from "viem";
import { abiEncode, isFastAbi } from "../abi/abi-encode";
import { fromHex, toHex, type Hex } from "../bytes";
import { ALPHABET_CODES, REJECT_FROM, type RandomSource } from "../codes/serials";
import { kernel } from "./kernel";

/**
 * Leaf encodings shared with contracts/libraries/Leaves.sol, in OpenZeppelin StandardMerkleTree
 * form: keccak256(keccak256(abi.encode(...values))). test/vectors/leaves.json pins them.
 */

/** A serial code's leaf: it binds the GTIN and the serial; the batch root binds the batch. */
export const CODE_LEAF_ENCODING = ["uint256", "string"] as const;
/** A commitment entry's leaf: its kind and EIP-712 digest. */
export const COMMITMENT_LEAF_ENCODING = ["uint8", "bytes32"] as const;
/** An EPCIS event's leaf inside a capture: the event's CBV 2.0 hash (sha-256) as bytes32. */
export const EVENT_LEAF_ENCODING = ["bytes32"] as const;
/** An item of a handover's list: the unit's or container's identifier (Digital Link or EPC URN). */
export const ITEM_LEAF_ENCODING = ["string"] as const;

export const COMMITMENT_KIND = { capture: 1, handover: 2 } as const;
export type CommitmentKind = keyof typeof COMMITMENT_KIND;

/** ABI-encodes one leaf value with the given types as bytes (strings, bytes32 and uints without viem's general encoder). */
export function encodeLeafBytes(types: readonly string[], value: readonly unknown[]): Uint8Array {
  if (value.length !== types.length) {
    throw new TypeError(`leaf has ${value.length} values for ${types.length} types (${types.join(",")})`);
  }
  if (isFastAbi(types)) return abiEncode(types, value);
  return fromHex(encodeAbiParameters(parseAbiParameters(types.join(",")), value as unknown[]));
}

/** ABI-encodes one leaf value with the given types, as 0x-hex. */
export function encodeLeaf(types: readonly string[], value: readonly unknown[]): Hex {
  return toHex(encodeLeafBytes(types, value));
}

/** The standard (double keccak) leaf hash of one value, for any encoding. */
export function standardLeafHash(types: readonly string[], value: readonly unknown[]): Hex {
  return toHex(keccak_256(keccak_256(encodeLeafBytes(types, value))));
}

/** Leaf hashes of many values of any encoding, as n x 32 bytes, hashed in the WebAssembly kernel. */
export function standardLeafHashes(types: readonly string[], values: readonly (readonly unknown[])[]): Uint8Array {
  const encoded = values.map((v) => encodeLeafBytes(types, v));
  const total = encoded.reduce((s, e) => s + e.length, 0);
  const n = values.length;
  const k = kernel();
  const offsetsSize = 4 * (n + 1);
  const base = k.reserve(total + offsetsSize + 32 * n + 8);
  const msgPtr = base;
  const offsetsPtr = (base + total + 3) & ~3;
  const outPtr = offsetsPtr + offsetsSize;
  const mem = k.bytes();
  const offsets = new Uint32Array(mem.buffer, offsetsPtr, n + 1);
  let at = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = at;
    mem.set(encoded[i], msgPtr + at);
    at += encoded[i].length;
  }
  offsets[n] = at;
  k.leafHashes(msgPtr, offsetsPtr, n, outPtr);
  return mem.slice(outPtr, outPtr + 32 * n);
}

const CODE_LEAF_SIZE = 128;
const CODE_CHUNK = 1 << 15;

/** The 32-byte big-endian word of a uint256. */
export function uint256Word(value: bigint): Uint8Array {
  if (value < 0n || value >= 1n << 256n) throw new RangeError(`uint256 out of range: ${value}`);
  return fromHex("0x" + value.toString(16).padStart(64, "0"));
}

/**
 * Leaf hashes of the codes (gtin, serials[i]), as n x 32 bytes: the fast path for releases. The ABI
 * encoding of (uint256, string) with a string of at most 32 ASCII bytes is always 128 bytes, written
 * straight into kernel memory and hashed in chunks.
 */
export function codeLeafHashes(gtin: bigint, serials: readonly string[]): Uint8Array {
  const n = serials.length;
  const out = new Uint8Array(32 * n);
  const gtinWord = uint256Word(gtin);
  const k = kernel();
  const chunk = Math.min(CODE_CHUNK, Math.max(n, 1));
  const base = k.reserve(chunk * CODE_LEAF_SIZE + chunk * 32);
  const mem = k.bytes();
  const outPtr = base + chunk * CODE_LEAF_SIZE;
  // constant parts of every slot: gtin, offset 0x40; length and data are written per serial
  for (let j = 0; j < chunk; j++) {
    const p = base + j * CODE_LEAF_SIZE;
    mem.set(gtinWord, p);
    mem.fill(0, p + 32, p + CODE_LEAF_SIZE);
    mem[p + 63] = 0x40;
  }
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    for (let j = 0; j < m; j++) {
      const s = serials[start + j];
      const p = base + j * CODE_LEAF_SIZE;
      if (s.length === 0 || s.length > 32) throw new RangeError(`serial length ${s.length} outside 1..32`);
      mem[p + 95] = s.length;
      const d = p + 96;
      for (let c = 0; c < s.length; c++) {
        const code = s.charCodeAt(c);
        if (code > 0x7e) throw new RangeError(`serial ${JSON.stringify(s)} is not ASCII`);
        mem[d + c] = code;
      }
      mem.fill(0, d + s.length, d + 32);
    }
    k.leafHashesFixed(base, CODE_LEAF_SIZE, m, outPtr);
    out.set(mem.subarray(outPtr, outPtr + 32 * m), 32 * start);
  }
  return out;
}

/**
 * Leaf hashes of the codes (gtin, serial) for serials packed back to back at one width (a
 * SerialBlock's bytes), serials [from, to): the kernel assembles each 128-byte encoding itself.
 */
export function packedCodeLeafHashes(
  gtin: bigint,
  packed: { width: number; bytes: Uint8Array },
  from = 0,
  to = packed.bytes.length / packed.width,
): Uint8Array {
  const { width, bytes } = packed;
  if (!Number.isInteger(width) || width < 1 || width > 32) throw new RangeError(`serial width ${width} outside 1..32`);
  const n = to - from;
  if (!Number.isInteger(from) || !Number.isInteger(to) || n < 0 || to * width > bytes.length) {
    throw new RangeError(`serials [${from}, ${to}) outside the ${bytes.length / width} given`);
  }
  const out = new Uint8Array(32 * n);
  const k = kernel();
  const chunk = Math.min(CODE_CHUNK * 2, Math.max(n, 1));
  const base = k.reserve(32 + chunk * width + chunk * 32 + 8);
  const serialsPtr = base + 32;
  const outPtr = (serialsPtr + chunk * width + 7) & ~7;
  const mem = k.bytes();
  mem.set(uint256Word(gtin), base);
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const at = (from + start) * width;
    mem.set(bytes.subarray(at, at + m * width), serialsPtr);
    k.codeLeafHashes(base, serialsPtr, width, m, outPtr);
    out.set(mem.subarray(outPtr, outPtr + 32 * m), 32 * start);
  }
  return out;
}

/**
 * Draws `count` random serials of `width` characters straight into kernel memory (rejection
 * sampling, as codes/serials) and hashes their code leaves there: the release fast path, with no
 * per-serial string or copy. Repeats are the caller's to settle: sortLeaves names them.
 */
export function randomCodeLeaves(
  gtin: bigint,
  width: number,
  count: number,
  random: RandomSource,
): { serials: Uint8Array; leaves: Uint8Array } {
  if (!Number.isInteger(width) || width < 1 || width > 20) throw new RangeError(`serial width ${width} outside 1..20`);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count ${count} is not a non-negative integer`);
  const serials = new Uint8Array(count * width);
  const leaves = new Uint8Array(count * 32);
  const k = kernel();
  const chunk = Math.min(CODE_CHUNK * 2, Math.max(count, 1));
  const RANDOM = 65536;
  const base = k.reserve(32 + 64 + RANDOM + chunk * width + chunk * 32 + 8);
  const alphabetPtr = base + 32;
  const rndPtr = alphabetPtr + 64;
  const serialsPtr = rndPtr + RANDOM;
  const outPtr = (serialsPtr + chunk * width + 7) & ~7;
  const mem = k.bytes();
  mem.set(uint256Word(gtin), base);
  mem.set(ALPHABET_CODES, alphabetPtr);
  const rnd = mem.subarray(rndPtr, rndPtr + RANDOM);
  for (let start = 0; start < count; start += chunk) {
    const m = Math.min(chunk, count - start);
    for (let w = 0; w < m * width; ) {
      random(rnd);
      w += k.sampleChars(
        rndPtr,
        RANDOM,
        alphabetPtr,
        ALPHABET_CODES.length,
        REJECT_FROM,
        serialsPtr + w,
        m * width - w,
      );
    }
    k.codeLeafHashes(base, serialsPtr, width, m, outPtr);
    serials.set(mem.subarray(serialsPtr, serialsPtr + m * width), start * width);
    leaves.set(mem.subarray(outPtr, outPtr + 32 * m), 32 * start);
  }
  return { serials, leaves };
}

/** The leaf hash of one code, as hex (for proofs and verification). */
export function codeLeafHash(gtin: bigint, serial: string): Hex {
  return standardLeafHash(CODE_LEAF_ENCODING, [gtin, serial]);
}

/** The leaf hash of a commitment entry. */
export function commitmentLeafHash(kind: CommitmentKind, digest: Hex): Hex {
  return standardLeafHash(COMMITMENT_LEAF_ENCODING, [COMMITMENT_KIND[kind], digest]);
}

/**
 * Leaf hashes of n messages of `size` bytes each (their ABI encoding when every value is a static
 * type: bytes32, or uint8 + bytes32), as n x 32 bytes, in the WebAssembly kernel.
 */
export function fixedLeafHashes(messages: Uint8Array, size: number): Uint8Array {
  const n = messages.length / size;
  if (!Number.isInteger(n)) throw new RangeError(`${messages.length} bytes are not whole ${size}-byte messages`);
  const k = kernel();
  const base = k.reserve(messages.length + 32 * n);
  k.bytes().set(messages, base);
  k.leafHashesFixed(base, size, n, base + messages.length);
  return k.bytes().slice(base + messages.length, base + messages.length + 32 * n);
}

/** The leaf hashes of a capture's events (EVENT_LEAF_ENCODING), from their CBV 2.0 hashes packed as n x 32 bytes. */
export function eventLeafHashes(eventHashes: Uint8Array): Uint8Array {
  return fixedLeafHashes(eventHashes, 32);
}

/** The leaf hashes of commitment entries (COMMITMENT_LEAF_ENCODING), n x 32 bytes. */
export function commitmentLeafHashes(entries: readonly { kind: CommitmentKind; digest: Hex }[]): Uint8Array {
  const messages = new Uint8Array(64 * entries.length);
  entries.forEach((e, i) => {
    messages[64 * i + 31] = COMMITMENT_KIND[e.kind];
    fromHex(e.digest, messages, 64 * i + 32);
  });
  return fixedLeafHashes(messages, 64);
}

/** The leaf hash of an EPCIS event inside a capture, from its 32-byte CBV 2.0 hash. */
export function eventLeafHash(eventHash: Hex): Hex {
  return standardLeafHash(EVENT_LEAF_ENCODING, [eventHash]);
}
