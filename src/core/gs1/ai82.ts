/**
 * GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1): the characters a
 * serial (AI 21) or lot (AI 10) may hold.
 */
export const AI82_CHARS = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

const AI82 = new Set(AI82_CHARS);

/** The first character of `s` outside character set 82, or undefined when there is none. */
export function firstNonAi82(s: string): string | undefined {
  for (const c of s) if (!AI82.has(c)) return c;
  return undefined;
}
