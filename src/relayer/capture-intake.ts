import type { Address, Hex } from "viem";
import { captureDigest, verifyCaptureSignature, type Capture, type CustodyDomain } from "../core/custody/eip712";
import { CAPTURE_FORMAT_V2, checkCaptureSalt, saltHash, type EventParts } from "../core/custody/event-disclosure";
import { disclosedEventsTree } from "../core/custody/disclosure-trees";
import { captureEventParts } from "../core/custody/capture-parts";
import { CaptureRejectedError, UnauthorizedError, ValidationError } from "../core/errors";
import { captureDocumentIssues } from "../core/epcis/capture-issues";
import type { EpcisIssue } from "../core/epcis/validate";
import { activeParticipant, type KeyRegistry } from "./key-checks";

/** The signed envelope of a capture, sent beside the EPCIS document (as request headers). */
export interface CaptureEnvelope {
  submitter: string;
  nonce: string;
  issuedAt: string;
  signature: string;
  /** the events root and event count the submitter signed (format 2) */
  eventsRoot: string;
  eventCount: string;
  /** the capture's 32-byte disclosure salt (format 2) */
  salt: string;
}

export interface IntakeOptions {
  domain: CustodyDomain;
  registry: KeyRegistry;
  /** how old (and how far ahead) a capture's issuedAt may be */
  maxAgeSeconds: number;
  maxSkewSeconds: number;
  /** most events in one capture */
  maxEvents: number;
  now: () => number;
}

/** A capture whose envelope, signature and key standing checked out: nothing of its body read yet. */
export interface AuthenticatedCapture {
  /** its EIP-712 digest: the id it is stored and committed under */
  digest: Hex;
  capture: Capture;
  signature: Hex;
  participant: number;
  salt: Hex;
}

/** A capture that passed every check, ready to store. */
export interface AcceptedCapture {
  digest: Hex;
  capture: Capture;
  signature: Hex;
  participant: number;
  /** the hash of each event, in document order; null for an event refused under `proceed` */
  eventHashes: (Hex | null)[];
  /** events refused under `GS1-Capture-Error-Behaviour: proceed` */
  rejected: EpcisIssue[];
  format: typeof CAPTURE_FORMAT_V2;
  salt: Hex;
  /** each event's parts, as the signed events root commits to them */
  parts: EventParts[];
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;

/**
 * Authenticates a capture from its envelope alone, at a cost that does not grow with the body: the
 * envelope's shape and age, the event count within the limit, the EIP-712 signature (low-s) over
 * the events root and count the submitter states, and that the signing key is an active key of a
 * participant that may record. Nothing of the document is read before this passes.
 */
export async function authenticateCapture(
  envelope: CaptureEnvelope,
  options: IntakeOptions,
): Promise<AuthenticatedCapture> {
  const submitter = field("submitter", envelope.submitter, ADDRESS, "a 0x-prefixed 20-byte address") as Address;
  // one nonce whatever its hex case: it is a bytes32 to the signature
  const nonce = field("nonce", envelope.nonce, BYTES32, "a 0x-prefixed 32-byte hex string").toLowerCase() as Hex;
  const signature = field("signature", envelope.signature, SIGNATURE, "a 0x-prefixed 65-byte signature") as Hex;
  const eventsRoot = field(
    "eventsRoot",
    envelope.eventsRoot,
    BYTES32,
    "the signed events root, a 0x-prefixed 32-byte hex string",
  ).toLowerCase() as Hex;
  if (!/^[1-9]\d{0,8}$/.test(envelope.eventCount ?? "")) {
    throw new ValidationError("eventCount", envelope.eventCount, "the signed number of events, 1 or more");
  }
  if (Number(envelope.eventCount) > options.maxEvents) {
    throw new ValidationError("eventCount", envelope.eventCount, `a capture holds at most ${options.maxEvents} events`);
  }
  const salt = checkCaptureSalt(envelope.salt);
  if (!/^\d{1,15}$/.test(envelope.issuedAt ?? "")) {
    throw new ValidationError("issuedAt", envelope.issuedAt, "seconds since the epoch");
  }
  const issuedAt = Number(envelope.issuedAt);
  const now = Math.floor(options.now() / 1000);
  if (issuedAt < now - options.maxAgeSeconds) {
    throw new UnauthorizedError(
      `issuedAt: the signature expired (issued ${now - issuedAt} s ago, at most ${options.maxAgeSeconds} s)`,
    );
  }
  if (issuedAt > now + options.maxSkewSeconds) {
    throw new ValidationError("issuedAt", envelope.issuedAt, `is ${issuedAt - now} s in the future`);
  }
  const capture: Capture = {
    submitter,
    eventsRoot,
    eventCount: Number(envelope.eventCount),
    nonce,
    issuedAt: BigInt(issuedAt),
  };
  if (!(await verifyCaptureSignature(options.domain, capture, signature))) {
    throw new UnauthorizedError(
      `signature: not ${submitter}'s EIP-712 Capture signature (in low-s form) over events root ${eventsRoot} (${capture.eventCount} events) on chain ${options.domain.chainId}, contract ${options.domain.verifyingContract}`,
    );
  }
  const standing = await activeParticipant(options.registry, submitter, "submitter");
  return {
    digest: captureDigest(options.domain, capture),
    capture,
    signature,
    participant: standing.participant,
    salt,
  };
}

/**
 * Checks the document of an authenticated capture, each step linear in its size: the EPCIS 2.0
 * schema, every event's identifiers and CBV 2.0 hash (a present eventID must equal it), and that
 * the events with the salt give the signed root (capture format 2: selective disclosure). Under
 * `proceed` the invalid events are listed and the rest kept; the signature still covers the whole
 * document.
 */
export function checkCaptureDocument(
  document: unknown,
  auth: AuthenticatedCapture,
  behaviour: "rollback" | "proceed",
): AcceptedCapture {
  const { capture, salt } = auth;
  const { issues, events, hashes } = captureDocumentIssues(document, (events) => {
    if (events.length !== capture.eventCount) {
      throw new ValidationError(
        "eventCount",
        String(capture.eventCount),
        `the capture signs ${capture.eventCount} events, the document holds ${events.length}`,
      );
    }
  });
  const bad = new Set(issues.map((i) => i.eventIndex));
  if (issues.length > 0 && (behaviour === "rollback" || bad.size === events.length)) {
    throw new CaptureRejectedError(issues);
  }

  const parts = captureEventParts(events, hashes, salt);
  if (disclosedEventsTree(parts, saltHash(salt)).root !== capture.eventsRoot) {
    throw new ValidationError(
      "eventsRoot",
      capture.eventsRoot,
      "is not the root these events give with this salt (capture format 2): the signed parts do not match the events",
    );
  }
  return {
    digest: auth.digest,
    capture,
    signature: auth.signature,
    participant: auth.participant,
    eventHashes: hashes.map((h, i) => (bad.has(i) ? null : h)),
    rejected: issues,
    format: CAPTURE_FORMAT_V2,
    salt,
    parts,
  };
}

/** Authenticates a capture, then checks its document: both steps of intake, in that order. */
export async function checkCapture(
  document: unknown,
  envelope: CaptureEnvelope,
  behaviour: "rollback" | "proceed",
  options: IntakeOptions,
): Promise<AcceptedCapture> {
  return checkCaptureDocument(document, await authenticateCapture(envelope, options), behaviour);
}

function field(name: string, value: string | undefined, pattern: RegExp, what: string): string {
  if (typeof value !== "string" || !pattern.test(value))
    throw new ValidationError(name, value ?? "", `must be ${what}`);
  return value;
}
