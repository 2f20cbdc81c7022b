/**
 * The project's errors, one small hierarchy: each kind says whose problem it is, and exactly one
 * place per surface maps kinds to outcomes (src/cli/exit-codes.ts; the HTTP services' error
 * middleware). Every rejected input names the field and the offending value.
 */
export abstract class TrackrootError extends Error {}

/** An input from outside is malformed: the field and value say which. */
export class ValidationError extends TrackrootError {
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

/** Something asked for does not exist (an order, a batch, a CID). */
export class NotFoundError extends TrackrootError {
  override name = "NotFoundError";
}

/** A well-formed request the current state refuses: past the planned quantity, a reused reference. */
export class ConflictError extends TrackrootError {
  override name = "ConflictError";
}

/** A dependency (chain node, IPFS node, database) cannot be reached; nothing was half-written. */
export class UnavailableError extends TrackrootError {
  override name = "UnavailableError";
}

/** A dependency answered with data that fails verification (bytes that do not hash to their CID). */
export class IntegrityError extends TrackrootError {
  override name = "IntegrityError";
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
