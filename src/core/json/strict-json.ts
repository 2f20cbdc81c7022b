import { ValidationError } from "../errors";
import type { JsonValue } from "../epcis/event-hash";

export interface StrictJsonOptions {
  /** deepest nesting of objects and arrays accepted (the document itself is depth 1) */
  maxDepth: number;
  /** what an error calls the text when it is not JSON at all (default "body", a request's) */
  name?: string;
}

/** Deepest nesting of an EPCIS document a relayer accepts (its extensions included): far past any real one. */
export const DOCUMENT_DEPTH_LIMIT = 64;
/**
 * Deepest nesting read back from published content: more generous than intake (content a relayer
 * published before the limit stays readable) and still far short of what overflows a recursive reader.
 */
export const PUBLISHED_DEPTH_LIMIT = 512;

/** What JSON a signed document may hold: nothing two parsers could read differently. */
export const STRICT_JSON_RULES =
  "nesting within the limit, no duplicate member names, and only numbers a 64-bit float carries exactly";

/**
 * Parses JSON text that will be hashed, signed or stored as it stands, refusing what readers could
 * disagree on: nesting deeper than `maxDepth` (recursive readers overflow), a member name given
 * twice (one reader keeps the first, another the last), and a number a 64-bit float does not carry
 * exactly (1e400 becomes Infinity and is re-written as null; 2^53 + 1 loses its last digit). One
 * linear pass without recursion, then the platform's parser; errors name the JSON pointer.
 */
export function parseStrictJson(text: string, options: StrictJsonOptions): JsonValue {
  scan(text, options.maxDepth);
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new ValidationError(options.name ?? "body", text.slice(0, 40), `is not JSON (${(e as Error).message})`);
  }
}

interface Frame {
  /** member names seen so far (objects), or undefined (arrays) */
  names?: Set<string>;
  /** the current member name or element index, for pointers */
  at: string | number;
  /** an object's next string is a member name */
  expectName: boolean;
}

function pointerOf(stack: readonly Frame[]): string {
  return stack.length === 0
    ? "/"
    : stack.map((f) => `/${String(f.at).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

function scan(text: string, maxDepth: number): void {
  const stack: Frame[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      // { or [
      const top = stack.at(-1);
      if (top && !top.names && typeof top.at === "number") top.at++;
      if (stack.length >= maxDepth) {
        throw new ValidationError(pointerOf(stack), "", `nests deeper than ${maxDepth} levels`);
      }
      stack.push(c === 0x7b ? { names: new Set(), at: "", expectName: true } : { at: -1, expectName: false });
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i++;
    } else if (c === 0x2c) {
      // , : an object's next string is a name again
      const top = stack.at(-1);
      if (top?.names) top.expectName = true;
      i++;
    } else if (c === 0x22) {
      // a string: to its closing quote, past escapes
      const start = i;
      i++;
      let escaped = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) {
          escaped = true;
          i += 2;
          continue;
        }
        if (d === 0x22) break;
        i++;
      }
      if (i >= n) return; // unterminated: the platform's parser says where
      i++;
      const top = stack.at(-1);
      if (top?.names && top.expectName) {
        let name = text.slice(start + 1, i - 1);
        if (escaped) {
          try {
            name = JSON.parse(text.slice(start, i)) as string;
          } catch {
            return;
          }
        }
        if (top.names.has(name)) {
          top.at = name;
          throw new ValidationError(pointerOf(stack), name, "is given twice in one object");
        }
        top.names.add(name);
        top.at = name;
        top.expectName = false;
      } else {
        bump(stack);
      }
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) i++;
        else break;
      }
      bump(stack);
      const token = text.slice(start, i);
      if (!exact(token)) {
        throw new ValidationError(pointerOf(stack), token, "is a number a 64-bit float does not carry exactly");
      }
    } else {
      // whitespace, colons, true/false/null (and anything else, which the platform's parser refuses)
      if (c === 0x74 || c === 0x66 || c === 0x6e) bump(stack);
      i++;
      while (i < n && isLetter(text.charCodeAt(i))) i++;
    }
  }
}

function isLetter(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

/** A value inside an array moves its index on (object members are named by their key). */
function bump(stack: Frame[]): void {
  const top = stack.at(-1);
  if (top && !top.names && typeof top.at === "number") top.at++;
}

/**
 * Whether a JSON number token is exactly the value a 64-bit float gives it back as: the token's
 * decimal and the float's shortest decimal are the same number.
 */
function exact(token: string): boolean {
  const value = Number(token);
  if (!Number.isFinite(value)) return !/^-?\d/.test(token); // malformed tokens are the parser's to refuse
  return decimalKey(token) === decimalKey(String(value));
}

/** A decimal's digits without leading or trailing zeros and its exponent: "1.50e2" and "150" agree. */
function decimalKey(s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) return s;
  const frac = m[3] ?? "";
  let digits = (m[2] + frac).replace(/^0+/, "");
  if (digits === "") return "0";
  let exp = Number(m[4] ?? 0) - frac.length;
  const trimmed = digits.replace(/0+$/, "");
  exp += digits.length - trimmed.length;
  digits = trimmed;
  return `${m[1]}${digits}e${exp}`;
}
