import { ValidationError } from "../errors";
import { parseStrictJson } from "./strict-json";

/**
 * A small request body: strict JSON, one object of only the named fields, nested three levels at
 * most (an empty body is an empty object). A field it does not name is refused by its pointer.
 */
export function readRequestObject(text: string, fields: readonly string[]): Record<string, unknown> {
  if (text.trim() === "") return {};
  const body = parseStrictJson(text, { maxDepth: 3 });
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ValidationError("/", body, "must be a JSON object");
  }
  for (const [key, value] of Object.entries(body)) {
    if (!fields.includes(key)) throw new ValidationError(`/${key}`, value, "is not a field of this request");
  }
  return body;
}
