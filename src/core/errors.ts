import type { EpcisIssue } from "./epcis/validate";

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
  /** What is wrong with it, in words, without the field and value. */
  readonly reason: string;

  constructor(field: string, value: unknown, reason: string) {
    super(`${field}: ${reason} (got ${describe(value)})`);
    this.field = field;
    this.value = value;
    this.reason = reason;
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

/** A request for a representation this service cannot give (HTTP 406): the header named and why. */
export class NotAcceptableError extends TrackrootError {
  override name = "NotAcceptableError";
}

/** A query that reaches more events than is answered at once (EPCIS's QueryTooLargeException): narrow it. */
export class QueryTooLargeError extends TrackrootError {
  override name = "QueryTooLargeError";
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

/** A capture whose events fail the checks: every issue, by event and JSON pointer. */
export class CaptureRejectedError extends ValidationError {
  constructor(readonly issues: EpcisIssue[]) {
    super(
      issues[0]?.pointer ?? "/",
      issues[0]?.message,
      `${issues.length} problem(s) in the capture: ${issues[0]?.message}`,
    );
  }
}

/** A signature that is not valid for the claimed key, or a key the registry does not stand behind. */
export class UnauthorizedError extends TrackrootError {
  override name = "UnauthorizedError";
}

/** An authenticated party asked for what it may not read or do (not its submission, not its goods). */
export class ForbiddenError extends TrackrootError {
  override name = "ForbiddenError";
}

/** A submitter sent more than its share; it may try again after `retryAfterSeconds`. */
export class RateLimitedError extends TrackrootError {
  override name = "RateLimitedError";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
