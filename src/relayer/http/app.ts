import express, { type Express, type Request } from "express";
import { jsonType, requireJsonType } from "../../http/json-type";
import { NotFoundError, ValidationError } from "../../core/errors";
import type { IntakeDesk } from "../intake-desk";
import type { HandoverMailbox } from "../handover-mailbox";
import type { RelayerMetrics } from "../metrics";
import { mayRead, partiesOf, receiptOf, type ReceiptOptions } from "../receipts";
import { COMMITTED_ELSEWHERE, type RelayerStore } from "../relayer-store";
import { readStoredEntry } from "../../core/custody/commitment-document";
import { relayerOpenApi } from "./openapi";
import { MAX_LISTED_ISSUES, problemMiddleware } from "../../http/problem";
import { requestTiming } from "../../http/request-timing";
import { signerOfRequest } from "../../http/signed-request";
import type { ClientAddress } from "../../http/client-address";
import { authFailureBudget, metricsGuard } from "../../http/edge-guards";
import type { RateLimiter } from "../../http/rate-limiter";
import type { ReplayGuard } from "../../http/replay-guard";
import { allOk, runHealthChecks, type HealthCheck } from "../../http/health";

export interface RelayerAppOptions {
  desk: IntakeDesk;
  mailbox: HandoverMailbox;
  store: RelayerStore;
  receipts: ReceiptOptions;
  health: HealthCheck[];
  metrics: RelayerMetrics;
  /** how far a signed read request's timestamp may be from this clock */
  readSkewSeconds: number;
  now?: () => number;
  /** largest request body, e.g. "4mb" */
  bodyLimit: string;
  /** where a request comes from (the socket's peer, or what a configured proxy forwarded) */
  clientAddress: (req: Request) => ClientAddress;
  /** per client address: requests that fail authentication */
  authFailures: RateLimiter;
  /** signed read requests already served (each is usable once) */
  replays: ReplayGuard;
  /** the bearer token /metrics asks for; unset, /metrics is not served */
  metricsToken?: string;
  log: (e: unknown) => void;
}

const HASH = /^0x[0-9a-f]{64}$/;

/**
 * The relayer's HTTP API: signed captures and co-signed handovers in (durable before 202), their
 * status and receipts out, health, metrics and the OpenAPI document. No write is unsigned.
 */
