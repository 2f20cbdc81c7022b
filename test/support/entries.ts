import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "viem";
import { captureEventsTree } from "../../src/core/custody/capture-tree";
import { captureDigest, handoverDigest, type Capture, type CustodyDomain } from "../../src/core/custody/eip712";
import { eventHashBytes, type JsonValue } from "../../src/core/epcis/event-hash";
import { signCapture, signHandover } from "./captures";

/** A commitment entry as the relayer stores it. */
export interface Entry {
  kind: "capture" | "handover";
  digest: Hex;
  body: string;
  event_count: number;
}

/** A capture entry signed by `key`, naming `claim`'s address as its submitter (a forgery when they differ). */
export async function signedCaptureEntry(
  domain: CustodyDomain,
  doc: { [k: string]: JsonValue },
  key: Hex,
  claim: Hex = key,
): Promise<Entry> {
  const envelope = await signCapture(doc, key, domain);
  const events = (doc.epcisBody as { eventList: { [k: string]: JsonValue }[] }).eventList;
  const capture: Capture = {
    submitter: privateKeyToAccount(claim).address,
    eventsRoot: captureEventsTree(events.map((e) => eventHashBytes(e))).root,
    eventCount: events.length,
    nonce: envelope.nonce as Hex,
    issuedAt: BigInt(envelope.issuedAt),
  };
  const body = {
    document: doc,
    capture: { ...capture, issuedAt: envelope.issuedAt },
    signature: envelope.signature,
    rejected: [],
  };
  return {
    kind: "capture",
    digest: captureDigest(domain, capture),
    body: JSON.stringify(body),
    event_count: events.length,
  };
}

/** A handover entry signed by both parties. */
export async function signedHandoverEntry(
  domain: CustodyDomain,
  items: string[],
  senderKey: Hex,
  receiverKey: Hex,
): Promise<Entry> {
  const h = await signHandover(items, senderKey, receiverKey, domain);
  const digest = handoverDigest(domain, {
    ...h.handover,
    eventTime: BigInt(h.handover.eventTime),
    deadline: BigInt(h.handover.deadline),
  } as Parameters<typeof handoverDigest>[1]);
  const body = {
    handover: h.handover,
    items,
    senderSignature: h.senderSignature,
    receiverSignature: h.receiverSignature,
  };
  return { kind: "handover", digest, body: JSON.stringify(body), event_count: 1 };
}
