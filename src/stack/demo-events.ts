import { formatDigitalLink } from "../core/gs1/digital-link";
import { CANONICAL_ORIGIN } from "../core/gs1/epc-uri";
import type { JsonValue } from "../core/epcis/event-hash";

type Event = { [k: string]: JsonValue };

/** A site by its GLN, as EPCIS read points and business locations name it. */
export const site = (gln: string) => `https://id.gs1.org/414/${gln}`;
export const unitLink = (gtin: string, serial: string) => formatDigitalLink({ origin: CANONICAL_ORIGIN, gtin, serial });
export const ssccLink = (sscc: string) => `https://id.gs1.org/00/${sscc}`;

const base = (time: Date, where: string) => ({
  eventTime: time.toISOString(),
  eventTimeZoneOffset: "+00:00",
  readPoint: { id: where },
  bizLocation: { id: where },
});

/** Units printed and applied on the line: they exist from now on. */
export const commissioning = (epcs: string[], time: Date, where: string): Event => ({
  type: "ObjectEvent",
  ...base(time, where),
  epcList: epcs,
  action: "ADD",
  bizStep: "commissioning",
  disposition: "active",
});

/** Children packed into a case or a pallet (`DELETE`: taken out of it). */
export const aggregation = (
  parent: string,
  children: string[],
  action: "ADD" | "DELETE",
  time: Date,
  where: string,
): Event => ({
  type: "AggregationEvent",
  ...base(time, where),
  parentID: parent,
  childEPCs: children,
  action,
  bizStep: action === "ADD" ? "packing" : "unpacking",
  disposition: "in_progress",
});

/** A scan at a step of the chain: shipping, receiving, selling. */
export const observation = (
  epcs: string[],
  step: "shipping" | "receiving" | "retail_selling",
  time: Date,
  where: string,
): Event => ({
  type: "ObjectEvent",
  ...base(time, where),
  epcList: epcs,
  action: "OBSERVE",
  bizStep: step,
  disposition: { shipping: "in_transit", receiving: "in_progress", retail_selling: "retail_sold" }[step],
});

/** An EPCIS 2.0 document around `events`, as a scanner or ERP connector sends it. */
export const epcisDocument = (events: Event[], created: Date): Event => ({
  "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
  type: "EPCISDocument",
  schemaVersion: "2.0",
  creationDate: created.toISOString(),
  epcisBody: { eventList: events },
});
