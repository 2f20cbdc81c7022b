import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { Logger } from "pino";
import { z } from "zod";
import { contractAddresses, readDeployment } from "../chain/deployment";
import { Ledger } from "../chain/ledger";
import { openContentStore } from "../content/open-content-store";
import { ValidationError } from "../core/errors";
import type { Coordinates } from "../core/lifecycle/geo";
import { decodeLeafFile } from "../core/merkle/leaf-file";
import type { MerkleTree } from "../core/merkle/tree";
import { RateLimiter } from "../http/rate-limiter";
import { SuspectReports } from "./suspect-reports";
import { closeServer, listen, serviceMain } from "../service/service-main";
import { openDatabase } from "../store/database";
import type { IndexerTables } from "../store/indexer-schema";
import { RpcChainSource } from "../chain/chain-source";
import { parseIndexerConfig, type IndexerConfig } from "./config";
import { ConsortiumAuth } from "./consortium-auth";
import { ContentChecker } from "./content-checker";
import { productImageSource, productRecordSource } from "./product-records";
import { indexerApp } from "./http/app";
import { IndexerLoop } from "./indexer-loop";
import { IndexerStore } from "./indexer-store";
import { LifecycleProjector } from "./lifecycle-projector";
import { LruCache } from "./lru-cache";
import { IndexerMetrics } from "./metrics";
import { authenticatedEdge } from "../service/edge-settings";
import type { BundleSources } from "./proof-bundles";
import { Syncer } from "./syncer";
import { VerificationCounter } from "./verification-counter";
import { WebhookDispatcher } from "./webhooks";
import { SubscriptionRunner } from "./subscription-runner";
import { QueryStore } from "./query-store";
import { allOk, runHealthChecks } from "../http/health";

type Log = (event: string, detail: Record<string, unknown>) => void;

/** Events logged as warnings: something failed and will be tried again. */
const WARNINGS = new Set(["indexer.retry", "content.unavailable", "webhook.failed", "webhook.error"]);

const SitesSchema = z.record(
  z.string(),
  z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
);

/** The indexer's parts over one database, chain and content store: what main and `trackroot indexer` share. */
export async function openIndexer(config: IndexerConfig, log: Log) {
  const deployment = await readDeployment(config.TRACKROOT_DEPLOYMENT);
  const ledger = new Ledger({ rpcUrl: config.TRACKROOT_RPC_URL, deployment });
  await ledger.checkChain();
  const { db, engine } = openDatabase<IndexerTables>({
    url: config.DATABASE_URL,
    sqlitePath: config.TRACKROOT_INDEXER_DB,
  });
  const store = await IndexerStore.open(db, engine);
  if (store.migrated.length > 0) log("database.migrated", { migrations: store.migrated });
  const content = openContentStore({ ipfsApiUrl: config.TRACKROOT_IPFS_API_URL, dir: config.TRACKROOT_CONTENT_DIR });
  const contracts = contractAddresses(deployment);
  const startBlock = Math.min(...Object.values(deployment.contracts).map((c) => c.block));
  const metrics = new IndexerMetrics({ processMetrics: true });
  const syncer = new Syncer({
    source: new RpcChainSource(ledger.publicClient, Object.values(contracts)),
    store,
    contracts,
    startBlock,
    confirmations: config.TRACKROOT_CONFIRMATIONS,
    rangeSize: config.TRACKROOT_LOG_RANGE,
    log,
  });
  const checker = new ContentChecker({
    store,
    content,
    chainId: deployment.chainId,
    commitmentLog: deployment.contracts.CommitmentLog.address,
    log,
  });
  const lifecycle = new LifecycleProjector({
    store,
    sites: await readSites(config.TRACKROOT_SITES_FILE),
    maxSpeedKmh: config.TRACKROOT_MAX_SPEED_KMH,
    log,
  });
  const webhooks = config.TRACKROOT_WEBHOOK_URLS.length
    ? new WebhookDispatcher({
        store,
        urls: config.TRACKROOT_WEBHOOK_URLS,
        secret: config.TRACKROOT_WEBHOOK_SECRET ?? "",
        maxAttempts: config.TRACKROOT_WEBHOOK_MAX_ATTEMPTS,
        backoffMs: config.TRACKROOT_WEBHOOK_BACKOFF_MS,
        timeoutMs: config.TRACKROOT_WEBHOOK_TIMEOUT_MS,
        log,
      })
    : undefined;
  const loop = new IndexerLoop({
    syncer,
    checker,
    lifecycle,
    webhooks,
    subscriptions: new SubscriptionRunner({
      store,
      queries: new QueryStore(store),
      maxAttempts: config.TRACKROOT_WEBHOOK_MAX_ATTEMPTS,
      backoffMs: config.TRACKROOT_WEBHOOK_BACKOFF_MS,
      timeoutMs: config.TRACKROOT_WEBHOOK_TIMEOUT_MS,
      log,
    }),
    metrics,
    pollMs: config.TRACKROOT_POLL_MS,
    log,
  });
  const batchTrees = new LruCache<number, MerkleTree>(config.TRACKROOT_TREE_CACHE);
  const bundles: BundleSources = {
    store,
    chainId: deployment.chainId,
    serialRegistry: deployment.contracts.SerialRegistry.address,
    commitmentLog: deployment.contracts.CommitmentLog.address,
    batchTree: (id, cid) => batchTrees.get(id, async () => decodeLeafFile(await content.get(cid))),
    cache: new LruCache<string, unknown>(4096),
  };
  return { deployment, ledger, store, content, loop, bundles, metrics, engine };
}

