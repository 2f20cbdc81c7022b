import type { Address, Hex } from "viem";
import { IntegrityError, ValidationError } from "../errors";
import type { JsonValue } from "../epcis/event-hash";
import type { EpcisIssue } from "../epcis/validate";
import { parseStrictJson, PUBLISHED_DEPTH_LIMIT } from "../json/strict-json";
import type { HandoverMessageJson } from "./handover-message";

/**
 * trackroot.commitment.v1: what a commitment's CID points at. The relayer writes it; the indexer
 * and the audit read it back from the content store, as untrusted as any request:
 *
 *   {"type":"trackroot.commitment.v1","chainId":…,"commitmentLog":"0x…","relayer":…,"sequence":…,
 *    "root":"0x…","entries":[{"kind":"capture"|"handover","digest":"0x…","body":{…}},…]}
 *
 * Entries in leaf-value order (the commitment tree's). A capture's body holds the EPCIS document as
 * the exact text its submitter sent (its events were hashed from that text), the signed capture,
 * its signature and what intake left out; a handover's, the signed message, its items and both
 * signatures. Pinned by test/vectors/commitment-document.json.
 */
export const COMMITMENT_DOCUMENT_TYPE = "trackroot.commitment.v1";

export type EntryKind = "capture" | "handover";

/** Which commitment a document says it is; its readers compare it with the chain's record. */
export interface CommitmentHeader {
  chainId: number;
  commitmentLog: Address;
  relayer: number;
  sequence: number;
  root: Hex;
}

/** An entry as the relayer stores it: its body the JSON text accepted, spliced in as it stands. */
export interface StoredEntry {
  kind: EntryKind;
  digest: string;
  body: string;
}

export interface CommitmentDocument extends CommitmentHeader {
  type: typeof COMMITMENT_DOCUMENT_TYPE;
  /** each body as published, for the entry's own checks (src/core/custody/commitment-content.ts) */
  entries: { kind: EntryKind; digest: Hex; body: unknown }[];
}

/** A capture as signed, in JSON: its time as a decimal string. */
export interface CaptureJson {
  submitter: Address;
  eventsRoot: Hex;
  eventCount: number;
  nonce: Hex;
  issuedAt: string;
}

/** A capture entry's body. */
export interface CaptureEntryBody {
  document: { [k: string]: JsonValue };
  capture: CaptureJson;
  signature: Hex;
  /** events left out at intake (GS1-Capture-Error-Behaviour: proceed), each with why */
  rejected?: EpcisIssue[];
  /** 2: selective disclosure, with its salt and each event's signed parts; absent or 1: plain */
  format?: number;
  salt?: Hex;
  parts?: unknown;
}

/** A handover entry's body: format 3 names participants, formats 1 and 2 (no `format`) keys. */
export interface HandoverEntryBody {
  format?: number;
  handover: HandoverMessageJson;
  items: string[];
  shipmentRef?: string;
  salt?: Hex;
  senderSignature: Hex;
  receiverSignature: Hex;
}

/**
 * The document's bytes. Each entry's body is spliced in as the JSON it was accepted as rather than
 * parsed and written again: a batch of 10,000 events is megabytes, and this runs on the thread
 * that answers captures.
 */
