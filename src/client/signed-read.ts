import { randomBytes } from "node:crypto";
import type { Signer } from "./signer";
import { requestBodyDigest, signedRequestMessage, type SignedRequestService } from "../http/signed-request";

/**
 * The Trackroot-Key, -Timestamp, -Nonce and -Signature headers of a read request signed by
 * `account` (EIP-191 over the service, method, path with its query, the time and a fresh nonce).
 * Each set of headers is good for one request.
 */
export async function signedReadHeaders(options: {
  account: Signer;
  service: SignedRequestService;
  method?: string;
  path: string;
  /** unix seconds (default: now) */
  timestamp?: number;
  /** 0x-hex, 16 to 32 bytes (default: 16 random bytes) */
  nonce?: string;
  /** the exact body bytes the request will carry (signed too) */
  body?: Uint8Array;
}): Promise<Record<string, string>> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const nonce = options.nonce ?? `0x${randomBytes(16).toString("hex")}`;
  const signature = await options.account.signMessage({
    message: signedRequestMessage(
      options.service,
      options.method ?? "GET",
      options.path,
      timestamp,
      nonce,
      options.body && requestBodyDigest(options.body),
    ),
  });
  return {
    "Trackroot-Key": options.account.address,
    "Trackroot-Timestamp": String(timestamp),
    "Trackroot-Nonce": nonce,
    "Trackroot-Signature": signature,
  };
}
