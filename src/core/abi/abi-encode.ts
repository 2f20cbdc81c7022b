import { fromHex } from "../bytes";

/** The ABI types the core's leaves and digests use, encoded here without a general-purpose encoder. */
export type FastAbiType = "string" | "string[]" | "bytes32" | "uint256" | "uint8";
const FAST_TYPES: ReadonlySet<string> = new Set<FastAbiType>(["string", "string[]", "bytes32", "uint256", "uint8"]);

/** Whether every type of a list is one `abiEncode` handles. */
export function isFastAbi(types: readonly string[]): types is readonly FastAbiType[] {
  return types.every((t) => FAST_TYPES.has(t));
}

const utf8 = new TextEncoder();
const padded = (n: number) => Math.ceil(n / 32) * 32;

function writeUint(out: Uint8Array, at: number, value: bigint | number): void {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) {
    // lengths, offsets and indices: no BigInt for the common case
    for (let i = 31, v = value; v > 0; i--, v = Math.floor(v / 256)) out[at + i] = v % 256;
    return;
  }
  let v = BigInt(value);
  if (v < 0n || v >= 1n << 256n) throw new RangeError(`uint out of range: ${value}`);
  for (let i = 31; i >= 0 && v > 0n; i--) {
    out[at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** A string's UTF-8 bytes; ASCII (most identifiers and vocabulary) without the encoder's call. */
function utf8Bytes(value: string): Uint8Array {
  const n = value.length;
  if (n > 64) return utf8.encode(value);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f) return utf8.encode(value);
    out[i] = c;
  }
  return out;
}

/** A string's tail: its byte length, then its UTF-8 bytes padded to 32. */
function stringTail(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(32 + padded(bytes.length));
  writeUint(out, 0, bytes.length);
  out.set(bytes, 32);
  return out;
}

/** A string[]'s tail: its length, each element's offset (from after the length), then the elements. */
function stringArrayTail(values: readonly string[]): Uint8Array {
  const tails = values.map((v) => stringTail(utf8Bytes(v)));
  const out = new Uint8Array(32 + 32 * values.length + tails.reduce((n, t) => n + t.length, 0));
  writeUint(out, 0, values.length);
  let offset = 32 * values.length;
  let at = 32 + 32 * values.length;
  tails.forEach((t, i) => {
    writeUint(out, 32 + 32 * i, offset);
    out.set(t, at);
    offset += t.length;
    at += t.length;
  });
  return out;
}

/**
 * abi.encode(...values) for tuples of strings, string arrays, bytes32 and uints: the same bytes as
 * Solidity's (and viem's encodeAbiParameters), which test/core/abi/abi-encode.test.ts checks on
 * random values, at a fraction of the cost (a digest per event of a 10,000-event capture).
 */
export function abiEncode(types: readonly FastAbiType[], values: readonly unknown[]): Uint8Array {
  if (types.length !== values.length) throw new TypeError(`${values.length} values for ${types.length} types`);
  const tails: (Uint8Array | null)[] = types.map((t, i) => {
    const v = values[i];
    if (t === "string") {
      if (typeof v !== "string") throw new TypeError(`value ${i} is not a string`);
      return stringTail(utf8Bytes(v));
    }
    if (t === "string[]") {
      if (!Array.isArray(v) || !v.every((x) => typeof x === "string"))
        throw new TypeError(`value ${i} is not a string[]`);
      return stringArrayTail(v as string[]);
    }
    return null;
  });
  const head = 32 * types.length;
  const out = new Uint8Array(head + tails.reduce((n, t) => n + (t?.length ?? 0), 0));
  let offset = head;
  types.forEach((t, i) => {
    const tail = tails[i];
    if (tail) {
      writeUint(out, 32 * i, offset);
      out.set(tail, offset);
      offset += tail.length;
      return;
    }
    const v = values[i];
    if (t === "bytes32") {
      if (typeof v !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(v)) throw new TypeError(`value ${i} is not a bytes32`);
      fromHex(v, out, 32 * i);
      return;
    }
    // integers as viem takes them: bigint, number, or a decimal string (a dump's JSON)
    const n = typeof v === "string" && /^\d{1,78}$/.test(v) ? BigInt(v) : v;
    if (typeof n !== "bigint" && typeof n !== "number") throw new TypeError(`value ${i} is not an integer`);
    if (t === "uint8" && (n < 0 || n > 255)) throw new RangeError(`value ${i} is not a uint8`);
    writeUint(out, 32 * i, n);
  });
  return out;
}