export function encodeCommitmentDocument(
  header: Omit<CommitmentHeader, "commitmentLog" | "root"> & { commitmentLog: string; root: string },
  entries: readonly StoredEntry[],
): Uint8Array {
  const { chainId, commitmentLog, relayer, sequence, root } = header;
  const head = JSON.stringify({
    type: COMMITMENT_DOCUMENT_TYPE,
    chainId,
    commitmentLog,
    relayer,
    sequence,
    root,
    entries: [],
  }).slice(0, -"[]}".length);
  const parts = entries.map(
    (e) => `{"kind":${JSON.stringify(e.kind)},"digest":${JSON.stringify(e.digest)},"body":${e.body}}`,
  );
  return new TextEncoder().encode(`${head}[${parts.join(",")}]}`);
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;

/**
 * Reads a published document: strict UTF-8 JSON of bounded depth, its header's fields each of its
 * type, at least one entry, each with a kind and a 32-byte digest (addresses and hashes lower-cased).
 * The bodies are left to each entry's checks, so one bad entry cannot spoil the rest. Throws a
 * ValidationError naming the field.
 */
export function decodeCommitmentDocument(bytes: Uint8Array): CommitmentDocument {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError("commitment", bytes.length, "is not UTF-8");
  }
  // strictly and depth-bounded: published content is as untrusted as any request (errors name the pointer)
  const json = parseStrictJson(text, { maxDepth: PUBLISHED_DEPTH_LIMIT, name: "commitment" });
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new ValidationError("commitment", json, "must be a JSON object");
  const d = json as Record<string, unknown>;
  if (d.type !== COMMITMENT_DOCUMENT_TYPE)
    throw new ValidationError("type", d.type, `must be ${COMMITMENT_DOCUMENT_TYPE}`);
  const count = (field: string) => {
    const v = d[field];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
      throw new ValidationError(field, v, "must be a whole number");
    return v;
  };
  const hex = (field: string, pattern: RegExp, what: string) => {
    const v = d[field];
    if (typeof v !== "string" || !pattern.test(v)) throw new ValidationError(field, v, `must be ${what}`);
    return v.toLowerCase();
  };
  const header = {
    chainId: count("chainId"),
    commitmentLog: hex("commitmentLog", ADDRESS, "an address") as Address,
    relayer: count("relayer"),
    sequence: count("sequence"),
    root: hex("root", HASH, "a 32-byte hash") as Hex,
  };
  if (!Array.isArray(d.entries) || d.entries.length === 0)
    throw new ValidationError("entries", d.entries, "must list one or more entries");
  const entries = d.entries.map((e: unknown, i) => {
    const entry = (typeof e === "object" && e !== null ? e : {}) as Record<string, unknown>;
    if (entry.kind !== "capture" && entry.kind !== "handover")
      throw new ValidationError(`entries/${i}/kind`, entry.kind, "must be capture or handover");
    if (typeof entry.digest !== "string" || !HASH.test(entry.digest))
      throw new ValidationError(`entries/${i}/digest`, entry.digest, "must be a 32-byte hash");
    return { kind: entry.kind as EntryKind, digest: entry.digest.toLowerCase() as Hex, body: entry.body };
  });
  return { type: COMMITMENT_DOCUMENT_TYPE, ...header, entries };
}

/**
 * A capture entry's body text: the document as the exact text that came in (trimmed), then the
 * rest. Never a re-serialisation of the document: the text stored and published is the one whose
 * events were hashed.
 */
export function encodeCaptureEntryBody(documentText: string, rest: Omit<CaptureEntryBody, "document">): string {
  return `{"document":${documentText.trim()},${JSON.stringify(rest).slice(1)}`;
}

export function encodeHandoverEntryBody(body: HandoverEntryBody): string {
  return JSON.stringify(body);
}

/** A stored entry's body by its kind. */
export type EntryBody = { kind: "capture"; body: CaptureEntryBody } | { kind: "handover"; body: HandoverEntryBody };

/**
 * An entry body the relayer stored itself, read back for its receipts: written by the encoders
 * above, so a body without its kind's fields is a damaged store, not a bad request.
 */
export function readStoredEntry<K extends EntryKind>(entry: {
  kind: K;
  body: string;
}): Extract<EntryBody, { kind: K }> {
  const body = JSON.parse(entry.body) as Partial<CaptureEntryBody & HandoverEntryBody> | null;
  const whole =
    entry.kind === "capture"
      ? typeof body?.document === "object" && typeof body.capture?.submitter === "string"
      : typeof body?.handover === "object" && Array.isArray(body.items);
  if (!whole) throw new IntegrityError(`a stored ${entry.kind} entry lacks its ${entry.kind}'s fields`);
  return { kind: entry.kind, body } as Extract<EntryBody, { kind: K }>;
}
