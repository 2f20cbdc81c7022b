import { ValidationError } from "../errors";
import { canonicalValue, legacyCbvToWeb } from "./canonical-value";
import type { EpcisEvent, JsonValue } from "./event-hash";
import { VOCABULARIES } from "./vocabulary";

/**
 * The EPCIS 2.0 query language (EPCIS 2.0 section 8.2.7, the REST binding's query parameters) over
 * JSON-LD events: each parameter read once into a predicate, values compared in canonical form (an
 * EPC as an EPC URN or a Digital Link alike, a CBV value as a bare term, its URN or its IRI alike).
 * An unknown parameter or a bad value is refused naming it (the standard's QueryParameterException).
 */

export type QueryParams = Record<string, string | string[] | undefined>;
type Predicate = (event: EpcisEvent) => boolean;

export interface EventQuery {
  predicates: Predicate[];
  /** the event types asked for (the indexer narrows its reads by them) */
  eventTypes?: string[];
  /** every identifier MATCH_ asks for, canonical, with the roles it may hold (for the indexer's index) */
  epcs?: { values: string[]; roles: readonly string[] };
  /** GE_/LT_ eventTime in unix ms */
  eventTime: { from?: number; before?: number };
  orderBy?: "eventTime" | "recordTime";
  orderDirection: "ASC" | "DESC";
  eventCountLimit?: number;
  maxEventCount?: number;
  perPage: number;
  nextPageToken?: string;
}

const isObj = (v: JsonValue | undefined): v is { [k: string]: JsonValue } =>
  !!v && typeof v === "object" && !Array.isArray(v);
const list = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);
const str = (v: JsonValue | undefined): string =>
  typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);

/** A CBV value in one spelling (its web IRI), whichever it came in; other values canonical. */
function vocabularyIri(path: string, value: string): string {
  const term = VOCABULARIES.get(path)?.get(value);
  return term ?? canonicalValue(legacyCbvToWeb(value.trim()));
}

const EPC_ROLES: Record<string, { fields: string[]; roles: readonly string[] }> = {
  MATCH_epc: { fields: ["epcList", "childEPCs"], roles: ["epcList", "childEPCs"] },
  MATCH_parentID: { fields: ["parentID"], roles: ["parentID"] },
  MATCH_inputEPC: { fields: ["inputEPCList"], roles: ["inputEPCList"] },
  MATCH_outputEPC: { fields: ["outputEPCList"], roles: ["outputEPCList"] },
  MATCH_anyEPC: {
    fields: ["epcList", "childEPCs", "parentID", "inputEPCList", "outputEPCList"],
    roles: ["epcList", "childEPCs", "parentID", "inputEPCList", "outputEPCList"],
  },
};
const CLASS_ROLES: Record<string, string[]> = {
  MATCH_epcClass: ["quantityList", "childQuantityList"],
  MATCH_inputEPCClass: ["inputQuantityList"],
  MATCH_outputEPCClass: ["outputQuantityList"],
  MATCH_anyEPCClass: ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"],
};
const EQ_FIELDS: Record<string, { get: (e: EpcisEvent) => string[]; vocab?: string }> = {
  EQ_action: { get: (e) => [str(e.action)] },
  EQ_bizStep: { get: (e) => [str(e.bizStep)], vocab: "bizStep" },
  EQ_disposition: { get: (e) => [str(e.disposition)], vocab: "disposition" },
  EQ_readPoint: { get: (e) => [str(isObj(e.readPoint) ? e.readPoint.id : undefined)] },
  WD_readPoint: { get: (e) => [str(isObj(e.readPoint) ? e.readPoint.id : undefined)] },
  EQ_bizLocation: { get: (e) => [str(isObj(e.bizLocation) ? e.bizLocation.id : undefined)] },
  WD_bizLocation: { get: (e) => [str(isObj(e.bizLocation) ? e.bizLocation.id : undefined)] },
  EQ_transformationID: { get: (e) => [str(e.transformationID)] },
  EQ_eventID: { get: (e) => [str(e.eventID)] },
  EQ_persistentDisposition_set: {
    get: (e) => list(isObj(e.persistentDisposition) ? e.persistentDisposition.set : undefined).map(str),
    vocab: "disposition",
  },
  EQ_persistentDisposition_unset: {
    get: (e) => list(isObj(e.persistentDisposition) ? e.persistentDisposition.unset : undefined).map(str),
    vocab: "disposition",
  },
  EQ_errorReason: {
    get: (e) => [str(isObj(e.errorDeclaration) ? e.errorDeclaration.reason : undefined)],
    vocab: "errorDeclaration.reason",
  },
  EQ_correctiveEventID: {
    get: (e) => list(isObj(e.errorDeclaration) ? e.errorDeclaration.correctiveEventIDs : undefined).map(str),
  },
  EQ_type: { get: (e) => sensorReports(e).map((r) => str(r.type)), vocab: "sensorElementList.sensorReport.type" },
  EQ_deviceID: { get: (e) => sensorReports(e).map((r) => str(r.deviceID)) },
};
const TIME_FIELDS: Record<string, (e: EpcisEvent) => string[]> = {
  eventTime: (e) => [str(e.eventTime)],
  recordTime: (e) => [str(e.recordTime)],
  errorDeclarationTime: (e) => [str(isObj(e.errorDeclaration) ? e.errorDeclaration.declarationTime : undefined)],
  startTime: (e) => sensorMetadata(e).map((m) => str(m.startTime)),
  endTime: (e) => sensorMetadata(e).map((m) => str(m.endTime)),
};
const PAIR_LISTS: Record<string, [string, string]> = {
  bizTransaction: ["bizTransactionList", "bizTransaction"],
  source: ["sourceList", "source"],
  destination: ["destinationList", "destination"],
};
const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  EQ: (a, b) => a === b,
  GT: (a, b) => a > b,
  GE: (a, b) => a >= b,
  LT: (a, b) => a < b,
  LE: (a, b) => a <= b,
};
const PAGING = new Set(["perPage", "nextPageToken", "orderBy", "orderDirection", "eventCountLimit", "maxEventCount"]);