async function readSites(path: string | undefined): Promise<Record<string, Coordinates>> {
  if (!path) return {};
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new ValidationError("TRACKROOT_SITES_FILE", path, `cannot be read as JSON: ${(e as Error).message}`);
  }
  const parsed = SitesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(
      `TRACKROOT_SITES_FILE${issue.path.map((p) => `/${String(p)}`).join("")}`,
      path,
      issue.message,
    );
  }
  return parsed.data;
}

/** Empties the index (raw and derived; verification counts stay), indexes to the head and returns the digest. */
export async function rebuildIndex(config: IndexerConfig, log: Log): Promise<{ digest: string; block: number }> {
  const indexer = await openIndexer(config, log);
  try {
    await indexer.store.rollbackTo(undefined);
    await indexer.loop.catchUp();
    return { digest: await indexer.store.digest(), block: (await indexer.store.cursor())?.number ?? -1 };
  } finally {
    await indexer.store.close();
  }
}

export interface RunningIndexer {
  url: string;
  stop: () => Promise<void>;
}

/** Wires the indexer's loop and HTTP API and starts both. */
export async function startIndexer(config: IndexerConfig, logger: Logger): Promise<RunningIndexer> {
  const log: Log = (event, detail) =>
    (WARNINGS.has(event) ? logger.warn : event === "indexer.halted" ? logger.fatal : logger.info).call(
      logger,
      { event, ...detail },
      event,
    );
  const indexer = await openIndexer(config, (event, detail) => {
    if (event !== "indexer.idle") log(event, detail);
  });
  const { store, loop, metrics, ledger } = indexer;
  const verifications = new VerificationCounter({
    store,
    windowMs: config.TRACKROOT_CLONE_WINDOW_MS,
    maxVerifications: config.TRACKROOT_CLONE_MAX_VERIFICATIONS,
    maxRegions: config.TRACKROOT_CLONE_MAX_REGIONS,
    maxUnknownLookups: config.TRACKROOT_ENUMERATION_MAX_LOOKUPS,
    ...(config.TRACKROOT_CLIENT_SALT ? { clientSalt: config.TRACKROOT_CLIENT_SALT } : {}),
  });
  const edge = authenticatedEdge(config);
  const app = indexerApp({
    subscriptionOrigins: config.TRACKROOT_SUBSCRIPTION_DEST_ORIGINS,
    store,
    bundles: indexer.bundles,
    verifications,
    auth: new ConsortiumAuth({
      store,
      tokens: new Map(
        config.TRACKROOT_INDEXER_TOKENS.map((t) => {
          const [participant, hash] = t.split(":");
          return [hash, Number(participant)];
        }),
      ),
      maxSkewSeconds: config.TRACKROOT_AUTH_MAX_SKEW_SECONDS,
      replays: edge.replays,
    }),
    productRecord: productRecordSource(ledger, indexer.content),
    productImage: productImageSource(ledger, indexer.content),
    reports: new SuspectReports({
      store,
      limiter: new RateLimiter({ ratePerSecond: 5 / 3600, burst: 5, unit: "reports" }),
      ...(config.TRACKROOT_CLIENT_SALT ? { clientSalt: config.TRACKROOT_CLIENT_SALT } : {}),
    }),
    limiter: new RateLimiter({
      ratePerSecond: config.TRACKROOT_PUBLIC_RATE_PER_SECOND,
      burst: config.TRACKROOT_PUBLIC_BURST,
      unit: "requests",
    }),
    clientAddress: edge.clientAddress,
    authFailures: edge.authFailures,
    metricsToken: edge.metricsToken,
    ...(config.TRACKROOT_REGION_HEADER ? { regionHeader: config.TRACKROOT_REGION_HEADER } : {}),
    health: async () => {
      let head: number | undefined;
      let progress: Awaited<ReturnType<IndexerStore["progress"]>> | undefined;
      const checks: Record<string, { status: string; detail?: string }> = await runHealthChecks([
        {
          name: "chain",
          check: async () => void (head = Number(await ledger.publicClient.getBlockNumber({ cacheTime: 0 }))),
        },
        { name: "database", check: async () => void (progress = await store.progress()) },
      ]);
      if (loop.halted) checks.indexer = { status: "halted", detail: loop.halted.message };
      const ok = allOk(checks);
      return {
        ok,
        body: {
          status: ok ? "ok" : "degraded",
          checks,
          head: head ?? null,
          indexedBlock: progress?.block ?? null,
          behind: head !== undefined && progress?.block != null ? head - progress.block : null,
          pendingContent: progress?.pendingContent ?? null,
          /** commitments whose entries the lifecycle rules have not applied yet */
          pendingLifecycle: progress?.pendingLifecycle ?? null,
        },
      };
    },
    metrics,
    refreshMetrics: async () => {
      const progress = await store.progress();
      metrics.indexedBlock.set(progress.block ?? -1);
      metrics.pendingContent.set(progress.pendingContent);
      metrics.anomalies.set(progress.anomalies);
    },
    log: (e) => logger.error({ err: e }, "request failed"),
  });
  loop.start();
  const server: Server = app.listen(config.TRACKROOT_INDEXER_PORT, config.TRACKROOT_INDEXER_HOST);
  const url = await listen(server, config.TRACKROOT_INDEXER_HOST);
  logger.info(
    {
      event: "indexer.started",
      url,
      engine: indexer.engine,
      chainId: indexer.deployment.chainId,
      from: (await store.cursor())?.number ?? null,
    },
    "indexer ready",
  );
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await closeServer(server);
      await loop.stop();
      await verifications.flush();
      await store.close();
      logger.info({ event: "indexer.stopped" }, "indexer stopped");
    })());
  return { url, stop };
}

/** The process entry: configuration from the environment, JSON logs on stdout, clean stop on SIGTERM/SIGINT. */
export function main(): Promise<void> {
  return serviceMain({ name: "indexer", parse: parseIndexerConfig, start: startIndexer });
}
