import { ValidationError } from "../errors";
import { formatDigitalLink } from "../gs1/digital-link";
import { normalizeGtin } from "../gs1/gtin";

/**
 * Serial generation. Serials are uniformly random strings over a URL-safe subset of GS1 AI 82
 * (digits and letters), so published leaf files and codes reveal nothing that helps guess another
 * valid code. The random source is injected (crypto.getRandomValues in Node and browsers), keeping
 * the core free of I/O.
 */

/** Digits and letters: all in AI 82, none needs percent-encoding in a Digital Link. */
export const SERIAL_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BITS_PER_CHAR = Math.log2(SERIAL_ALPHABET.length);
/** Bytes at or above this are rejected so that byte % 62 is uniform. */
const REJECT_FROM = 256 - (256 % SERIAL_ALPHABET.length);

/** Fills a byte array with cryptographically secure random bytes (at most 65,536 per call). */
export type RandomSource = (bytes: Uint8Array) => void;

export interface SerialOptions {
  /** minimum random bits per serial; default 64 */
  entropyBits?: number;
  /** serials that already exist in the order (a re-run adds to them, never repeats them) */
  exclude?: ReadonlySet<string>;
}

/** Serial length for the requested entropy: ceil(bits / log2 62), at most 20 (AI 21). */
export function serialLength(entropyBits = 64): number {
  if (!Number.isFinite(entropyBits) || entropyBits < 32) {
    throw new ValidationError("entropyBits", entropyBits, "at least 32 bits are needed to resist guessing");
  }
  const length = Math.ceil(entropyBits / BITS_PER_CHAR);
  if (length > 20)
    throw new ValidationError("entropyBits", entropyBits, "a serial holds at most 20 characters (119 bits)");
  return length;
}

/**
 * `count` distinct serials of uniformly random characters (rejection sampling: no character is
 * favoured). Distinct within the call and from `exclude` by construction: a repeat is redrawn.
 */
export function generateSerials(count: number, random: RandomSource, options: SerialOptions = {}): string[] {
  if (!Number.isInteger(count) || count < 0) throw new ValidationError("count", count, "a non-negative integer");
  const length = serialLength(options.entropyBits);
  const seen = new Set<string>(options.exclude);
  const out: string[] = new Array(count);
  const pool = new Uint8Array(65536);
  let at = pool.length;
  const nextChar = (): string => {
    for (;;) {
      if (at === pool.length) {
        random(pool);
        at = 0;
      }
      const b = pool[at++];
      if (b < REJECT_FROM) return SERIAL_ALPHABET[b % SERIAL_ALPHABET.length];
    }
  };
  for (let i = 0; i < count; ) {
    let s = "";
    for (let c = 0; c < length; c++) s += nextChar();
    if (seen.has(s)) continue;
    seen.add(s);
    out[i++] = s;
  }
  return out;
}

/** Digital Link URLs of serials of one GTIN (and lot), on the brand's resolver domain. */
export function serialsToDigitalLinks(
  origin: string,
  gtin: string,
  serials: readonly string[],
  lot?: string,
): string[] {
  const g = normalizeGtin(gtin);
  return serials.map((serial) => formatDigitalLink({ origin, gtin: g, serial, ...(lot !== undefined ? { lot } : {}) }));
}