function sensorMetadata(e: EpcisEvent): { [k: string]: JsonValue }[] {
  return list(e.sensorElementList)
    .filter(isObj)
    .map((s) => s.sensorMetadata)
    .filter(isObj);
}
function sensorReports(e: EpcisEvent): { [k: string]: JsonValue }[] {
  return list(e.sensorElementList)
    .filter(isObj)
    .flatMap((s) => list(s.sensorReport))
    .filter(isObj);
}

/** The identifiers an event lists in `fields`, canonical. */
export function epcsOf(event: EpcisEvent, fields: readonly string[]): string[] {
  return fields
    .flatMap((f) => (f === "parentID" ? [event.parentID] : list(event[f])).filter((v) => v !== undefined))
    .map((v) => canonicalValue(str(v).trim()));
}

function classesOf(event: EpcisEvent, fields: readonly string[]): string[] {
  return fields.flatMap((f) =>
    list(event[f])
      .filter(isObj)
      .map((q) => canonicalValue(str(q.epcClass).trim())),
  );
}

/** The quantities of every quantity list of an event. */
function quantitiesOf(event: EpcisEvent): number[] {
  return CLASS_ROLES.MATCH_anyEPCClass.flatMap((f) =>
    list(event[f])
      .filter(isObj)
      .map((q) => Number(q.quantity))
      .filter((n) => Number.isFinite(n)),
  );
}

/** A field's value for EXISTS_: present and not empty. */
function exists(event: EpcisEvent, field: string): boolean {
  const v = event[field];
  return v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);
}

function values(name: string, raw: string | string[] | undefined): string[] {
  if (raw === undefined) return [];
  if (Array.isArray(raw)) throw new ValidationError(name, raw, "must be given once (several values are joined by |)");
  const parts = raw.split("|").map((p) => p.trim());
  if (parts.some((p) => p === "")) throw new ValidationError(name, raw, "has an empty value");
  return parts;
}

function one(name: string, raw: string | string[] | undefined): string {
  const [v, ...rest] = values(name, raw);
  if (rest.length) throw new ValidationError(name, raw, "takes one value");
  return v;
}

function time(name: string, raw: string | string[] | undefined): number {
  const v = one(name, raw);
  const ms = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(ms))
    throw new ValidationError(name, v, "must be an ISO 8601 date-time");
  return ms;
}

function integer(name: string, raw: string | string[] | undefined, min: number, max: number): number {
  const v = one(name, raw);
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max)
    throw new ValidationError(name, v, `must be an integer from ${min} to ${max}`);
  return n;
}

/**
 * Reads the query parameters of GET /events (and of the resources that narrow it). Every parameter
 * is checked; what is not of the query language is refused naming it.
 */
