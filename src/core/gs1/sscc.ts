import { ValidationError } from "../errors";
import { gs1CheckDigit, hasValidCheckDigit } from "./check-digit";

/** An SSCC (serial shipping container code: cases, pallets) as 18 digits. */
export type Sscc = string & { readonly __brand: "Sscc" };

/** Parses an 18-digit SSCC, checking its check digit. */
export function parseSscc(input: string, field = "sscc"): Sscc {
  if (typeof input !== "string" || !/^\d{18}$/.test(input))
    throw new ValidationError(field, input, "an SSCC is 18 digits");
  if (!hasValidCheckDigit(input)) {
    throw new ValidationError(field, input, `check digit should be ${gs1CheckDigit(input.slice(0, -1))}`);
  }
  return input as Sscc;
}

/**
 * Formats an SSCC from its extension digit, company prefix and serial reference (which together make
 * 16 digits), computing the check digit.
 */
export function formatSscc(extension: number, companyPrefix: string, serialReference: number | bigint): Sscc {
  if (!Number.isInteger(extension) || extension < 0 || extension > 9) {
    throw new ValidationError("extension", extension, "an extension digit is 0-9");
  }
  if (!/^\d{6,12}$/.test(companyPrefix)) throw new ValidationError("companyPrefix", companyPrefix, "6 to 12 digits");
  const refDigits = 16 - companyPrefix.length;
  const ref = BigInt(serialReference);
  if (ref < 0n || ref.toString().length > refDigits) {
    throw new ValidationError("serialReference", serialReference, `must fit in ${refDigits} digits`);
  }
  const body = `${extension}${companyPrefix}${ref.toString().padStart(refDigits, "0")}`;
  return (body + gs1CheckDigit(body)) as Sscc;
}
