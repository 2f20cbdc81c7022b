import { ValidationError } from "../core/errors";
import { canonicalValue } from "../core/epcis/canonical-value";
import type { IndexerStore } from "./indexer-store";
import { mayReadCode, type ReadScope } from "./read-scope";

/** The EPCIS 2.0 query parameters this indexer answers (a subset of the standard's). */
export interface EventsQuery {
  /** MATCH_epc (any role: epcList, parentID, childEPCs, inputs, outputs); any spelling, compared canonically */
  epc?: string;
  bizStep?: string;
  disposition?: string;
  /** GE_eventTime and LT_eventTime, ISO 8601 */
  from?: string;
  to?: string;
  readPoint?: string;
  perPage: number;
  /** from the previous page's Link header */
  pageToken?: string;
}

export const QUERY_PARAMETERS = [
  "MATCH_epc",
  "EQ_bizStep",
  "EQ_disposition",
  "GE_eventTime",
  "LT_eventTime",
  "EQ_readPoint",
  "perPage",
  "nextPageToken",
] as const;

/** Parses the query string; an unknown parameter or a bad value is refused, naming it. */
export function parseEventsQuery(params: Record<string, unknown>, maxPerPage: number): EventsQuery {
  for (const key of Object.keys(params)) {
    if (!(QUERY_PARAMETERS as readonly string[]).includes(key)) {
      throw new ValidationError(key, params[key], `is not supported; use ${QUERY_PARAMETERS.join(", ")}`);
    }
  }
  const one = (name: string): string | undefined => {
    const v = params[name];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || v === "") throw new ValidationError(name, v, "must be given once, not empty");
    return v;
  };
  const time = (name: string) => {
    const v = one(name);
    if (v !== undefined && Number.isNaN(Date.parse(v))) throw new ValidationError(name, v, "must be an ISO 8601 time");
    return v === undefined ? undefined : new Date(Date.parse(v)).toISOString();
  };
  const perPageText = one("perPage");
  const perPage = perPageText === undefined ? 100 : Number(perPageText);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > maxPerPage) {
    throw new ValidationError("perPage", perPageText, `must be an integer from 1 to ${maxPerPage}`);
  }
  const pageToken = one("nextPageToken");
  if (pageToken !== undefined) decodeToken(pageToken);
  return {
    epc: one("MATCH_epc"),
    bizStep: one("EQ_bizStep"),
    disposition: one("EQ_disposition"),
    from: time("GE_eventTime"),
    to: time("LT_eventTime"),
    readPoint: one("EQ_readPoint"),
    perPage,
    pageToken,
  };
}

/** The spellings a CBV value may be stored under: bare, web vocabulary, legacy URN. */
function spellings(value: string, web: string, urn: string): string[] {
  const bare = value.startsWith(web)
    ? value.slice(web.length)
    : value.startsWith(urn)
      ? value.slice(urn.length)
      : value;
  return [bare, `${web}${bare}`, `${urn}${bare}`];
}

interface PageKey {
  block: number;
  digest: string;
  position: number;
}

function encodeToken(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.block, key.digest, key.position])).toString("base64url");
}

function decodeToken(token: string): PageKey {
  try {
    const [block, digest, position] = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown[];
    if (typeof block === "number" && typeof digest === "string" && typeof position === "number") {
      return { block, digest, position };
    }
  } catch {
    // refused below
  }
  throw new ValidationError("nextPageToken", token, "is not a token this indexer issued");
}

/**
 * The captured events `scope` may read, in ledger order (block, capture, position): all of them for
 * auditors and governance; for a member, what it submitted and events naming a code it may read.
 */
export function visibleEvents(store: IndexerStore, scope: ReadScope) {
  let query = store.db
    .selectFrom("capture_events as e")
    .select(["e.digest", "e.position", "e.event", "e.block_number", "e.event_hash"])
    .orderBy("e.block_number")
    .orderBy("e.digest")
    .orderBy("e.position");
  if (!scope.all) {
    query = query.where(({ or, exists, selectFrom }) =>
      or([
        exists(
          selectFrom("captures as c")
            .select("c.digest")
            .whereRef("c.digest", "=", "e.digest")
            .where("c.participant", "=", scope.participant),
        ),
        exists(
          selectFrom("event_epcs as r")
            .select("r.epc")
            .whereRef("r.digest", "=", "e.digest")
            .whereRef("r.position", "=", "e.position")
            .where(mayReadCode("r.epc", scope)),
        ),
      ]),
    );
  }
  return query;
}

/**
 * Events matching the query, in ledger order (block, capture, position), a page at a time: the
 * EPCIS query interface's event query, over valid captures only, and only those `scope` may read.
 */
export async function queryEvents(
  store: IndexerStore,
  q: EventsQuery,
  scope: ReadScope,
): Promise<{ events: unknown[]; nextPageToken?: string }> {
  let query = visibleEvents(store, scope).limit(q.perPage + 1);
  if (q.epc) {
    const epc = canonicalValue(q.epc.trim());
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("event_epcs as x")
          .select("x.epc")
          .whereRef("x.digest", "=", "e.digest")
          .whereRef("x.position", "=", "e.position")
          .where("x.epc", "=", epc),
      ),
    );
  }
  if (q.bizStep) {
    query = query.where(
      "e.biz_step",
      "in",
      spellings(q.bizStep, "https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:"),
    );
  }
  if (q.disposition) {
    query = query.where(
      "e.disposition",
      "in",
      spellings(q.disposition, "https://ref.gs1.org/cbv/Disp-", "urn:epcglobal:cbv:disp:"),
    );
  }
  if (q.readPoint) query = query.where("e.read_point", "=", q.readPoint);
  if (q.from) query = query.where("e.time_ms", ">=", Date.parse(q.from));
  if (q.to) query = query.where("e.time_ms", "<", Date.parse(q.to));
  if (q.pageToken) {
    const k = decodeToken(q.pageToken);
    query = query.where((eb) =>
      eb.or([
        eb("e.block_number", ">", k.block),
        eb.and([eb("e.block_number", "=", k.block), eb("e.digest", ">", k.digest)]),
        eb.and([eb("e.block_number", "=", k.block), eb("e.digest", "=", k.digest), eb("e.position", ">", k.position)]),
      ]),
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, q.perPage);
  const last = page.at(-1);
  return {
    events: page.map((r) => JSON.parse(r.event) as unknown),
    ...(rows.length > q.perPage && last
      ? {
          nextPageToken: encodeToken({
            block: Number(last.block_number),
            digest: last.digest,
            position: last.position,
          }),
        }
      : {}),
  };
}
