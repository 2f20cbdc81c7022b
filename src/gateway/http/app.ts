import express, { type Express, type Request } from "express";
import { NotFoundError, ValidationError } from "../../core/errors";
import { problemMiddleware } from "../../http/problem";
import { bodyText } from "../../http/body-text";
import { requestTiming } from "../../http/request-timing";
import { metricsGuard } from "../../http/edge-guards";
import { clientOf, type ApiClient } from "../api-clients";
import type { CaptureDesk } from "../capture-desk";
import type { HandoverDesk } from "../handover-desk";
import type { GatewayMetrics } from "../metrics";
import type { OutboxStore } from "../outbox-store";
import type { XmlIntake } from "../xml-intake";
import { dockPage } from "./dock-page";
import { gatewayOpenApi } from "./openapi";
import { allOk, runHealthChecks } from "../../http/health";

export interface GatewayAppOptions {
  captures: CaptureDesk;
  /** captures in EPCIS XML: checked against the XSD and read into JSON-LD */
  xml: XmlIntake;
  handovers: HandoverDesk;
  store: OutboxStore;
  clients: readonly ApiClient[];
  metrics: GatewayMetrics;
  participant: number;
  /** largest capture body, e.g. "4mb" */
  bodyLimit: string;
  /** the most events one capture may hold (announced as GS1-EPCIS-Capture-Limit) */
  maxEvents: number;
  /** what /health reports beside the outbox: the relayers it forwards to */
  health: { name: string; check: () => Promise<void> }[];
  metricsToken?: string;
  /** after a capture is acknowledged (crash tests stop the process here) */
  onAcknowledged?: (id: string) => void;
  log: (e: unknown) => void;
}

const BEHAVIOURS = ["rollback", "proceed"] as const;

/** A body limit like "4mb" or "512kb" in bytes. */
function bytesOf(limit: string): number {
  const m = /^(\d+)(kb|mb)$/i.exec(limit);
  return m ? Number(m[1]) * (m[2].toLowerCase() === "mb" ? 1024 * 1024 : 1024) : Number(limit);
}

/**
 * The gateway's HTTP API, facing the participant's own systems: the EPCIS 2.0 REST capture
 * interface (POST /capture, GET /capture/{captureID}) with an API token per client system and no
 * signature headers, the handover desk and the dock's page, health, metrics and OpenAPI.
 */
