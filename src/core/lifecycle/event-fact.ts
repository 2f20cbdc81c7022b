import { canonicalValue } from "../epcis/canonical-value";
import type { EventFact } from "./ledger-rules";

/**
 * An EPCIS event as the lifecycle rules read it: identifiers trimmed and canonical, times in ms.
 * The indexer and the audit both turn checked events into facts here, so they derive the same history.
 */
export function eventFact(event: Readonly<Record<string, unknown>>, hash: string, participant: number): EventFact {
  const ids = (field: string) =>
    Array.isArray(event[field])
      ? (event[field] as unknown[])
          .filter((v): v is string => typeof v === "string")
          .map((v) => canonicalValue(v.trim()))
      : [];
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    kind: "event",
    ref: hash,
    participant,
    time: Date.parse(text(event.eventTime)),
    type: text(event.type),
    action: text(event.action),
    bizStep: text(event.bizStep),
    readPoint: text((event.readPoint as { id?: unknown } | undefined)?.id),
    epcs: ids("epcList"),
    parent: typeof event.parentID === "string" ? canonicalValue(event.parentID.trim()) : "",
    children: ids("childEPCs"),
    inputs: ids("inputEPCList"),
    outputs: ids("outputEPCList"),
  };
}