export function relayerApp(options: RelayerAppOptions): Express {
  const { desk, store, metrics } = options;
  const app = express();
  app.disable("x-powered-by");
  // refused writes are counted by route and status
  app.use(
    requestTiming(metrics.requestDuration, (route, req, res) => {
      if (res.statusCode >= 400 && req.method === "POST")
        metrics.rejected.inc({ route, status: String(res.statusCode) });
    }),
  );
  // bodies are read as bytes, after what can be checked without them: parsing is intake's, strictly
  const raw = (limit: string) => express.raw({ limit, type: () => true });
  const budget = authFailureBudget(options.authFailures, (req) => options.clientAddress(req).address);
  const readOptions = {
    maxSkewSeconds: options.readSkewSeconds,
    now: options.now ?? Date.now,
    replays: options.replays,
  };
  const signedRead = (req: Request) => ({
    service: "trackroot-relayer" as const,
    method: req.method,
    path: req.originalUrl,
    key: req.get("Trackroot-Key"),
    timestamp: req.get("Trackroot-Timestamp"),
    nonce: req.get("Trackroot-Nonce"),
    signature: req.get("Trackroot-Signature"),
  });

  app.post(
    "/capture",
    budget,
    async (req, res, next) => {
      requireJsonType(req);
      const behaviour = String(req.get("GS1-Capture-Error-Behaviour") ?? "rollback").toLowerCase();
      if (behaviour !== "rollback" && behaviour !== "proceed") {
        throw new ValidationError("GS1-Capture-Error-Behaviour", behaviour, "must be rollback or proceed");
      }
      res.locals.behaviour = behaviour;
      // authenticated from the headers alone, before a byte of the body is read
      res.locals.auth = await desk.authenticateCapture({
        submitter: req.get("Trackroot-Submitter") ?? "",
        nonce: req.get("Trackroot-Nonce") ?? "",
        issuedAt: req.get("Trackroot-Issued-At") ?? "",
        signature: req.get("Trackroot-Signature") ?? "",
        eventsRoot: req.get("Trackroot-Events-Root") ?? "",
        eventCount: req.get("Trackroot-Event-Count") ?? "",
        salt: req.get("Trackroot-Salt") ?? "",
      });
      next();
    },
    raw(options.bodyLimit),
    async (req, res) => {
      const ack = await desk.acceptCapture(bodyText(req), res.locals.auth, res.locals.behaviour);
      res
        .status(202)
        .location(`/capture/${ack.id}`)
        .json({
          captureID: ack.id,
          duplicate: !ack.created,
          // bounded as a refusal is: the first issues, and how many there were
          ...(ack.rejected.length
            ? { rejectedEvents: ack.rejected.slice(0, MAX_LISTED_ISSUES), rejectedIssueCount: ack.rejected.length }
            : {}),
        });
    },
  );

  app.post("/handovers", budget, jsonType, raw(HANDOVER_BODY_LIMIT), async (req, res) => {
    const ack = await desk.acceptHandover(bodyText(req));
    res.status(202).location(`/capture/${ack.id}`).json({ captureID: ack.id, duplicate: !ack.created });
  });

  // the handover mailbox: proposals are self-signed; reading and acting need a party's signed request
  app.post("/handovers/proposals", budget, jsonType, raw(HANDOVER_BODY_LIMIT), async (req, res) => {
    const { view, created } = await options.mailbox.propose(bodyText(req));
    res
      .status(created ? 201 : 200)
      .location(`/handovers/proposals/${view.id}`)
      .json({ ...view, duplicate: !created });
  });

  app.get("/handovers/proposals", budget, async (req, res) => {
    const reader = await signerOfRequest(signedRead(req), readOptions);
    const q = req.query;
    const to = typeof q.to === "string" ? q.to : undefined;
    const from = typeof q.from === "string" ? q.from : undefined;
    if ((to === undefined) === (from === undefined)) {
      throw new ValidationError("to", q.to ?? "", "give to=me (the inbox) or from=me (what was sent), not both");
    }
    const party = (to ?? from) as string;
    if (party !== "me" && !/^[1-9]\d{0,9}$/.test(party)) {
      throw new ValidationError(to !== undefined ? "to" : "from", party, "must be me or a participant id");
    }
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PROPOSALS_LISTED) {
      throw new ValidationError("limit", q.limit, `must be 1 to ${MAX_PROPOSALS_LISTED}`);
    }
    if (q.status !== undefined && typeof q.status !== "string")
      throw new ValidationError("status", q.status, "give one status");
    const proposals = await options.mailbox.list(reader, {
      side: to !== undefined ? "to" : "from",
      participant: party === "me" ? "me" : Number(party),
      status: q.status,
      limit,
    });
    res.json({ proposals });
  });

  app.get("/handovers/proposals/:id", budget, async (req, res) => {
    const reader = await signerOfRequest(signedRead(req), readOptions);
    res.json(await options.mailbox.show(reader, hashParam(req.params.id, "id")));
  });

  for (const action of ["accept", "reject", "withdraw"] as const) {
    app.post(
      `/handovers/proposals/:id/${action}`,
      budget,
      raw(action === "accept" ? HANDOVER_BODY_LIMIT : ACTION_BODY_LIMIT),
      async (req, res) => {
        const bytes = req.body instanceof Uint8Array ? req.body : new Uint8Array(0);
        // the body is signed with the request: a reason or a received list cannot be swapped on the way
        const signer = await signerOfRequest({ ...signedRead(req), body: bytes }, readOptions);
        const id = hashParam(req.params.id, "id");
        const text = bytes.length ? bodyText(req) : "";
        const signature = req.get("Trackroot-Signature") as string;
        res.json(await options.mailbox[action](signer, id, text, signature));
      },
    );
  }

  app.get(["/capture/:id", "/handovers/:id"], budget, async (req, res) => {
    const id = hashParam(req.params.id, "id");
    const entry = await store.entry(id);
    if (!entry) throw new NotFoundError(`no capture or handover ${id}`);
    const elsewhere = entry.batch_sequence === COMMITTED_ELSEWHERE;
    const batch = entry.batch_sequence === null || elsewhere ? undefined : await store.batch(entry.batch_sequence);
    const stored = readStoredEntry(entry);
    const left = stored.kind === "capture" ? (stored.body.rejected ?? []) : [];
    // the status is anyone's who knows the id; why events were left out quotes them: the parties' only
    let rejected: unknown[] = [];
    if (req.get("Trackroot-Signature")) {
      const reader = await signerOfRequest(signedRead(req), readOptions);
      const parties = stored.kind === "capture" ? [stored.body.capture.submitter] : partiesOf(stored.body.handover);
      await mayRead(reader, parties, options.receipts.registry);
      rejected = left;
    }
    res.json({
      captureID: id,
      kind: entry.kind,
      status: batch?.status === "committed" || elsewhere ? "committed" : "queued",
      // another relayer committed the same entries first: the chain holds it in that relayer's log
      ...(elsewhere ? { committedElsewhere: true } : {}),
      eventCount: entry.event_count,
      receivedAt: entry.received_at,
      // events left out under GS1-Capture-Error-Behaviour: proceed, with why (to a signed read of a party)
      ...(left.length ? { rejectedEventCount: new Set(left.map((r) => r.eventIndex)).size } : {}),
      ...(rejected.length
        ? { rejectedEvents: rejected.slice(0, MAX_LISTED_ISSUES), rejectedIssueCount: rejected.length }
        : {}),
      ...(batch
        ? {
            relayer: options.receipts.relayer,
            batch: {
              sequence: batch.sequence,
              status: batch.status,
              root: batch.root,
              contentCid: batch.content_cid,
              transaction: batch.transaction,
              block: batch.block_number === null ? null : Number(batch.block_number),
            },
          }
        : {}),
    });
  });

  app.get("/receipts/:hash", budget, async (req, res) => {
    const reader = await signerOfRequest(signedRead(req), readOptions);
    const receipt = await receiptOf(hashParam(req.params.hash, "hash"), reader, options.receipts);
    res.status(receipt.status === "committed" ? 200 : 202).json(receipt);
  });

  app.get("/health", async (_req, res) => {
    const checks = await runHealthChecks(options.health);
    const ok = allOk(checks);
    const queue = await store.queueDepth().catch(() => undefined);
    res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "degraded", checks, queue });
  });

  app.get("/metrics", metricsGuard(options.metricsToken), async (_req, res) => {
    metrics.queueDepth.set((await store.queueDepth()).events);
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get("/openapi.json", (_req, res) => {
    res.json(relayerOpenApi());
  });

  app.use(() => {
    throw new NotFoundError("no such route");
  });
  app.use(problemMiddleware(options.log));
  return app;
}

/** The largest handover request: a list of up to the capture limit of identifiers, and the signatures. */
const HANDOVER_BODY_LIMIT = "2mb";
/** A reject or a withdraw carries a reason at most. */
const ACTION_BODY_LIMIT = "16kb";
const MAX_PROPOSALS_LISTED = 500;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The request body as text: UTF-8, as JSON must be (RFC 8259); anything else is refused, naming it. */
function bodyText(req: Request): string {
  const bytes: unknown = req.body;
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new ValidationError("body", "", "is empty");
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ValidationError("body", "", "is not UTF-8");
  }
}

function hashParam(value: unknown, name: string): string {
  const v = String(value).toLowerCase();
  if (!HASH.test(v)) throw new ValidationError(name, value, "must be 0x + 64 hex digits");
  return v;
}
