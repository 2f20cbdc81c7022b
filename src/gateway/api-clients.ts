import { createHash, timingSafeEqual } from "node:crypto";
import { UnauthorizedError, ValidationError } from "../core/errors";

/** A client system of the participant (a MES, a WMS, a point of sale) and the hash of its API token. */
export interface ApiClient {
  name: string;
  tokenHash: Buffer;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();
const MIN_TOKEN = 32;

/**
 * The API clients from their configuration, `name=token` pairs separated by commas: each token at
 * least 32 characters, each name and token used once. Only their hashes are kept.
 */
export function parseApiClients(value: string, field: string): ApiClient[] {
  const clients: ApiClient[] = [];
  for (const pair of value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.indexOf("=");
    const name = pair.slice(0, at);
    const token = pair.slice(at + 1);
    if (at < 1 || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
      throw new ValidationError(field, name, "each client is name=token, the name letters, digits, . _ or -");
    }
    if (token.length < MIN_TOKEN)
      throw new ValidationError(field, name, `${name}'s token is shorter than ${MIN_TOKEN} characters`);
    if (clients.some((c) => c.name === name)) throw new ValidationError(field, name, `names ${name} twice`);
    clients.push({ name, tokenHash: sha256(token) });
  }
  if (clients.length === 0) throw new ValidationError(field, value, "names no client (name=token, ...)");
  return clients;
}

/**
 * The client whose token an Authorization header carries (Bearer), compared in constant time over
 * the tokens' hashes; an UnauthorizedError otherwise.
 */
export function clientOf(clients: readonly ApiClient[], authorization: string | undefined): ApiClient {
  const m = /^Bearer\s+(\S{1,512})$/i.exec(authorization ?? "");
  if (!m) throw new UnauthorizedError("send Authorization: Bearer <the client system's API token>");
  const hash = sha256(m[1]);
  let found: ApiClient | undefined;
  for (const c of clients) if (timingSafeEqual(c.tokenHash, hash)) found = c;
  if (!found) throw new UnauthorizedError("Authorization: no client system has this token");
  return found;
}
