import type { LocalAccount } from "viem";
import { signedRequestMessage, type SignedRequestService } from "../http/signed-request";

/**
 * The Trackroot-Key, -Timestamp and -Signature headers of a read request signed by `account`
 * (EIP-191 over the service, method, path with its query, and the time).
 */
export async function signedReadHeaders(options: {
  account: LocalAccount;
  service: SignedRequestService;
  method?: string;
  path: string;
  /** unix seconds (default: now) */
  timestamp?: number;
}): Promise<Record<string, string>> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = await options.account.signMessage({
    message: signedRequestMessage(options.service, options.method ?? "GET", options.path, timestamp),
  });
  return {
    "Trackroot-Key": options.account.address,
    "Trackroot-Timestamp": String(timestamp),
    "Trackroot-Signature": signature,
  };
}
