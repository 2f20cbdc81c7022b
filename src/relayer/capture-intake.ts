import type { Address, Hex } from "viem";
import { captureDigest, verifyCaptureSignature, type Capture, type CustodyDomain } from "../core/custody/eip712";
import { captureEventsTree } from "../core/custody/capture-tree";
import { CaptureRejectedError, UnauthorizedError, ValidationError } from "../core/errors";
import { eventHashBytes, eventsOf, fromNiUri, type JsonValue } from "../core/epcis/event-hash";
import { identifierIssues } from "../core/epcis/identifiers";
import { validateEpcisDocument, type EpcisIssue } from "../core/epcis/validate";
import { activeParticipant, type KeyRegistry } from "./key-checks";

/** The signed envelope of a capture, sent beside the EPCIS document (as request headers). */
export interface CaptureEnvelope {
  submitter: string;
  nonce: string;
  issuedAt: string;
  signature: string;
}

export interface IntakeOptions {
  domain: CustodyDomain;
  registry: KeyRegistry;
  /** how old (and how far ahead) a capture's issuedAt may be */
  maxAgeSeconds: number;
  maxSkewSeconds: number;
  now: () => number;
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
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;

/**
 * Checks an EPCIS capture: the envelope's shape, the document against the EPCIS 2.0 schema, every
 * event's identifiers and CBV 2.0 hash (a present eventID must equal it), the EIP-712 signature over
 * the events root, its age, and that the signing key is active in the registry. Under `proceed`
 * the invalid events are listed and the rest kept; the signature still covers the whole document.
 */
export async function checkCapture(
  document: unknown,
  envelope: CaptureEnvelope,
  behaviour: "rollback" | "proceed",
  options: IntakeOptions,
): Promise<AcceptedCapture> {
  const submitter = field("submitter", envelope.submitter, ADDRESS, "a 0x-prefixed 20-byte address") as Address;
  const nonce = field("nonce", envelope.nonce, BYTES32, "a 0x-prefixed 32-byte hex string") as Hex;
  const signature = field("signature", envelope.signature, SIGNATURE, "a 0x-prefixed 65-byte signature") as Hex;
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

  const issues = validateEpcisDocument(document as JsonValue);
  const documentIssues = issues.filter((i) => i.eventIndex === undefined);
  if (documentIssues.length > 0) throw new CaptureRejectedError(issues);
  const { events, context } = eventsOf(document as { [k: string]: JsonValue });
  const hashes = events.map((e) => eventHashBytes(e, context));
  events.forEach((event, i) => {
    const flagged = new Set(issues.map((issue) => issue.pointer));
    issues.push(...identifierIssues(event, i).filter((issue) => !flagged.has(issue.pointer)));
    if (event.eventID !== undefined) {
      let stated: Hex | undefined;
      try {
        stated = fromNiUri(String(event.eventID));
      } catch {
        stated = undefined;
      }
      if (stated !== hashes[i]) {
        issues.push({
          eventIndex: i,
          pointer: `/epcisBody/eventList/${i}/eventID`,
          message: `does not match the event's CBV 2.0 hash ni:///sha-256;${hashes[i].slice(2)}?ver=CBV2.0`,
        });
      }
    }
  });
  const bad = new Set(issues.map((i) => i.eventIndex));
  if (issues.length > 0 && (behaviour === "rollback" || bad.size === events.length)) {
    throw new CaptureRejectedError(issues);
  }

  const tree = captureEventsTree(hashes);
  const capture: Capture = {
    submitter,
    eventsRoot: tree.root,
    eventCount: events.length,
    nonce,
    issuedAt: BigInt(issuedAt),
  };
  if (!(await verifyCaptureSignature(options.domain, capture, signature))) {
    throw new UnauthorizedError(
      `signature: not ${submitter}'s EIP-712 Capture signature over this document's ${events.length} events on chain ${options.domain.chainId}, contract ${options.domain.verifyingContract}`,
    );
  }
  const standing = await activeParticipant(options.registry, submitter, "submitter");
  return {
    digest: captureDigest(options.domain, capture),
    capture,
    signature,
    participant: standing.participant,
    eventHashes: hashes.map((h, i) => (bad.has(i) ? null : h)),
    rejected: issues,
  };
}

function field(name: string, value: string | undefined, pattern: RegExp, what: string): string {
  if (typeof value !== "string" || !pattern.test(value))
    throw new ValidationError(name, value ?? "", `must be ${what}`);
  return value;
}
