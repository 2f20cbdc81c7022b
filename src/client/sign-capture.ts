import { keccak256, stringToHex, toHex, type Hex } from "viem";
import type { Signer } from "./signer";
import { captureTypedData, type CustodyDomain } from "../core/custody/eip712";
import { saltHash } from "../core/custody/event-disclosure";
import { disclosedEventsTree } from "../core/custody/disclosure-trees";
import { captureEventParts } from "../core/custody/capture-parts";
import { eventHashBytes, eventsOf, type JsonValue } from "../core/epcis/event-hash";

/** The Trackroot-* headers that carry a capture's EIP-712 signature (capture format 2) to the relayer. */
export interface SignedCaptureEnvelope {
  submitter: Hex;
  nonce: Hex;
  issuedAt: string;
  signature: Hex;
  /** the events root and count the signature covers */
  eventsRoot: Hex;
  eventCount: string;
  /** the disclosure salt: each identifier's salt derives from it */
  salt: Hex;
}

/** The request headers of POST /capture for a signed envelope. */
export function captureHeaders(envelope: SignedCaptureEnvelope): Record<string, string> {
  return {
    "Trackroot-Submitter": envelope.submitter,
    "Trackroot-Nonce": envelope.nonce,
    "Trackroot-Issued-At": envelope.issuedAt,
    "Trackroot-Signature": envelope.signature,
    "Trackroot-Events-Root": envelope.eventsRoot,
    "Trackroot-Event-Count": envelope.eventCount,
    "Trackroot-Salt": envelope.salt,
  };
}

/** 32 random bytes from the platform's CSPRNG (Node and browsers alike). */
export function randomSalt(): Hex {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * Signs an EPCIS document's capture the way a submitter's scanner or ERP connector does: each
 * event's parts (its CBV 2.0 hash, its shown fields, its salted identifiers) make a leaf of the
 * events root (capture format 2), and the EIP-712 Capture binds it, the event count, a fresh nonce
 * and the time to the submitter's key.
 */
export async function signCapture(options: {
  document: { [k: string]: JsonValue };
  account: Signer;
  domain: CustodyDomain;
  /** any text; hashed into the 32-byte nonce (default: the time and a random number) */
  nonce?: string;
  /** seconds since the epoch (default: now) */
  issuedAt?: number;
  /** the disclosure salt (default: 32 random bytes); never reuse one across captures */
  salt?: Hex;
}): Promise<SignedCaptureEnvelope> {
  const salt = options.salt ?? randomSalt();
  return signCaptureSummary({ ...options, salt, summary: captureSummary(options.document, salt) });
}

/** What a capture's signature covers of its document: the events root (format 2) and the event count. */
export interface CaptureSummary {
  eventsRoot: Hex;
  eventCount: number;
}

/**
 * The events root of a document under `salt`: each event's parts (its CBV 2.0 hash, shown fields,
 * salted identifiers) a leaf. The work that grows with the document; a gateway runs it off its
 * request thread.
 */
export function captureSummary(document: { [k: string]: JsonValue }, salt: Hex): CaptureSummary {
  const { events, context, ignore } = eventsOf(document);
  const parts = captureEventParts(
    events,
    events.map((e) => eventHashBytes(e, context, ignore)),
    salt,
  );
  return { eventsRoot: disclosedEventsTree(parts, saltHash(salt)).root, eventCount: events.length };
}

/** Signs a capture whose summary is known: the EIP-712 Capture with a fresh nonce and the time. */
export async function signCaptureSummary(options: {
  summary: CaptureSummary;
  salt: Hex;
  account: Signer;
  domain: CustodyDomain;
  nonce?: string;
  issuedAt?: number;
}): Promise<SignedCaptureEnvelope> {
  const { summary, salt } = options;
  const nonce = keccak256(stringToHex(options.nonce ?? `${Date.now()}-${Math.random()}`));
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const capture = {
    submitter: options.account.address,
    eventsRoot: summary.eventsRoot,
    eventCount: summary.eventCount,
    nonce,
    issuedAt: BigInt(issuedAt),
  };
  const signature = await options.account.signTypedData(captureTypedData(options.domain, capture));
  return {
    submitter: options.account.address,
    nonce,
    issuedAt: String(issuedAt),
    signature,
    eventsRoot: summary.eventsRoot,
    eventCount: String(summary.eventCount),
    salt,
  };
}
