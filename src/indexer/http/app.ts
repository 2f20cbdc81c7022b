import { unitIdentifier } from "../../core/epcis/unit-identifier";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { NotFoundError, ValidationError } from "../../core/errors";
import { problemMiddleware } from "../../http/problem";
import { checkRegion } from "../../http/region";
import { requestTiming } from "../../http/request-timing";
import type { RateLimiter } from "../../http/rate-limiter";
import { anomalyJson, cloneAlertJson, enumerationAlertJson, suspectReportJson } from "../anomaly-json";
import { codeView } from "../code-view";
import type { ConsortiumAuth } from "../consortium-auth";
import { parseEventsQuery, queryEvents } from "../events-query";
import type { IndexerStore } from "../indexer-store";
import { batchView, orderView } from "../ledger-views";
import type { IndexerMetrics } from "../metrics";
import { proofBundleFor, type BundleSources } from "../proof-bundles";
import type { VerificationCounter } from "../verification-counter";
import type { SuspectReports } from "../suspect-reports";
import { parseSuspectReport, SUSPECT_REPORT_LIMITS } from "../../core/reports/suspect-report";
import { parseStrictJson } from "../../core/json/strict-json";
import { bodyText } from "../../http/body-text";
import { jsonType } from "../../http/json-type";
import { checkSerial } from "../../core/gs1/digital-link";
import { normalizeGtin, type Gtin14 } from "../../core/gs1/gtin";
import type { ProductImageAnswer, ProductRecordAnswer } from "../product-records";
import { indexerOpenApi } from "./openapi";
import type { ClientAddress } from "../../http/client-address";
import { authFailureBudget, metricsGuard } from "../../http/edge-guards";
import { checkOrderAccess, mayReadAnomaly, mayReadCode, readScopeOf, type ReadScope } from "../read-scope";
import { epcisQueryRoutes } from "./epcis-query-routes";
import { namedQueryRoutes } from "./named-query-routes";
import { QueryStore } from "../query-store";

export interface IndexerAppOptions {
  store: IndexerStore;
  bundles: BundleSources;
  verifications: VerificationCounter;
  /** visitors' reports of suspect packs */
  reports: SuspectReports;
  /** a GTIN's current product record, as the chain names it */
  productRecord: (gtin: Gtin14) => Promise<ProductRecordAnswer>;
  /** the picture a GTIN's current product record names by content */
  productImage: (gtin: Gtin14) => Promise<ProductImageAnswer>;
  auth: ConsortiumAuth;
  /** per client address, for the public endpoints */
  limiter: RateLimiter;
  /** where a request comes from: the socket's peer, or what a configured (and authenticated) proxy forwarded */
  clientAddress: (req: Request) => ClientAddress;
  /** per client address: consortium requests that fail authentication */
  authFailures: RateLimiter;
  /** a header a trusted proxy sets to the client's region (e.g. CF-IPCountry); ignored from anyone else */
  regionHeader?: string;
  /** the bearer token /metrics asks for; unset, /metrics is not served */
  metricsToken?: string;
  health: () => Promise<{ ok: boolean; body: Record<string, unknown> }>;
  metrics: IndexerMetrics;
  /** brings the gauges (block, pending content, anomalies) up to date before a scrape */
  refreshMetrics?: () => Promise<void>;
  /** the origins a query subscription may call back (empty: any http(s) origin) */
  subscriptionOrigins?: readonly string[];
  log: (e: unknown) => void;
}

/**
 * The indexer's HTTP API. Public: a code's view and its proof bundle, rate-limited per client
 * address (forwarded addresses count only from configured proxies, so a client cannot reset its
 * bucket with a made-up X-Forwarded-For). Consortium only, each reader within its scope: orders,
 * batches, anomalies and the EPCIS event query.
 */
