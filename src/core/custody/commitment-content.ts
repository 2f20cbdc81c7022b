import type { Address, Hex } from "viem";
import { eventHashBytes, eventsOf, type EpcisEvent, type JsonValue } from "../epcis/event-hash";
import { captureEventsTree, commitmentTree } from "./capture-tree";
import { captureDigest, verifyCaptureSignature, type Capture, type CustodyDomain } from "./eip712";
import {
  handoverMessageDigest,
  handoverSigners,
  isParticipantHandover,
  PARTICIPANT_HANDOVER_FORMAT,
  readHandoverMessage,
  type HandoverMessage,
} from "./handover-message";
import { handoverItemsTree, shipmentRefHashOf } from "./handover-items";
import { CAPTURE_FORMAT_V2, checkCaptureSalt, readEventParts, type EventParts } from "./event-disclosure";
import { checkDisclosure } from "./disclosure-trees";
import { CUSTODY_KINDS } from "./participant-kinds";
import { decodeCommitmentDocument, type CommitmentDocument } from "./commitment-document";

/** What the chain says of a commitment; its content must agree. */
export interface CommitmentRecord {
  chainId: number;
  commitmentLog: Address;
  relayer: number;
  sequence: number;
  root: Hex;
  eventCount: number;
}

/** A key's standing when the commitment was made: participant 0 when it was never registered. */
export interface KeyStandingAt {
  participant: number;
  kind: number;
  active: boolean;
}

/** Why an entry failed its checks, for callers that sort failures (the audit's violation kinds). */
export type EntryFailure =
  | "malformed"
  | "count"
  | "root"
  | "digest"
  | "signature"
  | "key_unregistered"
  | "key_inactive"
  | "not_custodian"
  /** a format-2 capture whose submitter signed parts its own events contradict */
  | "inconsistent";

export interface VerifiedCapture {
  kind: "capture";
  digest: Hex;
  valid: boolean;
  detail: string;
  failure?: EntryFailure;
  capture?: Capture;
  signature?: Hex;
  participant?: number;
  /** every event in document order with its hash; `rejected` ones were left out at intake */
  events: { event: EpcisEvent; hash: Hex; rejected: boolean }[];
  context?: JsonValue;
  /** a format-2 capture's disclosure salt and each event's signed parts (absent: format 1) */
  disclosure?: { salt: Hex; parts: EventParts[] };
}

export interface VerifiedHandover {
  kind: "handover";
  digest: Hex;
  valid: boolean;
  detail: string;
  failure?: EntryFailure;
  /** the signed message: participant-addressed (format 3) or key-addressed (formats 1 and 2) */
  handover?: HandoverMessage;
  items: string[];
  senderSignature?: Hex;
  receiverSignature?: Hex;
  /** the keys that signed each half (for formats 1 and 2, the message's own from and to) */
  senderKey?: Address;
  receiverKey?: Address;
  sender?: number;
  receiver?: number;
  /** handover format 2: the salt of its items' leaves */
  salt?: Hex;
}

export type VerifiedEntry = VerifiedCapture | VerifiedHandover;

export interface ContentVerdict {
  /** false when the content as a whole is not the commitment's (its root, its header) */
  valid: boolean;
  detail: string;
  /** each entry checked on its own: a relayer cannot make a forged entry pass, nor spoil the rest */
  entries: VerifiedEntry[];
}

/**
 * Checks a commitment's published content (trackroot.commitment.v1, read by
 * ./commitment-document.ts) against the chain's record:
 * the header, the root rebuilt from the entries, the event count; then every entry on its own: a
 * capture's events hash to its signed events root, its digest and signature hold, and its key was
 * active when committed; a handover's items give its items root, both signatures hold and both
 * keys were active keys of custody-holding participants. Pure: key standings come from `keyAt`.
 */
