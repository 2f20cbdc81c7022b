import { randomUUID } from "node:crypto";
import express, { type Express, type Request, type RequestHandler, type Response } from "express";
import { ConflictError, NotFoundError, ValidationError } from "../../core/errors";
import { parseEventQuery, type QueryParams } from "../../core/epcis/event-query";
import { readQuerySchedule } from "../../core/epcis/query-schedule";
import { readRequestObject } from "../../core/json/request-object";
import { bodyText } from "../../http/body-text";
import type { QueryStore, SubscriptionRow } from "../query-store";
import type { ReadScope } from "../read-scope";

/**
 * EPCIS named queries and subscriptions (GS1's OpenAPI /queries): a member names a query, reads
 * its events like GET /events, and subscribes a webhook to it (a stream, or a schedule). A query
 * and its subscriptions are their owner's: no other member sees or changes them.
 */

export interface NamedQueryRoutesOptions {
  queries: QueryStore;
  guards: RequestHandler[];
  scopeOf: (res: Response) => ReadScope;
  /** answers GET /events with these parameters (the standard query routes' own answer) */
  answer: (req: Request, res: Response, params: QueryParams) => Promise<void>;
  /** the origins a subscription may call back; empty: any http(s) origin */
  origins: readonly string[];
}

const NAME = /^[A-Za-z0-9_.~-]{1,64}$/;

/** The query document's body ({"eventType": ["ObjectEvent"], "EQ_bizStep": ["shipping"]}) as query parameters. */
function paramsOfBody(query: unknown): QueryParams {
  if (!query || typeof query !== "object" || Array.isArray(query))
    throw new ValidationError("query", query, "must be an object of query parameters");
  const out: QueryParams = {};
  for (const [k, v] of Object.entries(query)) {
    const values = Array.isArray(v) ? v : [v];
    if (
      values.length === 0 ||
      values.some((x) => typeof x !== "string" && typeof x !== "number" && typeof x !== "boolean")
    )
      throw new ValidationError(`query.${k}`, v, "must be a value or a list of values");
    out[k] = values.map(String).join("|");
  }
  return out;
}

