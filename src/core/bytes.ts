/** Hex and byte helpers shared by the core; typed arrays in hot paths, 0x-hex at the edges. */

export type Hex = `0x${string}`;

const HEX_CHARS = "0123456789abcdef";
const BYTE_TO_HEX: string[] = Array.from({ length: 256 }, (_, i) => HEX_CHARS[i >> 4] + HEX_CHARS[i & 15]);

/** Lower-case 0x-hex of `length` bytes of `bytes` starting at `offset`. */
export function toHex(bytes: Uint8Array, offset = 0, length = bytes.length - offset): Hex {
  let out = "0x";
  for (let i = offset; i < offset + length; i++) out += BYTE_TO_HEX[bytes[i]];
  return out as Hex;
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Whether `value` is 0x-hex of exactly `byteLength` bytes (any byte length when omitted). */
export function isHex(value: unknown, byteLength?: number): value is Hex {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]*$/.test(value) || value.length % 2 !== 0) return false;
  return byteLength === undefined || value.length === 2 + 2 * byteLength;
}

/** Bytes of a 0x-hex string; throws on anything else. Writes into `into` at `offset` when given. */
export function fromHex(hex: string, into?: Uint8Array, offset = 0): Uint8Array {
  if (!isHex(hex)) throw new TypeError(`not 0x-prefixed hex of whole bytes: ${JSON.stringify(hex)}`);
  const n = (hex.length - 2) / 2;
  const out = into ?? new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[offset + i] = (nibble(hex.charCodeAt(2 + 2 * i)) << 4) | nibble(hex.charCodeAt(3 + 2 * i));
  }
  return out;
}

/** -1, 0 or 1 as 32-byte words a and b compare as big-endian numbers. */
export function compareWords(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number): number {
  for (let i = 0; i < 32; i++) {
    const d = a[aOffset + i] - b[bOffset + i];
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** UTF-8 bytes of a string, without depending on Node's Buffer (the core also runs in browsers). */
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Bytes of a base64 string, without Buffer or atob. */
export function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const lookup = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;
  const clean = b64.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let j = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = lookup[clean.charCodeAt(i)];
    if (v < 0) throw new TypeError("invalid base64");
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** The parts one after another in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** 32-byte words given as 0x-hex, packed back to back (leaf hashes for a tree). */
export function packWords(words: readonly string[]): Uint8Array {
  const out = new Uint8Array(32 * words.length);
  words.forEach((w, i) => {
    if (!isHex(w, 32)) throw new TypeError(`not a 32-byte 0x-hex word: ${JSON.stringify(w)}`);
    fromHex(w, out, 32 * i);
  });
  return out;
}
