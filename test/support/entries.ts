import { privateKeyToAccount } from "viem/accounts";
import { keccak256, stringToHex, type Hex } from "viem";
import { randomSalt } from "../../src/client/sign-capture";
import { captureEventsTree } from "../../src/core/custody/capture-tree";
import {
  captureDigest,
  captureTypedData,
  handoverDigest,
  type Capture,
  type CustodyDomain,
} from "../../src/core/custody/eip712";
import { saltHash, type EventParts } from "../../src/core/custody/event-disclosure";
import { disclosedEventsTree, eventParts } from "../../src/core/custody/disclosure-trees";
import { eventHashBytes, eventsOf, type JsonValue } from "../../src/core/epcis/event-hash";
import { signHandover } from "./captures";

/** A commitment entry as the relayer stores it. */
export interface Entry {
  kind: "capture" | "handover";
  digest: Hex;
  body: string;
  event_count: number;
}

/**
 * A capture entry signed by `key`, naming `claim`'s address as its submitter (a forgery when they
 * differ). Format 2 (selective disclosure) unless `format: 1`; `parts` lets the signer sign parts
 * of its own choosing (inconsistent ones, when they differ from what its events give).
 */
export async function signedCaptureEntry(
  domain: CustodyDomain,
  doc: { [k: string]: JsonValue },
  key: Hex,
  claim: Hex = key,
  options: { format?: 1 | 2; parts?: (parts: EventParts[]) => EventParts[] } = {},
): Promise<Entry> {
  // hashed as every party hashes them: through the document's context and ignore list
  const { events, context, ignore } = eventsOf(doc);
  const salt = randomSalt();
  const derived = events.map((e, i) => eventParts(e, eventHashBytes(e, context, ignore), salt, i));
  const parts = options.parts ? options.parts(derived) : derived;
  const eventsRoot =
    options.format === 1
      ? captureEventsTree(events.map((e) => eventHashBytes(e, context, ignore))).root
      : disclosedEventsTree(parts, saltHash(salt)).root;
  const capture: Capture = {
    submitter: privateKeyToAccount(claim).address,
    eventsRoot,
    eventCount: events.length,
    nonce: keccak256(stringToHex(`${Date.now()}-${Math.random()}`)),
    issuedAt: BigInt(Math.floor(Date.now() / 1000)),
  };
  const signature = await privateKeyToAccount(key).signTypedData(captureTypedData(domain, capture));
  const body = {
    document: doc,
    capture: { ...capture, issuedAt: capture.issuedAt.toString() },
    signature,
    rejected: [],
    ...(options.format === 1 ? {} : { format: 2, salt, parts }),
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
  options: { eventTime?: number } = {},
): Promise<Entry> {
  const h = await signHandover(items, senderKey, receiverKey, domain, options);
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
    salt: h.salt,
  };
  return { kind: "handover", digest, body: JSON.stringify(body), event_count: 1 };
}
