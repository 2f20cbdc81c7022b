import { ValidationError } from "../core/errors";

const REGION = /^[A-Za-z0-9_/+-]{1,64}$/;

/**
 * A verifier's declared region (a country code or a time zone such as Europe/Paris), checked the
 * same way by the indexer that counts it and by the site that forwards it. Absent is "".
 */
export function checkRegion(value: unknown): string {
  if (value === undefined || value === "") return "";
  if (typeof value !== "string" || !REGION.test(value)) {
    throw new ValidationError("region", value, "must be 1-64 of A-Z a-z 0-9 _ / + -");
  }
  return value;
}
