import { ValidationError } from "../errors";
import { gs1CheckDigit, hasValidCheckDigit } from "./check-digit";

/** A GTIN-14 as 14 decimal digits. */
export type Gtin14 = string & { readonly __brand: "Gtin14" };

/**
 * Normalises a GTIN-8, -12, -13 or -14 to GTIN-14 (left-padded with zeros) after checking its
 * length, digits and check digit. `field` names the input in the error.
 */
export function normalizeGtin(input: string, field = "gtin"): Gtin14 {
  const s = typeof input === "string" ? input.trim() : input;
  if (typeof s !== "string" || !/^\d+$/.test(s)) throw new ValidationError(field, input, "a GTIN is digits only");
  if (![8, 12, 13, 14].includes(s.length)) {
    throw new ValidationError(field, input, "a GTIN has 8, 12, 13 or 14 digits");
  }
  if (!hasValidCheckDigit(s)) {
    const expected = gs1CheckDigit(s.slice(0, -1));
    throw new ValidationError(field, input, `check digit should be ${expected}`);
  }
  return s.padStart(14, "0") as Gtin14;
}

/** A GTIN-14 with its check digit computed from the 13 digits before it. */
export function completeGtin(first13: string): Gtin14 {
  if (!/^\d{13}$/.test(first13))
    throw new ValidationError("gtin", first13, "expected 13 digits before the check digit");
  return (first13 + gs1CheckDigit(first13)) as Gtin14;
}

/** Whether a GS1 company prefix (6 to 12 digits) is the prefix of a GTIN-14 (after its indicator digit). */
export function gtinHasPrefix(gtin: Gtin14, companyPrefix: string): boolean {
  return gtin.slice(1, 1 + companyPrefix.length) === companyPrefix;
}

/** Checks a GS1 company prefix: 6 to 12 digits. */
export function normalizeCompanyPrefix(input: string, field = "companyPrefix"): string {
  if (typeof input !== "string" || !/^\d{6,12}$/.test(input)) {
    throw new ValidationError(field, input, "a GS1 company prefix is 6 to 12 digits");
  }
  return input;
}

/** Checks a 13-digit GLN with its check digit. */
export function normalizeGln(input: string, field = "gln"): string {
  if (typeof input !== "string" || !/^\d{13}$/.test(input))
    throw new ValidationError(field, input, "a GLN is 13 digits");
  if (!hasValidCheckDigit(input)) {
    throw new ValidationError(field, input, `check digit should be ${gs1CheckDigit(input.slice(0, -1))}`);
  }
  return input;
}
