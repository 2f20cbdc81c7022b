import type { Express, Request, RequestHandler, Response } from "express";
import { NotAcceptableError, NotFoundError, ValidationError } from "../../core/errors";
import { canonicalValue } from "../../core/epcis/canonical-value";
import type { EpcisEvent, JsonValue } from "../../core/epcis/event-hash";
import { parseEventQuery, type QueryParams } from "../../core/epcis/event-query";
import { writeXmlDocument } from "../../core/epcis/xml-writer";
import { EPCIS_CONTEXT } from "../../core/epcis/epcis-context-url";
import { epcUriToDigitalLink } from "../../core/gs1/epc-uri";
import type { IndexerStore } from "../indexer-store";
import type { ReadScope } from "../read-scope";
import { visibleEvents } from "../events-query";
import { runStandardQuery } from "../standard-query";

/**
 * The EPCIS 2.0 REST query resources for consortium members (GS1's OpenAPI document): /events and
 * the resources that narrow it by event type, EPC, business step, location, read point or
 * disposition, with the query language's parameters, answered as an EPCISQueryDocument in JSON-LD
 * or, on `Accept: application/xml`, in the XML binding; the standard's headers, OPTIONS discovery.
 */

const EVENT_TYPES = ["ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"];
const EPC_FORMATS = ["No_Preference", "Always_Digital_Link", "Always_EPC_URN"] as const;
const MAX_PER_PAGE = 1000;

/** The resources, each the query parameter its path segment stands for. */
const NARROWING: [string, string][] = [
  ["/eventTypes/:value/events", "eventType"],
  ["/epcs/:value/events", "MATCH_anyEPC"],
  ["/bizSteps/:value/events", "EQ_bizStep"],
  ["/bizLocations/:value/events", "EQ_bizLocation"],
  ["/readPoints/:value/events", "EQ_readPoint"],
  ["/dispositions/:value/events", "EQ_disposition"],
];

function gs1Headers(res: Response): Response {
  return res.set({
    "GS1-EPCIS-Version": "2.0.0",
    "GS1-CBV-Version": "2.0.0",
    "GS1-EPCIS-Min": "2.0.0",
    "GS1-EPCIS-Max": "2.0.0",
    "GS1-CBV-Min": "2.0.0",
    "GS1-CBV-Max": "2.0.0",
    "GS1-Vendor-Version": "trackroot",
  });
}

