import { isAddress, recoverMessageAddress, type Address, type Hex } from "viem";
import { UnauthorizedError } from "../core/errors";

/** The services a signed read request can be addressed to: a signature for one is useless at another. */
export type SignedRequestService = "trackroot-indexer" | "trackroot-relayer";

/** What a participant's client signs (EIP-191 personal message) to read from a service. */
export function signedRequestMessage(
  service: SignedRequestService,
  method: string,
  path: string,
  timestamp: number,
): string {
  return `${service}\n${method.toUpperCase()}\n${path}\n${timestamp}`;
}

/** The Trackroot-Key, Trackroot-Timestamp and Trackroot-Signature headers of a request. */
export interface SignedRequestHeaders {
  key?: string;
  timestamp?: string;
  signature?: string;
}

/**
 * The key that signed a read request (method, path with its query, and a timestamp within
 * `maxSkewSeconds` of now), or an UnauthorizedError naming the header that fails. Whether that key
 * may read what it asks is the caller's to decide.
 */
export async function signerOfRequest(
  request: SignedRequestHeaders & { service: SignedRequestService; method: string; path: string },
  options: { maxSkewSeconds: number; now: () => number },
): Promise<Address> {
  if (!request.key || !request.signature || !request.timestamp) {
    throw new UnauthorizedError("send Trackroot-Key, Trackroot-Timestamp and Trackroot-Signature");
  }
  if (!isAddress(request.key)) throw new UnauthorizedError("Trackroot-Key must be an address");
  if (!/^0x[0-9a-fA-F]{130}$/.test(request.signature))
    throw new UnauthorizedError("Trackroot-Signature is not a 65-byte signature");
  const timestamp = /^\d{1,12}$/.test(request.timestamp) ? Number(request.timestamp) : NaN;
  const now = Math.floor(options.now() / 1000);
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > options.maxSkewSeconds) {
    throw new UnauthorizedError(`Trackroot-Timestamp must be unix seconds within ${options.maxSkewSeconds} s of now`);
  }
  let signer: Address;
  try {
    signer = await recoverMessageAddress({
      message: signedRequestMessage(request.service, request.method, request.path, timestamp),
      signature: request.signature as Hex,
    });
  } catch {
    throw new UnauthorizedError("Trackroot-Signature is not a signature");
  }
  if (signer.toLowerCase() !== request.key.toLowerCase()) {
    throw new UnauthorizedError("Trackroot-Signature was not made by Trackroot-Key over this method, path and time");
  }
  return signer;
}