export function gatewayApp(options: GatewayAppOptions): Express {
  const { captures, handovers, metrics } = options;
  const app = express();
  app.disable("x-powered-by");
  app.use(requestTiming(metrics.requestDuration));
  const raw = (limit: string) => express.raw({ limit, type: () => true });
  // every API call names its client system before a byte of its body is read
  const client = (req: Request) => clientOf(options.clients, req.get("Authorization"));
  const authenticated = (req: Request, res: express.Response, next: express.NextFunction) => {
    res.locals.client = client(req).name;
    next();
  };
  const gs1Headers = (res: express.Response) =>
    res.set({ "GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0", "GS1-Extensions": "" });

  // discovery: the versions, the bindings taken and the capture limits, before anything is sent
  app.options(["/capture", "/capture/:id"], (_req, res) => {
    gs1Headers(res)
      .set({
        Allow: "GET, POST, OPTIONS",
        "Accept-Post": "application/ld+json, application/json, application/xml",
        "GS1-EPCIS-Min": "2.0.0",
        "GS1-EPCIS-Max": "2.0.0",
        "GS1-CBV-Min": "2.0.0",
        "GS1-CBV-Max": "2.0.0",
        "GS1-EPCIS-Capture-Limit": String(options.maxEvents),
        "GS1-EPCIS-Capture-File-Size-Limit": String(bytesOf(options.bodyLimit)),
      })
      .status(204)
      .end();
  });

  app.post("/capture", authenticated, raw(options.bodyLimit), async (req, res) => {
    const xml = !!req.is(["application/xml", "text/xml"]);
    if (!xml && !req.is(["application/json", "application/ld+json"])) {
      throw new ValidationError(
        "Content-Type",
        req.get("Content-Type") ?? "",
        "must be application/json, application/ld+json or application/xml",
      );
    }
    const behaviour = String(req.get("GS1-Capture-Error-Behaviour") ?? "rollback").toLowerCase();
    if (!(BEHAVIOURS as readonly string[]).includes(behaviour)) {
      throw new ValidationError("GS1-Capture-Error-Behaviour", behaviour, "must be rollback or proceed");
    }
    const body = bodyText(req);
    if (!body) throw new ValidationError("body", "", "is empty");
    const read = xml ? await options.xml.toJsonLd(body) : { text: body, notMapped: [] };
    const job = await captures.accept(res.locals.client, read.text, behaviour as (typeof BEHAVIOURS)[number]);
    metrics.acknowledged.inc();
    gs1Headers(res)
      .status(202)
      .location(`/capture/${job.captureID}`)
      .json(read.notMapped.length ? { ...job, notMapped: read.notMapped } : job);
    options.onAcknowledged?.(job.captureID);
  });

  app.get("/capture/:id", authenticated, async (req, res) => {
    gs1Headers(res).json(await captures.job(res.locals.client, String(req.params.id)));
  });

  app.post("/handovers/proposals", authenticated, raw("2mb"), async (req, res) => {
    const view = await handovers.propose(bodyText(req));
    res.status(201).location(`/handovers/proposals/${view.id}`).json(view);
  });
  app.get("/handovers/inbox", authenticated, async (req, res) => {
    const status = req.query.status;
    const statuses = ["proposed", "accepted", "rejected", "withdrawn", "expired"];
    if (status !== undefined && (typeof status !== "string" || !statuses.includes(status))) {
      throw new ValidationError("status", status, `must be one of ${statuses.join(", ")}`);
    }
    const sent = req.query.sent === "true";
    res.json({ proposals: await handovers.inbox({ sent, ...(status ? { status: status as never } : {}) }) });
  });
  app.get("/handovers/proposals/:id", authenticated, async (req, res) => {
    res.json(await handovers.show(proposalId(req.params.id)));
  });
  for (const action of ["accept", "reject", "withdraw"] as const) {
    app.post(
      `/handovers/proposals/:id/${action}`,
      authenticated,
      raw(action === "accept" ? "2mb" : "16kb"),
      async (req, res) => {
        res.json(await handovers[action](proposalId(req.params.id), bodyText(req)));
      },
    );
  }

  app.get(["/", "/dock"], (_req, res) => {
    res
      .set(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
      )
      .type("html")
      .send(dockPage(options.participant));
  });

  app.get("/health", async (_req, res) => {
    const checks = await runHealthChecks([
      { name: "outbox", check: async () => void (await options.store.depth()) },
      ...options.health,
    ]);
    // the outbox is what must work: relayers may be down while captures are still acknowledged
    const ok = checks.outbox.status === "ok";
    const depth = await options.store.depth().catch(() => undefined);
    res.status(ok ? 200 : 503).json({
      status: allOk(checks) ? "ok" : ok ? "degraded" : "down",
      checks,
      outbox: depth,
    });
  });

  app.get("/metrics", metricsGuard(options.metricsToken), async (_req, res) => {
    const depth = await options.store.depth();
    metrics.outbox.set({ status: "pending" }, depth.pending);
    metrics.outbox.set({ status: "forwarded" }, depth.forwarded);
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get("/openapi.json", (_req, res) => {
    res.json(gatewayOpenApi());
  });

  app.use(() => {
    throw new NotFoundError("no such route");
  });
  app.use(problemMiddleware(options.log));
  return app;
}

function proposalId(value: unknown): string {
  const v = String(value).toLowerCase();
  if (!/^0x[0-9a-f]{64}$/.test(v)) throw new ValidationError("id", value, "must be 0x + 64 hex digits");
  return v;
}
