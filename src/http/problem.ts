import type { NextFunction, Request, Response } from "express";
import {
  CaptureRejectedError,
  ConflictError,
  ForbiddenError,
  IntegrityError,
  NotAcceptableError,
  NotFoundError,
  QueryTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from "../core/errors";

/** How many of a rejected capture's issues its problem document lists (errorCount says how many there were). */
export const MAX_LISTED_ISSUES = 100;

/** The one place that maps the error hierarchy to HTTP: RFC 9457 problem+json naming the field. */
export function problemOf(error: unknown): {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
} {
  const base = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}) => ({
    status,
    body: { type: "about:blank", title, status, detail, ...extra },
  });
  if (error instanceof RateLimitedError) {
    return {
      ...base(429, "Too many requests", error.message),
      headers: { "Retry-After": String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof CaptureRejectedError) {
    // bounded: a capture of 10,000 bad events is answered with the first issues and their count
    return base(400, "Capture rejected", error.message, {
      errors: error.issues.slice(0, MAX_LISTED_ISSUES),
      errorCount: error.issues.length,
    });
  }
  if (error instanceof ValidationError) return base(400, "Invalid input", error.message, { pointer: error.field });
  if (error instanceof UnauthorizedError) return base(401, "Not authorized", error.message);
  if (error instanceof ForbiddenError) return base(403, "Forbidden", error.message);
  if (error instanceof NotFoundError) return base(404, "Not found", error.message);
  if (error instanceof ConflictError) return base(409, "Conflict", error.message);
  if (error instanceof NotAcceptableError) return base(406, "Not acceptable", error.message);
  if (error instanceof QueryTooLargeError)
    return base(413, "Query too large", error.message, { type: "epcisException:QueryTooLargeException" });
  if (error instanceof UnavailableError || error instanceof IntegrityError) {
    return base(503, "Dependency unavailable", error.message);
  }
  const e = error as { type?: string; status?: number; message?: string };
  if (e?.type === "entity.too.large") return base(413, "Body too large", e.message ?? "too large");
  if (e?.type === "entity.parse.failed") return base(400, "Malformed JSON", e.message ?? "malformed JSON");
  // the HTTP stack's own 4xx (a path's malformed percent-encoding, a body it cannot read)
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) {
    return base(e.status, "Bad request", String(e.message ?? "bad request").slice(0, 300));
  }
  return base(500, "Internal error", "unexpected error");
}

export function problemMiddleware(log: (e: unknown) => void) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status, body, headers } = problemOf(error);
    if (status >= 500) log(error);
    if (headers) res.set(headers);
    res.status(status).type("application/problem+json").send(JSON.stringify(body));
  };
}

/** The problem document's JSON Schema, for the services' OpenAPI documents. */
export const PROBLEM_SCHEMA = {
  type: "object",
  description: "RFC 9457 problem details",
  required: ["type", "title", "status", "detail"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    pointer: { type: "string", description: "the failing field or JSON pointer" },
    errorCount: { type: "integer", description: "how many issues a rejected capture has" },
    errors: {
      type: "array",
      description: `a rejected capture's issues, the first ${MAX_LISTED_ISSUES}`,
      items: {
        type: "object",
        properties: {
          eventIndex: { type: "integer" },
          pointer: { type: "string" },
          message: { type: "string" },
        },
      },
    },
  },
} as const;