export async function verifyCommitmentContent(
  bytes: Uint8Array,
  record: CommitmentRecord,
  keyAt: (key: Address) => Promise<KeyStandingAt>,
): Promise<ContentVerdict> {
  let document: CommitmentDocument;
  try {
    document = decodeCommitmentDocument(bytes);
  } catch (e) {
    return { valid: false, detail: (e as Error).message, entries: [] };
  }
  const header: [string, unknown, unknown][] = [
    ["chainId", document.chainId, record.chainId],
    ["commitmentLog", document.commitmentLog, record.commitmentLog.toLowerCase()],
    ["relayer", document.relayer, record.relayer],
    ["sequence", document.sequence, record.sequence],
    ["root", document.root, record.root.toLowerCase()],
  ];
  for (const [field, got, want] of header) {
    if (got !== want)
      return {
        valid: false,
        detail: `${field} is ${JSON.stringify(got)}, the chain's is ${JSON.stringify(want)}`,
        entries: [],
      };
  }
  const listed = document.entries;
  let root: Hex;
  try {
    root = commitmentTree(listed.map((e) => ({ kind: e.kind, digest: e.digest }))).root;
  } catch (e) {
    return { valid: false, detail: `entries: ${(e as Error).message}`, entries: [] };
  }
  if (root !== record.root.toLowerCase()) {
    return { valid: false, detail: `the entries give root ${root}, the chain's is ${record.root}`, entries: [] };
  }
  const domain: CustodyDomain = { chainId: record.chainId, verifyingContract: record.commitmentLog };
  const entries: VerifiedEntry[] = [];
  for (const e of listed) {
    entries.push(
      e.kind === "capture"
        ? await verifyCapture(e.digest, e.body, domain, keyAt)
        : await verifyHandover(e.digest, e.body, domain, keyAt),
    );
  }
  const counted = entries.reduce((n, e) => n + (e.kind === "capture" ? (e.capture?.eventCount ?? 0) : 1), 0);
  if (entries.every((e) => e.valid) && counted !== record.eventCount) {
    return {
      valid: false,
      detail: `the entries hold ${counted} events, the chain's count is ${record.eventCount}`,
      entries: [],
    };
  }
  return { valid: true, detail: "", entries };
}

async function verifyCapture(
  digest: Hex,
  body: unknown,
  domain: CustodyDomain,
  keyAt: (key: Address) => Promise<KeyStandingAt>,
): Promise<VerifiedCapture> {
  // what the entry claims, once read: a failed entry still names its submitter as evidence
  let capture: Capture | undefined;
  const fail = (failure: EntryFailure, detail: string): VerifiedCapture => ({
    kind: "capture",
    digest,
    valid: false,
    detail,
    failure,
    events: [],
    ...(capture ? { capture } : {}),
  });
  const b = body as {
    document?: { [k: string]: JsonValue };
    capture?: Record<string, unknown>;
    signature?: unknown;
    rejected?: unknown;
    format?: unknown;
    salt?: unknown;
    parts?: unknown;
  };
  try {
    const c = b?.capture ?? {};
    capture = {
      submitter: String(c.submitter) as Address,
      eventsRoot: String(c.eventsRoot).toLowerCase() as Hex,
      eventCount: Number(c.eventCount),
      nonce: String(c.nonce) as Hex,
      issuedAt: BigInt(String(c.issuedAt)),
    };
    const { events, context, ignore } = eventsOf(b.document ?? {});
    const hashes = events.map((ev) => eventHashBytes(ev, context, ignore));
    if (hashes.length !== capture.eventCount)
      return fail("count", `the document holds ${hashes.length} events, the capture signs ${capture.eventCount}`);
    // format 2 (selective disclosure): its parts are checked against the signed root now, and
    // against its events only once the signature shows whose parts they are
    const format = b.format === undefined ? 1 : b.format;
    if (format !== 1 && format !== CAPTURE_FORMAT_V2)
      return fail("malformed", `format ${JSON.stringify(format)} is neither 1 nor ${CAPTURE_FORMAT_V2}`);
    const disclosed =
      format === CAPTURE_FORMAT_V2
        ? checkDisclosure({ events, eventHashes: hashes, salt: b.salt, parts: b.parts, eventsRoot: capture.eventsRoot })
        : null;
    if (disclosed && disclosed.failure !== "inconsistent") return fail(disclosed.failure, disclosed.detail);
    if (format === 1 && captureEventsTree(hashes).root !== capture.eventsRoot)
      return fail("root", "the document's events do not give the signed events root");
    if (captureDigest(domain, capture) !== digest) return fail("digest", "the capture does not hash to its digest");
    const signature = String(b.signature) as Hex;
    if (!(await verifyCaptureSignature(domain, capture, signature)))
      return fail("signature", `the signature is not ${capture.submitter}'s`);
    const standing = await keyAt(capture.submitter);
    if (standing.participant === 0)
      return fail("key_unregistered", `${capture.submitter} was not a registered key when committed`);
    if (!standing.active)
      return fail("key_inactive", `${capture.submitter} was revoked (or its participant deactivated) when committed`);
    if (disclosed) return { ...fail("inconsistent", disclosed.detail), signature, participant: standing.participant };
    const rejected = new Set(
      (Array.isArray(b.rejected) ? b.rejected : []).map((r: { eventIndex?: unknown }) => Number(r?.eventIndex)),
    );
    return {
      kind: "capture",
      digest,
      valid: true,
      detail: "",
      capture,
      signature,
      participant: standing.participant,
      events: events.map((event, i) => ({ event, hash: hashes[i], rejected: rejected.has(i) })),
      ...(context === undefined ? {} : { context }),
      ...(format === CAPTURE_FORMAT_V2
        ? { disclosure: { salt: String(b.salt).toLowerCase() as Hex, parts: readEventParts(b.parts) } }
        : {}),
    };
  } catch (e) {
    return fail("malformed", `malformed capture: ${(e as Error).message}`);
  }
}