export function indexerApp(options: IndexerAppOptions): Express {
  const { store, metrics } = options;
  const app = express();
  app.disable("x-powered-by");
  app.use(requestTiming(metrics.requestDuration));
  app.use((req, res, next) => {
    res.locals.client = options.clientAddress(req);
    next();
  });
  const client = (res: Response): ClientAddress => res.locals.client as ClientAddress;

  const publicRate = (_req: Request, res: Response, next: NextFunction) => {
    options.limiter.take(client(res).address, 1);
    res.set("Access-Control-Allow-Origin", "*");
    next();
  };
  const budget = authFailureBudget(options.authFailures, (req) => options.clientAddress(req).address);
  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const participant = await options.auth.participantOf({
      method: req.method,
      path: req.originalUrl,
      authorization: req.get("Authorization"),
      key: req.get("Trackroot-Key"),
      timestamp: req.get("Trackroot-Timestamp"),
      nonce: req.get("Trackroot-Nonce"),
      signature: req.get("Trackroot-Signature"),
    });
    res.locals.scope = await readScopeOf(store.db, participant);
    next();
  };
  const scopeOf = (res: Response): ReadScope => res.locals.scope as ReadScope;

  app.get("/v1/codes/:gtin/:serial", publicRate, async (req, res) => {
    const view = await codeView(store, String(req.params.gtin), String(req.params.serial));
    const tally = await options.verifications.tally(view.code.epc);
    res.json({ ...view, verifications: tally });
  });

  app.get("/v1/codes/:gtin/:serial/proof", publicRate, async (req, res) => {
    const bundle = await proofBundleFor(options.bundles, String(req.params.gtin), String(req.params.serial));
    const epc = unitIdentifier(bundle.code.gtin, bundle.code.serial);
    const from = client(res);
    let tally = { verifications: 0, regions: 0, suspicious: false };
    if (bundle.release) {
      tally = await options.verifications.record({ epc, region: regionOf(req, from, options), client: from.address });
      metrics.verifications.inc();
    } else {
      // a code never released is no verification of anything; many such lookups are an enumeration
      await options.verifications.recordUnknown({ client: from.address });
    }
    res
      .set({
        "Trackroot-Verifications": String(tally.verifications),
        "Trackroot-Regions": String(tally.regions),
        "Trackroot-Clone-Warning": String(tally.suspicious),
        "Access-Control-Expose-Headers": "Trackroot-Verifications, Trackroot-Regions, Trackroot-Clone-Warning",
        "Cache-Control": "no-store",
      })
      .json(bundle);
  });

  // a GTIN's product record: public, as the brand published it; the page checks it against the chain's CID
  app.get("/v1/products/:gtin/record", publicRate, async (req, res) => {
    const record = await options.productRecord(normalizeGtin(String(req.params.gtin)));
    res
      .set({
        "Trackroot-Record-Cid": record.cid,
        "Trackroot-Record-Version": String(record.version),
        "Access-Control-Expose-Headers": "Trackroot-Record-Cid, Trackroot-Record-Version",
        "Cache-Control": "no-store",
      })
      .type("application/ld+json")
      .send(Buffer.from(record.bytes));
  });

  // the picture the current record names by content: public; the page checks it against the record
  app.get("/v1/products/:gtin/image", publicRate, async (req, res) => {
    const image = await options.productImage(normalizeGtin(String(req.params.gtin)));
    res
      .set({
        "Trackroot-Image-Cid": image.cid,
        "Access-Control-Expose-Headers": "Trackroot-Image-Cid",
        "Cache-Control": "no-store",
      })
      .type(image.type)
      .send(Buffer.from(image.bytes));
  });

  // a visitor's report of a suspect pack: public (the page sends it for them), bounded before it is read
  app.options("/v1/codes/:gtin/:serial/reports", publicRate, (_req, res) => {
    res
      .set({ "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "Content-Type" })
      .status(204)
      .end();
  });
  app.post(
    "/v1/codes/:gtin/:serial/reports",
    publicRate,
    jsonType,
    express.raw({ type: () => true, limit: SUSPECT_REPORT_LIMITS.bodyBytes }),
    async (req, res) => {
      const epc = unitIdentifier(normalizeGtin(String(req.params.gtin)), checkSerial(String(req.params.serial)));
      const report = parseSuspectReport(parseStrictJson(bodyText(req), { maxDepth: 2 }));
      const { id } = await options.reports.record(epc, report, client(res).address);
      res.status(201).set("Cache-Control", "no-store").json({ id });
    },
  );

  app.get("/v1/orders/:id", budget, authenticate, async (req, res) => {
    const id = idParam(req.params.id, "id");
    await checkOrderAccess(store.db, scopeOf(res), id);
    res.json(await orderView(store, id));
  });

  app.get("/v1/batches/:id", budget, authenticate, async (req, res) => {
    const id = idParam(req.params.id, "id");
    const batch = await store.db.selectFrom("batches").select("order_id").where("id", "=", id).executeTakeFirst();
    if (batch) await checkOrderAccess(store.db, scopeOf(res), batch.order_id);
    res.json(await batchView(store, id));
  });

  app.get("/v1/anomalies", budget, authenticate, async (req, res) => {
    const kind = req.query.kind === undefined ? undefined : String(req.query.kind);
    const limitText = req.query.limit === undefined ? "100" : String(req.query.limit);
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new ValidationError("limit", limitText, "must be an integer from 1 to 1000");
    }
    // clone alerts counted moments ago are listed too
    await options.verifications.flush();
    const scope = scopeOf(res);
    let ledger = store.db
      .selectFrom("anomalies")
      .selectAll()
      .where(mayReadAnomaly(scope))
      .orderBy("ordinal", "desc")
      .limit(limit);
    if (kind) ledger = ledger.where("kind", "=", kind);
    const found = (await ledger.execute()).map(anomalyJson);
    const clones =
      !kind || kind === "cloned_code"
        ? (
            await store.db
              .selectFrom("clone_alerts")
              .selectAll()
              .where(mayReadCode("epc", scope))
              .orderBy("at", "desc")
              .limit(limit)
              .execute()
          ).map(cloneAlertJson)
        : [];
    // who looked up what is no code's: auditors and governance only
    const enumerations =
      scope.all && (!kind || kind === "enumeration_attempt")
        ? (
            await store.db.selectFrom("enumeration_alerts").selectAll().orderBy("at", "desc").limit(limit).execute()
          ).map(enumerationAlertJson)
        : [];
    const reports =
      !kind || kind === "suspect_report"
        ? (
            await store.db
              .selectFrom("suspect_reports")
              .selectAll()
              .where(mayReadCode("epc", scope))
              .orderBy("at", "desc")
              .limit(limit)
              .execute()
          ).map(suspectReportJson)
        : [];
    res.json({ anomalies: [...found, ...clones, ...enumerations, ...reports] });
  });

  app.get("/v1/events", budget, authenticate, async (req, res) => {
    const query = parseEventsQuery(req.query as Record<string, unknown>, 1000);
    const page = await queryEvents(store, query, scopeOf(res));
    if (page.nextPageToken) {
      const next = new URLSearchParams(req.query as Record<string, string>);
      next.set("nextPageToken", page.nextPageToken);
      res.set("Link", `</v1/events?${next.toString()}>; rel="next"`);
    }
    res.type("application/ld+json").json({
      "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
      type: "EPCISQueryDocument",
      schemaVersion: "2.0",
      creationDate: new Date().toISOString(),
      epcisBody: { queryResults: { queryName: "SimpleEventQuery", resultsBody: { eventList: page.events } } },
    });
  });

  const { answer } = epcisQueryRoutes(app, { store, guards: [budget, authenticate], scopeOf });
  namedQueryRoutes(app, {
    queries: new QueryStore(store),
    guards: [budget, authenticate],
    scopeOf,
    answer,
    origins: options.subscriptionOrigins ?? [],
  });

  app.get("/health", async (_req, res) => {
    const { ok, body } = await options.health();
    res.status(ok ? 200 : 503).json(body);
  });

  app.get("/metrics", metricsGuard(options.metricsToken), async (_req, res) => {
    await options.refreshMetrics?.();
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get("/openapi.json", (_req, res) => {
    res.json(indexerOpenApi());
  });

  app.use(() => {
    throw new NotFoundError("no such route");
  });
  app.use(problemMiddleware(options.log));
  return app;
}

/**
 * The verifier's region: only a trusted proxy's header counts ("" without one). What a request
 * says of itself (a query parameter, a header it sets) would let one visitor fake many regions.
 */
function regionOf(req: Request, from: ClientAddress, options: IndexerAppOptions): string {
  const fromProxy = from.viaTrustedProxy && options.regionHeader ? req.get(options.regionHeader) : undefined;
  return checkRegion(fromProxy ?? "");
}

function idParam(value: unknown, name: string): number {
  const text = String(value);
  if (!/^\d{1,15}$/.test(text) || Number(text) < 1) throw new ValidationError(name, text, "must be a positive integer");
  return Number(text);
}
