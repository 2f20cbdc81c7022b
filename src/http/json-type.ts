import type { Request } from "express";
import { ValidationError } from "../core/errors";

/** Refuses a request whose body says it is not JSON, before a byte of it is read. */
export function requireJsonType(req: Request): void {
  if (!req.is(["application/json", "application/ld+json"])) {
    throw new ValidationError(
      "Content-Type",
      req.get("Content-Type") ?? "",
      "must be application/json or application/ld+json",
    );
  }
}

/** requireJsonType as a middleware. */
export function jsonType(req: Request, _res: unknown, next: () => void): void {
  requireJsonType(req);
  next();
}
