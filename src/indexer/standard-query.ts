import { createHash } from "node:crypto";
import { QueryTooLargeError, ValidationError } from "../core/errors";
import { compareEvents, eventMatches, type EventQuery } from "../core/epcis/event-query";
import type { EpcisEvent } from "../core/epcis/event-hash";
import { visibleEvents } from "./events-query";
import type { IndexerStore } from "./indexer-store";
import type { ReadScope } from "./read-scope";

/** The database's role of an identifier, by the event field that lists it. */
const ROLE: Record<string, "epc" | "child" | "input" | "output" | "parent"> = {
  epcList: "epc",
  childEPCs: "child",
  inputEPCList: "input",
  outputEPCList: "output",
  parentID: "parent",
};

/** How many events one query may look at before it is refused as too large. */
export const MAX_SCANNED_EVENTS = 50_000;

interface PageToken {
  /** the query's fingerprint: a token is only good for the query that issued it */
  f: string;
  /** how many matching events came before this page */
  o: number;
}

const fingerprint = (key: string) => createHash("sha256").update(key).digest("base64url").slice(0, 16);

function readToken(token: string, key: string): number {
  try {
    const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as PageToken;
    if (t && t.f === fingerprint(key) && Number.isInteger(t.o) && t.o >= 0) return t.o;
  } catch {
    // refused below
  }
  throw new ValidationError("nextPageToken", token, "is not a token this repository issued for this query");
}

/**
 * Answers an EPCIS 2.0 event query over the events `scope` may read: the index narrows by type,
 * eventTime and identifier; the query language decides each event (core/epcis/event-query.ts);
 * ordered by orderBy (else in ledger order), cut at eventCountLimit, a page at a time. `key` names
 * the query (its parameters without paging), so a page token cannot be replayed on another one.
 */
export async function runStandardQuery(
  store: IndexerStore,
  q: EventQuery,
  scope: ReadScope,
  key: string,
): Promise<{ events: EpcisEvent[]; keys: string[]; nextPageToken?: string }> {
  let query = visibleEvents(store, scope).limit(MAX_SCANNED_EVENTS + 1);
  if (q.eventTypes) query = query.where("e.event_type", "in", q.eventTypes);
  if (q.eventTime.from !== undefined) query = query.where("e.time_ms", ">=", q.eventTime.from);
  if (q.eventTime.before !== undefined) query = query.where("e.time_ms", "<", q.eventTime.before);
  const epcs = q.epcs;
  if (epcs) {
    if (epcs.values.length === 0) return { events: [], keys: [] };
    const roles = epcs.roles.map((r) => ROLE[r]);
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("event_epcs as x")
          .select("x.epc")
          .whereRef("x.digest", "=", "e.digest")
          .whereRef("x.position", "=", "e.position")
          .where("x.epc", "in", epcs.values)
          .where("x.role", "in", roles),
      ),
    );
  }
  const rows = await query.execute();
  if (rows.length > MAX_SCANNED_EVENTS)
    throw new QueryTooLargeError(`the query reaches more than ${MAX_SCANNED_EVENTS} events; narrow it`);
  // each event with its key in the ledger (capture digest and position), ledger order kept on ties
  let matching = rows
    .map((r, i) => ({ e: JSON.parse(r.event) as EpcisEvent, key: `${r.digest}:${r.position}`, i }))
    .filter(({ e }) => eventMatches(e, q));
  const order = compareEvents(q);
  if (order) matching = matching.sort((a, b) => order(a.e, b.e) || a.i - b.i);
  if (q.maxEventCount !== undefined && matching.length > q.maxEventCount)
    throw new QueryTooLargeError(`${matching.length} events match, more than maxEventCount ${q.maxEventCount}`);
  if (q.eventCountLimit !== undefined) matching = matching.slice(0, q.eventCountLimit);
  const offset = q.nextPageToken ? readToken(q.nextPageToken, key) : 0;
  const page = matching.slice(offset, offset + q.perPage);
  const next = offset + page.length;
  return {
    events: page.map((m) => m.e),
    keys: page.map((m) => m.key),
    ...(next < matching.length
      ? { nextPageToken: Buffer.from(JSON.stringify({ f: fingerprint(key), o: next })).toString("base64url") }
      : {}),
  };
}
