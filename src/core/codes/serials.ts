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
export const REJECT_FROM = 256 - (256 % SERIAL_ALPHABET.length);

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
 * Draws alphabet indices from a random source by rejection sampling (bytes 248..255 are dropped so
 * that byte % 62 is uniform). One sampler serves both the string and the packed generators.
 */
export class CharSampler {
  private readonly pool = new Uint8Array(65536);
  private at = this.pool.length;

  constructor(private readonly random: RandomSource) {}

  /** Writes `width` ASCII serial characters into `out` at `offset`. */
  fill(out: Uint8Array, offset: number, width: number): void {
    const pool = this.pool;
    const codes = ALPHABET_CODES;
    let at = this.at;
    for (let w = offset, end = offset + width; w < end; ) {
      if (at === pool.length) {
        this.random(pool);
        at = 0;
      }
      const b = pool[at++];
      if (b < REJECT_FROM) out[w++] = codes[b % 62];
    }
    this.at = at;
  }
}

/** The alphabet as ASCII codes; 62 of them, as REJECT_FROM assumes. */
export const ALPHABET_CODES = Uint8Array.from(SERIAL_ALPHABET, (c) => c.charCodeAt(0));
const LATIN1 = new TextDecoder("latin1");

/**
 * `count` distinct serials of uniformly random characters (rejection sampling: no character is
 * favoured). Distinct within the call and from `exclude` by construction: a repeat is redrawn.
 */
export function generateSerials(count: number, random: RandomSource, options: SerialOptions = {}): string[] {
  if (!Number.isInteger(count) || count < 0) throw new ValidationError("count", count, "a non-negative integer");
  const width = serialLength(options.entropyBits);
  const seen = new Set<string>(options.exclude);
  const out: string[] = new Array(count);
  const sampler = new CharSampler(random);
  const one = new Uint8Array(width);
  for (let i = 0; i < count; ) {
    sampler.fill(one, 0, width);
    const s = LATIN1.decode(one);
    if (seen.has(s)) continue;
    seen.add(s);
    out[i++] = s;
  }
  return out;
}

/**
 * Serials of one width packed back to back as ASCII bytes: the form a million-code release works
 * in (no per-serial strings until one is asked for).
 */
export class SerialBlock {
  constructor(
    /** characters per serial */
    readonly width: number,
    /** count x width ASCII bytes */
    readonly bytes: Uint8Array,
  ) {
    if (!Number.isInteger(width) || width < 1 || width > 20) throw new ValidationError("width", width, "1 to 20");
    if (bytes.length % width !== 0) throw new ValidationError("bytes", bytes.length, `a multiple of width ${width}`);
  }

  get count(): number {
    return this.bytes.length / this.width;
  }

  /** Serial i as a string. */
  at(i: number): string {
    if (!Number.isInteger(i) || i < 0 || i >= this.count)
      throw new RangeError(`serial ${i} outside 0..${this.count - 1}`);
    // TextDecoder refuses views of shared memory: copy the few bytes out first
    return LATIN1.decode(this.bytes.slice(i * this.width, (i + 1) * this.width));
  }

  /** Every serial as a string. */
  toArray(): string[] {
    const out: string[] = new Array(this.count);
    for (let i = 0; i < out.length; i++) out[i] = this.at(i);
    return out;
  }

  /** Packs equal-width serials (e.g. read back from a codes file). */
  static of(serials: readonly string[]): SerialBlock {
    if (serials.length === 0) throw new ValidationError("serials", serials, "at least one serial");
    const width = serials[0].length;
    const bytes = new Uint8Array(serials.length * width);
    serials.forEach((s, i) => {
      if (s.length !== width)
        throw new ValidationError(`serials[${i}]`, s, `all serials of a block have ${width} characters`);
      for (let c = 0; c < width; c++) {
        const code = s.charCodeAt(c);
        if (code > 0x7e || code < 0x21) throw new ValidationError(`serials[${i}]`, s, "printable ASCII only");
        bytes[i * width + c] = code;
      }
    });
    return new SerialBlock(width, bytes);
  }
}

/** Draws serial i of a packed block again (after its leaf turned out to repeat another's). */
export function redrawSerial(block: SerialBlock, i: number, random: RandomSource): void {
  new CharSampler(random).fill(block.bytes, i * block.width, block.width);
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
