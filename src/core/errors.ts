/**
 * The core's errors. Every rejected input names the field and the offending value, so services can
 * map them to one clear line (CLI) or an RFC 9457 problem (HTTP) without parsing messages.
 */
export class ValidationError extends Error {
  override name = "ValidationError";
  /** The field (or JSON pointer) that failed, e.g. "gtin" or "/epcisBody/eventList/2/eventTime". */
  readonly field: string;
  /** The offending value, as given. */
  readonly value: unknown;

  constructor(field: string, value: unknown, reason: string) {
    super(`${field}: ${reason} (got ${describe(value)})`);
    this.field = field;
    this.value = value;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? value.slice(0, 77) + "..." : value);
  if (typeof value === "bigint") return value.toString();
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 80 ? s.slice(0, 77) + "..." : s;
  } catch {
    return String(value);
  }
}
