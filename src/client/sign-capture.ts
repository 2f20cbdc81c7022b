import { keccak256, stringToHex, type Hex, type LocalAccount } from "viem";
import { captureTypedData, type CustodyDomain } from "../core/custody/eip712";
import { captureEventsTree } from "../core/custody/capture-tree";
import { eventHashBytes, eventsOf, type JsonValue } from "../core/epcis/event-hash";

/** The four Trackroot-* headers that carry a capture's EIP-712 signature to the relayer. */
export interface SignedCaptureEnvelope {
  submitter: Hex;
  nonce: Hex;
  issuedAt: string;
  signature: Hex;
}

/**
 * Signs an EPCIS document's capture the way a submitter's scanner or ERP connector does: the
 * events' CBV 2.0 hashes make the events root, and the EIP-712 Capture binds it, the event count,
 * a fresh nonce and the time to the submitter's key.
 */
export async function signCapture(options: {
  document: { [k: string]: JsonValue };
  account: LocalAccount;
  domain: CustodyDomain;
  /** any text; hashed into the 32-byte nonce (default: the time and a random number) */
  nonce?: string;
  /** seconds since the epoch (default: now) */
  issuedAt?: number;
}): Promise<SignedCaptureEnvelope> {
  const { events, context } = eventsOf(options.document);
  const tree = captureEventsTree(events.map((e) => eventHashBytes(e, context)));
  const nonce = keccak256(stringToHex(options.nonce ?? `${Date.now()}-${Math.random()}`));
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const capture = {
    submitter: options.account.address,
    eventsRoot: tree.root,
    eventCount: events.length,
    nonce,
    issuedAt: BigInt(issuedAt),
  };
  const signature = await options.account.signTypedData(captureTypedData(options.domain, capture));
  return { submitter: options.account.address, nonce, issuedAt: String(issuedAt), signature };
}
