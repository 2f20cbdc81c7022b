import { isAddress, keccak256, recoverMessageAddress, type Address } from "viem";
import { isCanonicalSignature } from "../core/custody/signature-form";
import { UnauthorizedError } from "../core/errors";
import type { ReplayGuard } from "./replay-guard";

/** The services a signed read request can be addressed to: a signature for one is useless at another. */
export type SignedRequestService = "trackroot-indexer" | "trackroot-relayer";

/** A read request's nonce: 16 to 32 random bytes, 0x-hex; each (key, nonce) is served once. */
export const REQUEST_NONCE = /^0x(?:[0-9a-fA-F]{2}){16,32}$/;

/**
 * What a participant's client signs (EIP-191 personal message) to read from a service, or to act
 * on it: the service, method, path with its query, the time and a nonce, one per line; a request
 * with a body adds a sixth line, the keccak256 of the body's bytes, so the body cannot be swapped.
 */
export function signedRequestMessage(
  service: SignedRequestService,
  method: string,
  path: string,
  timestamp: number,
  nonce: string,
  bodyDigest?: string,
): string {
  const lines = `${service}\n${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce.toLowerCase()}`;
  return bodyDigest === undefined ? lines : `${lines}\n${bodyDigest.toLowerCase()}`;
}

/** The sixth line of a signed request with a body: keccak256 of its bytes (none for an empty body). */
export function requestBodyDigest(body: Uint8Array): string | undefined {
  return body.length === 0 ? undefined : keccak256(body);
}

/** The Trackroot-Key, -Timestamp, -Nonce and -Signature headers of a request. */
export interface SignedRequestHeaders {
  key?: string;
  timestamp?: string;
  nonce?: string;
  signature?: string;
}

export interface SignedRequestOptions {
  maxSkewSeconds: number;
  now: () => number;
  /** remembers served requests: a signed request is usable once */
  replays: ReplayGuard;
}

/**
 * The key that signed a read request (method, path with its query, a timestamp within
 * `maxSkewSeconds` of now and a nonce not used before by that key), or an UnauthorizedError naming
 * the header that fails. Whether that key may read what it asks is the caller's to decide.
 */
export async function signerOfRequest(
  request: SignedRequestHeaders & {
    service: SignedRequestService;
    method: string;
    path: string;
    /** the request's body bytes, when it has one: they are signed too */
    body?: Uint8Array;
  },
  options: SignedRequestOptions,
): Promise<Address> {
  if (!request.key || !request.signature || !request.timestamp || !request.nonce) {
    throw new UnauthorizedError("send Trackroot-Key, Trackroot-Timestamp, Trackroot-Nonce and Trackroot-Signature");
  }
  if (!isAddress(request.key)) throw new UnauthorizedError("Trackroot-Key must be an address");
  if (!REQUEST_NONCE.test(request.nonce)) {
    throw new UnauthorizedError("Trackroot-Nonce must be 16 to 32 random bytes, 0x-hex");
  }
  if (!isCanonicalSignature(request.signature)) {
    throw new UnauthorizedError("Trackroot-Signature is not a 65-byte signature in low-s form (v 27 or 28)");
  }
  const timestamp = /^\d{1,12}$/.test(request.timestamp) ? Number(request.timestamp) : NaN;
  const now = Math.floor(options.now() / 1000);
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > options.maxSkewSeconds) {
    throw new UnauthorizedError(`Trackroot-Timestamp must be unix seconds within ${options.maxSkewSeconds} s of now`);
  }
  let signer: Address;
  try {
    signer = await recoverMessageAddress({
      message: signedRequestMessage(
        request.service,
        request.method,
        request.path,
        timestamp,
        request.nonce,
        request.body && requestBodyDigest(request.body),
      ),
      signature: request.signature,
    });
  } catch {
    throw new UnauthorizedError("Trackroot-Signature is not a signature");
  }
  if (signer.toLowerCase() !== request.key.toLowerCase()) {
    throw new UnauthorizedError(
      "Trackroot-Signature was not made by Trackroot-Key over this method, path, time, nonce and body",
    );
  }
  // usable once: the same key and nonce again, within the window, is a replay
  const id = `${signer.toLowerCase()}:${request.nonce.toLowerCase()}`;
  if (!options.replays.use(id, (timestamp + options.maxSkewSeconds + 1) * 1000)) {
    throw new UnauthorizedError("Trackroot-Nonce: this signed request was already used; sign a new one");
  }
  return signer;
}