export function parseEventQuery(
  params: QueryParams,
  options: { maxPerPage: number; defaultPerPage?: number },
): EventQuery {
  const q: EventQuery = {
    predicates: [],
    eventTime: {},
    orderDirection: "DESC",
    // the standard's default page, never past this repository's largest
    perPage: Math.min(options.defaultPerPage ?? 30, options.maxPerPage),
  };
  for (const [name, raw] of Object.entries(params)) {
    if (raw === undefined) continue;
    if (PAGING.has(name)) continue;
    if (name === "eventType") {
      const types = values(name, raw);
      q.eventTypes = types;
      q.predicates.push((e) => types.includes(str(e.type)));
      continue;
    }
    if (name in EPC_ROLES) {
      const wanted = values(name, raw).map((v) => canonicalValue(v));
      const { fields, roles } = EPC_ROLES[name];
      q.epcs = q.epcs
        ? { values: q.epcs.values.filter((v) => wanted.includes(v)), roles: q.epcs.roles }
        : { values: wanted, roles };
      q.predicates.push((e) => epcsOf(e, fields).some((v) => wanted.includes(v)));
      continue;
    }
    if (name in CLASS_ROLES) {
      const wanted = values(name, raw).map((v) => canonicalValue(v));
      const fields = CLASS_ROLES[name];
      q.predicates.push((e) => classesOf(e, fields).some((v) => wanted.includes(v)));
      continue;
    }
    if (name in EQ_FIELDS) {
      const { get, vocab } = EQ_FIELDS[name];
      const norm = (v: string) => (vocab ? vocabularyIri(vocab, v) : canonicalValue(v.trim()));
      const wanted = values(name, raw).map(norm);
      q.predicates.push((e) => get(e).some((v) => v !== "" && wanted.includes(norm(v))));
      continue;
    }
    const cmp = /^(EQ|GT|GE|LT|LE)_quantity$/.exec(name);
    if (cmp) {
      const n = Number(one(name, raw));
      if (!Number.isFinite(n)) throw new ValidationError(name, raw, "must be a number");
      q.predicates.push((e) => quantitiesOf(e).some((x) => COMPARE[cmp[1]](x, n)));
      continue;
    }
    const range = /^(GE|LT)_(\w+)$/.exec(name);
    if (range && range[2] in TIME_FIELDS) {
      const ms = time(name, raw);
      const get = TIME_FIELDS[range[2]];
      const ge = range[1] === "GE";
      if (range[2] === "eventTime") q.eventTime[ge ? "from" : "before"] = ms;
      q.predicates.push((e) =>
        get(e).some((t) => {
          const at = Date.parse(t);
          return !Number.isNaN(at) && (ge ? at >= ms : at < ms);
        }),
      );
      continue;
    }
    const pair = /^EQ_(bizTransaction|source|destination)_(.+)$/.exec(name);
    if (pair) {
      const [listName, itemName] = PAIR_LISTS[pair[1]];
      const path = `${listName}.type`;
      const type = vocabularyIri(path, pair[2]);
      const wanted = values(name, raw).map((v) => canonicalValue(v.trim()));
      q.predicates.push((e) =>
        list(e[listName])
          .filter(isObj)
          .some(
            (p) =>
              vocabularyIri(path, str(p.type)) === type && wanted.includes(canonicalValue(str(p[itemName]).trim())),
          ),
      );
      continue;
    }
    const has = /^EXISTS_(.+)$/.exec(name);
    if (has) {
      const v = one(name, raw);
      if (v !== "true" && v !== "false") throw new ValidationError(name, v, "must be true or false");
      const field = has[1];
      q.predicates.push((e) => exists(e, field) === (v === "true"));
      continue;
    }
    throw new ValidationError(name, raw, "is not a query parameter of EPCIS 2.0 that this repository answers");
  }
  if (params.orderBy !== undefined) {
    const by = one("orderBy", params.orderBy);
    if (by !== "eventTime" && by !== "recordTime")
      throw new ValidationError("orderBy", by, "must be eventTime or recordTime");
    q.orderBy = by;
  }
  if (params.orderDirection !== undefined) {
    const d = one("orderDirection", params.orderDirection);
    if (d !== "ASC" && d !== "DESC") throw new ValidationError("orderDirection", d, "must be ASC or DESC");
    q.orderDirection = d;
  }
  if (params.eventCountLimit !== undefined)
    q.eventCountLimit = integer("eventCountLimit", params.eventCountLimit, 1, 1_000_000);
  if (params.maxEventCount !== undefined)
    q.maxEventCount = integer("maxEventCount", params.maxEventCount, 1, 1_000_000);
  if (q.eventCountLimit !== undefined && q.maxEventCount !== undefined)
    throw new ValidationError("maxEventCount", params.maxEventCount, "cannot be given with eventCountLimit");
  if (params.perPage !== undefined) q.perPage = integer("perPage", params.perPage, 1, options.maxPerPage);
  if (params.nextPageToken !== undefined) q.nextPageToken = one("nextPageToken", params.nextPageToken);
  return q;
}

/** Whether an event satisfies every parameter of the query. */
export function eventMatches(event: EpcisEvent, q: EventQuery): boolean {
  return q.predicates.every((p) => p(event));
}

/** Orders events as the query asks: by eventTime or recordTime, ties in ledger order. */
export function compareEvents(q: EventQuery): ((a: EpcisEvent, b: EpcisEvent) => number) | undefined {
  const by = q.orderBy;
  if (!by) return undefined;
  const sign = q.orderDirection === "ASC" ? 1 : -1;
  return (a, b) => {
    const x = Date.parse(str(a[by]));
    const y = Date.parse(str(b[by]));
    const xv = Number.isNaN(x) ? -Infinity : x;
    const yv = Number.isNaN(y) ? -Infinity : y;
    return xv === yv ? 0 : xv < yv ? -sign : sign;
  };
}
