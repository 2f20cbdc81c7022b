import { TrackrootError, ValidationError } from "../core/errors";
import type { EpcisIssue } from "../core/epcis/validate";

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