/** A subscription's callback URL: http(s), no credentials, one of `origins` when any are set. */
export function subscriptionDest(value: unknown, origins: readonly string[]): string {
  if (typeof value !== "string") throw new ValidationError("dest", value, "must be the callback URL");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError("dest", value, "must be an absolute URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new ValidationError("dest", value, "must be http(s)");
  if (url.username || url.password) throw new ValidationError("dest", value, "must not carry credentials");
  if (origins.length && !origins.some((o) => new URL(o).origin === url.origin))
    throw new ValidationError(
      "dest",
      value,
      "is not an origin this indexer calls back (TRACKROOT_SUBSCRIPTION_DEST_ORIGINS)",
    );
  return url.toString();
}

function subscriptionJson(s: SubscriptionRow) {
  return {
    subscriptionID: s.id,
    dest: s.dest,
    createdAt: s.created_at,
    ...(s.stream ? { stream: true } : { schedule: JSON.parse(s.schedule), reportIfEmpty: !!s.report_if_empty }),
    ...(s.initial_record_time ? { initialRecordTime: s.initial_record_time } : {}),
    ...(s.last_notified_at ? { lastNotifiedAt: s.last_notified_at } : {}),
  };
}

export function namedQueryRoutes(app: Express, options: NamedQueryRoutesOptions): void {
  const { queries, guards, scopeOf } = options;
  const body = express.raw({ limit: "64kb", type: () => true });
  const gs1 = (res: Response) => res.set({ "GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0" });
  const owned = async (req: Request, res: Response) => {
    const name = String(req.params.name);
    const q = await queries.query(name);
    if (!q || q.owner !== scopeOf(res).participant) throw new NotFoundError(`no query ${name} of yours`);
    return q;
  };

  app.post("/queries", ...guards, body, async (req, res) => {
    const b = readRequestObject(bodyText(req), ["name", "query"]);
    if (typeof b.name !== "string" || !NAME.test(b.name))
      throw new ValidationError("name", b.name, "must be 1 to 64 letters, digits or -._~");
    const params = paramsOfBody(b.query);
    for (const paging of ["perPage", "nextPageToken"])
      if (params[paging] !== undefined)
        throw new ValidationError(`query.${paging}`, params[paging], "is not part of a named query");
    parseEventQuery(params, { maxPerPage: 1000 });
    const added = await queries.addQuery({
      name: b.name,
      owner: scopeOf(res).participant,
      params: JSON.stringify(params),
      created_at: new Date().toISOString(),
    });
    if (!added) throw new ConflictError(`a query named ${b.name} exists`);
    gs1(res).status(201).location(`/queries/${b.name}`).end();
  });

  app.get("/queries", ...guards, async (_req, res) => {
    const mine = await queries.queries(scopeOf(res).participant);
    gs1(res).json(mine.map((q) => ({ name: q.name, query: JSON.parse(q.params) })));
  });

  app.get("/queries/:name", ...guards, async (req, res) => {
    const q = await owned(req, res);
    gs1(res).json({ name: q.name, query: JSON.parse(q.params) });
  });

  app.delete("/queries/:name", ...guards, async (req, res) => {
    const q = await owned(req, res);
    await queries.deleteQuery(q.name);
    gs1(res).status(204).end();
  });

  app.get("/queries/:name/events", ...guards, async (req, res) => {
    const q = await owned(req, res);
    await options.answer(req, res, JSON.parse(q.params) as QueryParams);
  });

  app.post("/queries/:name/subscriptions", ...guards, body, async (req, res) => {
    const q = await owned(req, res);
    const b = readRequestObject(bodyText(req), [
      "dest",
      "signatureToken",
      "stream",
      "schedule",
      "reportIfEmpty",
      "initialRecordTime",
    ]);
    const dest = subscriptionDest(b.dest, options.origins);
    if (typeof b.signatureToken !== "string" || b.signatureToken.length < 16 || b.signatureToken.length > 256)
      throw new ValidationError(
        "signatureToken",
        "(hidden)",
        "must be a secret of 16 to 256 characters: each delivery is signed with it",
      );
    const stream = b.stream === true;
    if (b.stream !== undefined && typeof b.stream !== "boolean")
      throw new ValidationError("stream", b.stream, "must be a boolean");
    if (stream === (b.schedule !== undefined))
      throw new ValidationError(
        "schedule",
        b.schedule,
        "a subscription has a schedule, or stream: true, not both and not neither",
      );
    const schedule = stream ? {} : readQuerySchedule(b.schedule);
    if (b.reportIfEmpty !== undefined && typeof b.reportIfEmpty !== "boolean")
      throw new ValidationError("reportIfEmpty", b.reportIfEmpty, "must be a boolean");
    if (stream && b.reportIfEmpty)
      throw new ValidationError("reportIfEmpty", true, "applies to a schedule, not to a stream");
    let initial = "";
    if (b.initialRecordTime !== undefined) {
      if (typeof b.initialRecordTime !== "string" || Number.isNaN(Date.parse(b.initialRecordTime)))
        throw new ValidationError("initialRecordTime", b.initialRecordTime, "must be an ISO 8601 date-time");
      initial = new Date(Date.parse(b.initialRecordTime)).toISOString();
    }
    const row: SubscriptionRow = {
      id: randomUUID(),
      query_name: q.name,
      owner: q.owner,
      dest,
      signature_token: b.signatureToken,
      stream: stream ? 1 : 0,
      schedule: JSON.stringify(schedule),
      report_if_empty: b.reportIfEmpty ? 1 : 0,
      initial_record_time: initial,
      created_at: new Date().toISOString(),
      last_run_at: 0,
      last_notified_at: "",
    };
    await queries.addSubscription(row);
    gs1(res).status(201).location(`/queries/${q.name}/subscriptions/${row.id}`).json(subscriptionJson(row));
  });

  app.get("/queries/:name/subscriptions", ...guards, async (req, res) => {
    const q = await owned(req, res);
    gs1(res).json((await queries.subscriptions(q.name)).map(subscriptionJson));
  });

  const subscriptionOf = async (req: Request, res: Response) => {
    const q = await owned(req, res);
    const s = await queries.subscription(String(req.params.id));
    if (!s || s.query_name !== q.name) throw new NotFoundError(`no subscription ${req.params.id} to ${q.name}`);
    return s;
  };
  app.get("/queries/:name/subscriptions/:id", ...guards, async (req, res) => {
    gs1(res).json(subscriptionJson(await subscriptionOf(req, res)));
  });
  app.delete("/queries/:name/subscriptions/:id", ...guards, async (req, res) => {
    const s = await subscriptionOf(req, res);
    await queries.deleteSubscription(s.id);
    gs1(res).status(204).end();
  });
}
