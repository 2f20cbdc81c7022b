import { CommanderError } from "commander";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  TrackrootError,
  UnauthorizedError,
  ValidationError,
} from "../core/errors";

/**
 * The CLI's exit codes: 0 done, 1 the user's error (input, arguments, refusal), 2 anything else,
 * 3 a check that ran and did not prove what was asked (`verify`: not a genuine code in circulation).
 */
export const EXIT = { ok: 0, user: 1, unexpected: 2, notProven: 3 } as const;

/** The one place that decides how an error ends the process. */
export function exitCodeOf(error: unknown): number {
  if (
    error instanceof ValidationError ||
    error instanceof NotFoundError ||
    error instanceof ConflictError ||
    // a key the relayer does not stand behind, or one over its rate: the user's to fix, or to wait out
    error instanceof UnauthorizedError ||
    error instanceof ForbiddenError ||
    error instanceof RateLimitedError
  ) {
    return EXIT.user;
  }
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.user;
  return EXIT.unexpected;
}

/** One line for the user; the stack only for the unexpected, and only with --verbose. */
export function describeError(error: unknown, verbose: boolean): string {
  if (error instanceof TrackrootError) return `error: ${error.message}`;
  if (error instanceof Error)
    return verbose && error.stack ? `unexpected: ${error.stack}` : `unexpected: ${error.message}`;
  return `unexpected: ${String(error)}`;
}
