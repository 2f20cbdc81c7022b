import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "viem";
import { signCapture as signedCapture, type SignedCaptureEnvelope } from "../../src/client/sign-capture";
import { coSignHandover } from "../../src/client/sign-handover";
import type { CustodyDomain } from "../../src/core/custody/eip712";
import type { JsonValue } from "../../src/core/epcis/event-hash";

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
  options: { nonce?: string; issuedAt?: number; salt?: Hex } = {},
): Promise<SignedCaptureEnvelope> {
  return signedCapture({ document, account: privateKeyToAccount(privateKey), domain, ...options });
}

/** A unit's Digital Link under the GTIN the fixtures use. */
export const unit = (serial: string) => `https://id.gs1.org/01/10614141073464/21/${serial}`;

/** The body of POST /handovers, signed by the sender's and the receiver's keys. */
export function signHandover(
  items: string[],
  senderKey: Hex,
  receiverKey: Hex,
  domain: CustodyDomain,
  options: { id?: string; deadline?: number; eventTime?: number; shipmentRef?: string } = {},
) {
  return coSignHandover({
    items,
    sender: privateKeyToAccount(senderKey),
    receiver: privateKeyToAccount(receiverKey),
    domain,
    ...options,
  });
}
