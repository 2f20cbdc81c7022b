import { writeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { Logger } from "pino";
import { accountFromKeystore } from "../chain/keystore";
import { readDeployment } from "../chain/deployment";
import { Ledger } from "../chain/ledger";
import { cidOf } from "../content/unixfs";
import { RELAYER_KIND } from "../core/custody/participant-kinds";
import { openContentStore } from "../content/open-content-store";
import { ValidationError } from "../core/errors";
import { closeServer, listen, logMigrated, serviceMain } from "../service/service-main";
import { openDatabase } from "../store/database";
import type { RelayerTables } from "../store/schema";
import { BatchQueue } from "./batch-queue";
import { parseRelayerConfig, type RelayerConfig } from "./config";
import { relayerApp } from "./http/app";
import { IntakeDesk } from "./intake-desk";
import { HandoverMailbox } from "./handover-mailbox";
import { ProposalStore } from "./proposal-store";
import { KeyStandingCache } from "./key-standing-cache";
import { RelayerMetrics } from "./metrics";
import { authenticatedEdge } from "../service/edge-settings";
import { Pipeline } from "./pipeline";
import { RateLimiter } from "../http/rate-limiter";
import { RelayerStore } from "./relayer-store";

export interface RunningRelayer {
  url: string;
  relayer: number;
  /** stops taking requests, finishes those in flight, commits what is queued (bounded), closes */
  stop: () => Promise<void>;
}

/**
 * Wires the relayer: database, chain, content store, intake, pipeline and HTTP. On start it
 * reconciles with the chain: the pipeline resumes unfinished batches at their recorded step and
 * the chain's head decides what already landed, and queued entries are counted into the queue.
 */
export async function startRelayer(config: RelayerConfig, logger: Logger): Promise<RunningRelayer> {
  const deployment = await readDeployment(config.TRACKROOT_DEPLOYMENT);
  const account = await accountFromKeystore(
    await readFile(config.TRACKROOT_RELAYER_KEYSTORE, "utf8"),
    config.TRACKROOT_RELAYER_KEYSTORE_PASSWORD,
    config.TRACKROOT_RELAYER_KEYSTORE,
  );
  const ledger = new Ledger({ rpcUrl: config.TRACKROOT_RPC_URL, deployment, account, fees: config.TRACKROOT_FEES });
  await ledger.checkChain();
  const [relayer, kind, active] = await ledger.read(() => ledger.registry.read.keyStanding([account.address]));
  if (relayer === 0 || kind !== RELAYER_KIND || !active) {
    throw new ValidationError(
      "TRACKROOT_RELAYER_KEYSTORE",
      account.address,
      "must hold an active key of a relayer participant (trackroot participant add --kind relayer)",
    );
  }

  const { db, engine } = openDatabase<RelayerTables>({
    url: config.DATABASE_URL,
    sqlitePath: config.TRACKROOT_RELAYER_DB,
  });
  const store = await RelayerStore.open(db, engine);
  logMigrated(logger, "relayer", store.migrated);
  const content = openContentStore({ ipfsApiUrl: config.TRACKROOT_IPFS_API_URL, dir: config.TRACKROOT_CONTENT_DIR });

  const metrics = new RelayerMetrics({ processMetrics: true });
  const queue = new BatchQueue({
    maxEvents: config.TRACKROOT_BATCH_MAX_EVENTS,
    maxWaitMs: config.TRACKROOT_BATCH_MAX_WAIT_MS,
  });
  const log = (event: string, detail: Record<string, unknown>) =>
    (event === "pipeline.halted" ? logger.fatal : event === "pipeline.retry" ? logger.warn : logger.info).call(
      logger,
      { event, ...detail },
      event,
    );
  const halt = config.TRACKROOT_RELAYER_HALT_AT;
  const pipeline = new Pipeline({
    store,
    content,
    ledger,
    queue,
    relayer,
    maxEntries: config.TRACKROOT_BATCH_MAX_ENTRIES,
    maxEvents: config.TRACKROOT_BATCH_MAX_EVENTS,
    replaceAfterMs: config.TRACKROOT_TX_REPLACE_AFTER_MS,
    metrics,
    log,
    onStep: halt
      ? (step, sequence) => {
          if (step !== halt) return;
          // written straight to stdout: the process is gone before an asynchronous log would be
          writeSync(1, JSON.stringify({ level: 40, event: "halt", step, sequence, msg: `halting at ${step}` }) + "\n");
          process.kill(process.pid, "SIGKILL");
        }
      : undefined,
  });
  const domain = { chainId: deployment.chainId, verifyingContract: ledger.commitmentLog.address };
  const registry = new KeyStandingCache(
    {
      keyStanding: async (key) => {
        const [participant, k, a] = await ledger.read(() => ledger.registry.read.keyStanding([key]));
        return { participant, kind: k, active: a };
      },
    },
    { ttlMs: config.TRACKROOT_KEY_CACHE_MS, staleIfErrorMs: config.TRACKROOT_KEY_STALE_IF_ERROR_MS },
  );
  const limiter = new RateLimiter({
    ratePerSecond: config.TRACKROOT_RATE_EVENTS_PER_SECOND,
    burst: config.TRACKROOT_RATE_BURST_EVENTS,
  });
  const desk = new IntakeDesk({
    domain,
    registry,
    maxAgeSeconds: config.TRACKROOT_CAPTURE_MAX_AGE_SECONDS,
    maxSkewSeconds: config.TRACKROOT_CAPTURE_MAX_SKEW_SECONDS,
    maxEvents: config.TRACKROOT_CAPTURE_MAX_EVENTS,
    now: Date.now,
    store,
    queue,
    limiter,
    metrics,
    onQueued: () => pipeline.poke(),
  });
  const mailbox = new HandoverMailbox({
    domain,
    registry,
    participants: {
      participantStanding: async (id) => {
        const count = await ledger.read(() => ledger.registry.read.participantCount());
        if (id < 1 || id > count) return null;
        const p = await ledger.read(() => ledger.registry.read.participant([id]));
        return { kind: p.kind, active: p.active };
      },
    },
    proposals: new ProposalStore(db),
    desk,
    now: Date.now,
    maxSkewSeconds: config.TRACKROOT_CAPTURE_MAX_SKEW_SECONDS,
    maxItems: config.TRACKROOT_CAPTURE_MAX_EVENTS,
    limiter,
  });
  const emptyCid = await cidOf(new Uint8Array());
  const app = relayerApp({
    desk,
    mailbox,
    store,
    metrics,
    receipts: { store, registry, chainId: deployment.chainId, commitmentLog: ledger.commitmentLog.address, relayer },
    readSkewSeconds: config.TRACKROOT_CAPTURE_MAX_SKEW_SECONDS,
    health: [
      { name: "database", check: async () => void (await store.queueDepth()) },
      { name: "chain", check: async () => void (await ledger.read(() => ledger.publicClient.getBlockNumber())) },
      { name: "content", check: async () => void (await content.has(emptyCid)) },
      {
        name: "pipeline",
        check: async () => {
          if (pipeline.halted) throw new Error(`halted: ${pipeline.halted.message}`);
        },
      },
    ],
    bodyLimit: config.TRACKROOT_BODY_LIMIT,
    ...authenticatedEdge(config),
    log: (e) => logger.error({ err: e }, "request failed"),
  });

  const unfinished = await store.unfinishedBatches();
  const depth = await store.queueDepth();
  queue.added(depth.events, Date.now());
  pipeline.start();
  const server: Server = app.listen(config.TRACKROOT_RELAYER_PORT, config.TRACKROOT_RELAYER_HOST);
  const url = await listen(server, config.TRACKROOT_RELAYER_HOST);
  logger.info(
    {
      event: "relayer.started",
      url,
      relayer,
      key: account.address,
      chainId: deployment.chainId,
      engine,
      queuedEvents: depth.events,
      unfinishedBatches: unfinished.map((b) => `${b.sequence}:${b.status}`),
    },
    "relayer ready",
  );

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info({ event: "relayer.stopping" }, "stopping: finishing requests in flight, committing the queue");
      await closeServer(server);
      await pipeline.stop({ flush: true, timeoutMs: config.TRACKROOT_SHUTDOWN_FLUSH_MS });
      const left = await store.queueDepth();
      await store.close();
      logger.info({ event: "relayer.stopped", queuedEvents: left.events }, "relayer stopped");
    })());
  return { url, relayer, stop };
}

/** The process entry: configuration from the environment, JSON logs on stdout, clean stop on SIGTERM/SIGINT. */
export function main(): Promise<void> {
  return serviceMain({ name: "relayer", parse: parseRelayerConfig, start: startRelayer });
}
