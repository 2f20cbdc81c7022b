import { TrackrootError } from "../core/errors";

/** The audit could not reach a verdict: a source was unreachable or inconsistent with a checkpoint. */
export class CannotAuditError extends TrackrootError {
  override name = "CannotAuditError";
}
