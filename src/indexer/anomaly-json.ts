import type { IndexerTables } from "../store/indexer-schema";

/** An anomaly as the API lists it and the webhooks send it (one shape for both). */
export function anomalyJson(a: IndexerTables["anomalies"]) {
  return {
    id: a.id,
    kind: a.kind,
    epc: a.epc,
    detail: a.detail,
    ref: a.ref,
    time: new Date(Number(a.time)).toISOString(),
    block: Number(a.block_number),
  };
}

/** A clone alert in the same shape, with its counts. */
export function cloneAlertJson(c: IndexerTables["clone_alerts"]) {
  return {
    id: c.id,
    kind: "cloned_code",
    epc: c.epc,
    detail: c.detail,
    verifications: c.verifications,
    regions: c.regions,
    time: new Date(Number(c.at)).toISOString(),
  };
}

/** An enumeration alert in the same shape: no code (it is about a client), its lookup count. */
export function enumerationAlertJson(e: IndexerTables["enumeration_alerts"]) {
  return {
    id: e.id,
    kind: "enumeration_attempt",
    epc: "",
    client: e.client,
    detail: e.detail,
    lookups: e.lookups,
    time: new Date(Number(e.at)).toISOString(),
  };
}

/** A visitor's report of a suspect pack in the same shape: what they typed, their salted hash. */
export function suspectReportJson(r: IndexerTables["suspect_reports"]) {
  return {
    id: r.id,
    kind: "suspect_report",
    epc: r.epc,
    verdict: r.verdict,
    detail: r.what,
    where: r.bought_at,
    ...(r.contact ? { contact: r.contact } : {}),
    visitor: r.visitor,
    time: new Date(Number(r.at)).toISOString(),
  };
}