/** The identifiers of an event as Digital Links, where an EPC URN has one. */
function asDigitalLinks(event: EpcisEvent): EpcisEvent {
  const dl = (v: JsonValue): JsonValue => (typeof v === "string" ? (epcUriToDigitalLink(v.trim()) ?? v) : v);
  const out: EpcisEvent = { ...event };
  for (const f of ["epcList", "childEPCs", "inputEPCList", "outputEPCList"])
    if (Array.isArray(out[f])) out[f] = (out[f] as JsonValue[]).map(dl);
  if (out.parentID !== undefined) out.parentID = dl(out.parentID);
  for (const f of ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"])
    if (Array.isArray(out[f]))
      out[f] = (out[f] as JsonValue[]).map((q) =>
        q && typeof q === "object" && !Array.isArray(q) && q.epcClass !== undefined
          ? { ...q, epcClass: dl(q.epcClass) }
          : q,
      );
  for (const f of ["readPoint", "bizLocation"]) {
    const v = out[f];
    if (v && typeof v === "object" && !Array.isArray(v) && v.id !== undefined) out[f] = { ...v, id: dl(v.id) };
  }
  return out;
}

/** The inline (object) contexts of captures, by digest: what their events' prefixes mean. */
async function captureContexts(store: IndexerStore, digests: readonly string[]): Promise<Map<string, JsonValue[]>> {
  const out = new Map<string, JsonValue[]>();
  const unique = [...new Set(digests)];
  if (unique.length === 0) return out;
  const rows = await store.db
    .selectFrom("captures")
    .select(["digest", "proof_data"])
    .where("digest", "in", unique)
    .execute();
  for (const r of rows) {
    let context: JsonValue | undefined;
    try {
      context = (JSON.parse(r.proof_data) as { context?: JsonValue }).context;
    } catch {
      context = undefined;
    }
    const list = Array.isArray(context) ? context : context === undefined ? [] : [context];
    out.set(
      r.digest,
      list.filter((c) => !!c && typeof c === "object" && !Array.isArray(c)),
    );
  }
  return out;
}

/** What the client asked for: the binding of the answer and the form of its identifiers. */
function negotiation(req: Request): { xml: boolean; format: (typeof EPC_FORMATS)[number] } {
  const accepted = req.accepts(["application/ld+json", "application/json", "application/xml"]);
  if (!accepted)
    throw new NotAcceptableError(
      `Accept ${JSON.stringify(req.get("Accept"))}: the answer is application/ld+json, application/json or application/xml`,
    );
  const format = (req.get("GS1-EPC-Format") ?? "No_Preference") as (typeof EPC_FORMATS)[number];
  if (!EPC_FORMATS.includes(format))
    throw new ValidationError("GS1-EPC-Format", format, `must be one of ${EPC_FORMATS.join(", ")}`);
  if (format === "Always_EPC_URN")
    throw new NotAcceptableError(
      "GS1-EPC-Format Always_EPC_URN cannot be honoured: a Digital Link names no GS1 company prefix length, so it has no one EPC URN; ask for No_Preference or Always_Digital_Link",
    );
  return { xml: accepted === "application/xml", format };
}

/** The query string as the query language reads it: a repeated parameter stays a list (and is refused). */
function paramsOf(req: Request): QueryParams {
  const out: QueryParams = {};
  for (const [k, v] of new URL(req.originalUrl, "http://x").searchParams) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

export interface EpcisQueryRoutesOptions {
  store: IndexerStore;
  /** the consortium's authentication (its read scope on res.locals), after the failure budget */
  guards: RequestHandler[];
  scopeOf: (res: Response) => ReadScope;
}

/** Registers the EPCIS 2.0 query resources on an indexer app; returns its answer, for named queries. */
export function epcisQueryRoutes(
  app: Express,
  options: EpcisQueryRoutesOptions,
): { answer: (req: Request, res: Response, params: QueryParams) => Promise<void> } {
  const { store, guards, scopeOf } = options;

  const answer = async (req: Request, res: Response, extra: QueryParams) => {
    const { xml, format } = negotiation(req);
    const params = { ...paramsOf(req), ...extra };
    for (const k of Object.keys(extra))
      if (paramsOf(req)[k] !== undefined)
        throw new ValidationError(k, paramsOf(req)[k], "is given by the path already");
    const q = parseEventQuery(params, { maxPerPage: MAX_PER_PAGE });
    const key = JSON.stringify(
      Object.entries(params)
        .filter(([k]) => k !== "nextPageToken" && k !== "perPage")
        .sort(),
    );
    const page = await runStandardQuery(store, q, scopeOf(res), key);
    // each event with the inline context of its capture, so its extensions keep their namespaces
    const contexts = await captureContexts(
      store,
      page.keys.map((k) => k.slice(0, k.indexOf(":"))),
    );
    const withContext = page.events.map((e, i) => {
      const inline = contexts.get(page.keys[i].slice(0, page.keys[i].indexOf(":")));
      return inline && inline.length && e["@context"] === undefined ? { "@context": inline, ...e } : e;
    });
    const events = format === "Always_Digital_Link" ? withContext.map(asDigitalLinks) : withContext;
    const inlines = [...new Map([...contexts.values()].flat().map((c) => [JSON.stringify(c), c])).values()];
    if (page.nextPageToken) {
      const next = new URL(req.originalUrl, "http://x");
      next.searchParams.set("nextPageToken", page.nextPageToken);
      res.set("Link", `<${next.pathname}${next.search}>; rel="next"`);
    }
    const document = {
      "@context": [EPCIS_CONTEXT, ...(xml ? inlines : [])],
      type: "EPCISQueryDocument",
      schemaVersion: "2.0",
      creationDate: new Date().toISOString(),
      epcisBody: { queryResults: { queryName: "SimpleEventQuery", resultsBody: { eventList: events } } },
    };
    gs1Headers(res).set("GS1-EPC-Format", format === "No_Preference" ? "No_Preference" : format);
    if (xml) res.type("application/xml").send(writeXmlDocument(document as { [k: string]: JsonValue }));
    else res.type("application/ld+json").send(JSON.stringify(document));
  };

  const discovery = (_req: Request, res: Response) => {
    gs1Headers(res).set("Allow", "GET, OPTIONS").status(204).end();
  };

  const paths = ["/events", "/events/:eventID", "/eventTypes", ...NARROWING.map(([p]) => p)];
  for (const p of paths) app.options(p, discovery);

  app.get("/events", ...guards, (req, res) => answer(req, res, {}));

  app.get("/events/:eventID", ...guards, async (req: Request, res: Response) => {
    const id = String(req.params.eventID);
    const { xml, format } = negotiation(req);
    // an event is named by the eventID it states, or by its CBV 2.0 hash (the ledger's leaf)
    let found: EpcisEvent | undefined;
    const digest = /^ni:\/\/\/sha-256;([0-9a-fA-F]{64})\?ver=CBV2\.0$/.exec(id)?.[1]?.toLowerCase();
    if (digest) {
      const row = await visibleEvents(store, scopeOf(res))
        .where("e.event_hash", "in", [`0x${digest}`, id])
        .limit(1)
        .executeTakeFirst();
      if (row) found = JSON.parse(row.event) as EpcisEvent;
    }
    if (!found) {
      const page = await runStandardQuery(
        store,
        parseEventQuery({ EQ_eventID: id.replace(/\|/g, "") || "-", perPage: "1" }, { maxPerPage: 1 }),
        scopeOf(res),
        `id ${id}`,
      );
      found = page.events[0];
    }
    if (!found) throw new NotFoundError(`no event ${id} that you may read`);
    const event = format === "Always_Digital_Link" ? asDigitalLinks(found) : found;
    gs1Headers(res);
    if (xml) {
      const document = {
        "@context": [EPCIS_CONTEXT],
        type: "EPCISDocument",
        schemaVersion: "2.0",
        creationDate: new Date().toISOString(),
        epcisBody: { eventList: [event] },
      };
      res.type("application/xml").send(writeXmlDocument(document as { [k: string]: JsonValue }));
    } else res.type("application/ld+json").send(JSON.stringify({ "@context": [EPCIS_CONTEXT], ...event }));
  });

  app.get("/eventTypes", ...guards, (_req, res) => {
    gs1Headers(res).json({ "@set": EVENT_TYPES });
  });

  for (const [path, param] of NARROWING) {
    app.get(path, ...guards, (req, res) => {
      const value = String(req.params.value);
      if (!value) throw new ValidationError(param, value, "is empty");
      return answer(req, res, { [param]: param === "MATCH_anyEPC" ? canonicalValue(value) : value });
    });
  }
  return { answer };
}
