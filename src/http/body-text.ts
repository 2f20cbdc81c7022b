import type { Request } from "express";
import { ValidationError } from "../core/errors";

/** A request's raw body (express.raw) as UTF-8 text; "" when there is none. Refuses bytes that are not UTF-8. */
export function bodyText(req: Request): string {
  const bytes: unknown = req.body;
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) return "";
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError("body", "", "is not UTF-8");
  }
}