async function verifyHandover(
  digest: Hex,
  body: unknown,
  domain: CustodyDomain,
  keyAt: (key: Address) => Promise<KeyStandingAt>,
): Promise<VerifiedHandover> {
  const b = body as {
    format?: unknown;
    handover?: unknown;
    items?: unknown;
    senderSignature?: unknown;
    receiverSignature?: unknown;
    salt?: unknown;
    shipmentRef?: unknown;
  };
  const items = Array.isArray(b?.items) ? b.items.map(String) : [];
  let handover: HandoverMessage | undefined;
  const fail = (failure: EntryFailure, detail: string): VerifiedHandover => ({
    kind: "handover",
    digest,
    valid: false,
    detail,
    failure,
    items,
    ...(handover ? { handover } : {}),
  });
  try {
    // format 3 says so; formats 1 and 2 (key-addressed) said nothing, format 2 carries a salt
    if (b.format !== undefined && b.format !== PARTICIPANT_HANDOVER_FORMAT) {
      return fail("malformed", `handover format ${JSON.stringify(b.format)} is not ${PARTICIPANT_HANDOVER_FORMAT}`);
    }
    const participants = b.format === PARTICIPANT_HANDOVER_FORMAT;
    handover = readHandoverMessage(b.handover, participants);
    if (items.length !== handover.itemCount)
      return fail("count", `${items.length} items listed, ${handover.itemCount} signed`);
    // formats 2 and 3 salt their items' leaves; a salt that is not 32 bytes is no salt
    if (participants && b.salt === undefined) return fail("malformed", "a format-3 handover has a salt");
    const salt = b.salt === undefined ? undefined : checkCaptureSalt(b.salt);
    if (handoverItemsTree(items, salt).root !== handover.itemsRoot)
      return fail("root", "the items do not give the signed items root");
    // the reference in clear is published beside its signed hash: it must be the one signed
    if (b.shipmentRef !== undefined && shipmentRefHashOf(String(b.shipmentRef), salt) !== handover.shipmentRefHash)
      return fail("root", "the shipment reference does not give the signed shipmentRefHash");
    if (handoverMessageDigest(domain, handover) !== digest) {
      return fail("digest", "the handover does not hash to its digest");
    }
    const senderSignature = String(b.senderSignature) as Hex;
    const receiverSignature = String(b.receiverSignature) as Hex;
    const keys = await handoverSigners(domain, handover, senderSignature, receiverSignature);
    if (!keys.sender) return fail("signature", `the sender signature is not ${partyOf(handover, "sender")}'s`);
    if (!keys.receiver) return fail("signature", `the receiver signature is not ${partyOf(handover, "receiver")}'s`);
    const [sender, receiver] = [await keyAt(keys.sender), await keyAt(keys.receiver)];
    for (const [who, s, key] of [
      ["sender", sender, keys.sender],
      ["receiver", receiver, keys.receiver],
    ] as const) {
      if (s.participant === 0)
        return fail("key_unregistered", `the ${who} key ${key} was not a registered key when committed`);
      const named = isParticipantHandover(handover)
        ? who === "sender"
          ? handover.fromParticipant
          : handover.toParticipant
        : s.participant;
      if (s.participant !== named) {
        return fail(
          "signature",
          `the ${who} signature is by ${key}, a key of participant ${s.participant}, not ${named}`,
        );
      }
      if (!s.active) return fail("key_inactive", `the ${who} key ${key} was not active when committed`);
      if (!CUSTODY_KINDS.has(s.kind))
        return fail("not_custodian", `the ${who} (participant ${s.participant}) holds no custody`);
    }
    return {
      kind: "handover",
      digest,
      valid: true,
      detail: "",
      handover,
      items,
      senderSignature,
      receiverSignature,
      senderKey: keys.sender,
      receiverKey: keys.receiver,
      sender: sender.participant,
      receiver: receiver.participant,
      ...(salt ? { salt } : {}),
    };
  } catch (e) {
    return fail("malformed", `malformed handover: ${(e as Error).message}`);
  }
}

/** Who a handover names for one side: a participant (format 3) or a key. */
function partyOf(handover: HandoverMessage, who: "sender" | "receiver"): string {
  if (isParticipantHandover(handover)) {
    return `a key of participant ${who === "sender" ? handover.fromParticipant : handover.toParticipant}`;
  }
  return who === "sender" ? handover.from : handover.to;
}
