import { privateKeyToAccount } from "viem/accounts";
import { keccak256, stringToHex, type Hex } from "viem";
import { captureTypedData, handoverTypedData, type CustodyDomain } from "../../src/core/custody/eip712";
import { handoverItemsTree } from "../../src/core/custody/handover-items";
import { captureEventsTree } from "../../src/core/custody/capture-tree";
import { eventHashBytes, eventsOf, type JsonValue } from "../../src/core/epcis/event-hash";
import type { CaptureEnvelope } from "../../src/relayer/capture-intake";

/** An ObjectEvent observing `n` units of a GTIN at a site: what a packing line scanner sends. */
export function objectEvent(serials: readonly string[], time = "2026-11-01T10:00:00.000Z"): { [k: string]: JsonValue } {
  return {
    type: "ObjectEvent",
    eventTime: time,
    eventTimeZoneOffset: "+00:00",
    epcList: serials.map((s) => `https://id.gs1.org/01/10614141073464/21/${s}`),
    action: "OBSERVE",
    bizStep: "shipping",
    disposition: "in_transit",
    readPoint: { id: "https://id.gs1.org/414/0614141000005" },
  };
}

export function epcisDocument(events: { [k: string]: JsonValue }[]): { [k: string]: JsonValue } {
  return {
    "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2026-11-01T10:00:00.000Z",
    epcisBody: { eventList: events },
  };
}

/** Signs a document's capture with `privateKey` the way a submitter's client does. */
export async function signCapture(
  document: { [k: string]: JsonValue },
  privateKey: Hex,
  domain: CustodyDomain,
  options: { nonce?: string; issuedAt?: number } = {},
): Promise<CaptureEnvelope> {
  const account = privateKeyToAccount(privateKey);
  const { events, context } = eventsOf(document);
  const tree = captureEventsTree(events.map((e) => eventHashBytes(e, context)));
  const nonce = keccak256(stringToHex(options.nonce ?? `${Date.now()}-${Math.random()}`));
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const capture = {
    submitter: account.address,
    eventsRoot: tree.root,
    eventCount: events.length,
    nonce,
    issuedAt: BigInt(issuedAt),
  };
  const signature = await account.signTypedData(captureTypedData(domain, capture));
  return { submitter: account.address, nonce, issuedAt: String(issuedAt), signature };
}

/** A unit's Digital Link under the GTIN the fixtures use. */
export const unit = (serial: string) => `https://id.gs1.org/01/10614141073464/21/${serial}`;

/**
 * The body of POST /handovers, signed by the sender's and the receiver's keys (either may be
 * left out with `only`, or the message altered after signing with `tamper`).
 */
export async function signHandover(
  items: string[],
  senderKey: Hex,
  receiverKey: Hex,
  domain: CustodyDomain,
  options: { id?: string; deadline?: number; eventTime?: number; shipmentRef?: string } = {},
) {
  const sender = privateKeyToAccount(senderKey);
  const receiver = privateKeyToAccount(receiverKey);
  const now = Math.floor(Date.now() / 1000);
  const shipmentRef = options.shipmentRef ?? "DESADV-0001";
  const handover = {
    handoverId: keccak256(stringToHex(options.id ?? `${Date.now()}-${Math.random()}`)),
    from: sender.address,
    to: receiver.address,
    itemsRoot: handoverItemsTree(items).root,
    itemCount: items.length,
    shipmentRefHash: keccak256(stringToHex(shipmentRef)),
    eventTime: BigInt(options.eventTime ?? now - 60),
    deadline: BigInt(options.deadline ?? now + 3600),
  };
  const typed = handoverTypedData(domain, handover);
  return {
    handover: { ...handover, eventTime: handover.eventTime.toString(), deadline: handover.deadline.toString() },
    items,
    shipmentRef,
    senderSignature: await sender.signTypedData(typed),
    receiverSignature: await receiver.signTypedData(typed),
  };
}
