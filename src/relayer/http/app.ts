import express, { type Express } from "express";
import type { CaptureDesk } from "../capture-desk";
import type { BatchQueue } from "../batch-queue";
import type { RelayerStore } from "../relayer-store";
import { ValidationError, NotFoundError } from "../../core/errors";
import { problemMiddleware } from "./problem";

export interface RelayerAppOptions {
  desk: CaptureDesk;
  store: RelayerStore;
  queue: BatchQueue;
  bodyLimit: string;
  log: (e: unknown) => void;
}

/** The relayer's HTTP API: captures in (signed, durable before 202), their status out. */
export function relayerApp(options: RelayerAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  const json = express.json({ limit: options.bodyLimit, type: ["application/json", "application/ld+json"] });

  app.post("/capture", json, async (req, res) => {
    const behaviourHeader = String(req.get("GS1-Capture-Error-Behaviour") ?? "rollback").toLowerCase();
    if (behaviourHeader !== "rollback" && behaviourHeader !== "proceed") {
      throw new ValidationError("GS1-Capture-Error-Behaviour", behaviourHeader, "rollback or proceed");
    }
    const envelope = {
      submitter: req.get("Trackroot-Submitter") ?? "",
      nonce: req.get("Trackroot-Nonce") ?? "",
      issuedAt: req.get("Trackroot-Issued-At") ?? "",
      signature: req.get("Trackroot-Signature") ?? "",
    };
    const { id, created, rejected } = await options.desk.accept(req.body, envelope, behaviourHeader);
    res
      .status(202)
      .location(`/capture/${id}`)
      .json({ captureID: id, duplicate: !created, ...(rejected.length ? { rejectedEvents: rejected } : {}) });
  });

  app.get("/capture/:id", async (req, res) => {
    const id = String(req.params.id).toLowerCase();
    if (!/^0x[0-9a-f]{64}$/.test(id)) throw new ValidationError("id", req.params.id, "a capture id is 0x + 64 hex");
    const entry = await options.store.entry(id);
    if (!entry) throw new NotFoundError(`no capture ${id}`);
    const batch = entry.batch_sequence === null ? undefined : await options.store.batch(entry.batch_sequence);
    res.json({
      captureID: id,
      status: batch?.status === "committed" ? "committed" : "queued",
      eventCount: entry.event_count,
      receivedAt: entry.received_at,
      ...(batch
        ? {
            batch: {
              sequence: batch.sequence,
              status: batch.status,
              root: batch.root,
              contentCid: batch.content_cid,
              transaction: batch.transaction,
              block: batch.block_number,
            },
          }
        : {}),
    });
  });

  app.get("/health", async (_req, res) => {
    const depth = await options.store.queueDepth();
    res.json({ status: "ok", queue: depth });
  });

  app.use(problemMiddleware(options.log));
  return app;
}
