import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { NotFoundError, UnauthorizedError } from "../core/errors";
import type { RateLimiter } from "./rate-limiter";

/**
 * /metrics for the operator only: Authorization: Bearer <token>. Without a configured token the
 * route does not exist (queue depths, key counts and timings are no one else's business).
 */
export function metricsGuard(token: string | undefined) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!expected) throw new NotFoundError("metrics are not served here: set TRACKROOT_METRICS_TOKEN");
    const shown = Buffer.from(req.get("Authorization") ?? "");
    if (shown.length !== expected.length || !timingSafeEqual(shown, expected)) {
      throw new UnauthorizedError("metrics: send Authorization: Bearer <TRACKROOT_METRICS_TOKEN>");
    }
    next();
  };
}

/**
 * A budget per client address for requests that fail authentication: an address whose bucket is
 * empty is refused (429) before its request is read at all, and every 401 or 403 it is answered
 * spends one token. Authenticated traffic costs nothing here.
 */
export function authFailureBudget(limiter: RateLimiter, addressOf: (req: Request) => string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const address = addressOf(req);
    limiter.check(address);
    res.on("finish", () => {
      if (res.statusCode === 401 || res.statusCode === 403) limiter.spend(address, 1);
    });
    next();
  };
}
