import { join } from "node:path";
import pino from "pino";
import { parseIndexerConfig } from "../../src/indexer/config";
import { startIndexer, type RunningIndexer } from "../../src/indexer/main";

/**
 * The indexer service started in this process against a test ledger (its database and content
 * store under `dir`), resolved once it has caught up: nothing behind, no content or lifecycle step
 * pending. `env` adds or overrides settings.
 */
export async function startCaughtUpIndexer(options: {
  rpcUrl: string;
  deploymentPath: string;
  dir: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<RunningIndexer> {
  const indexer = await startIndexer(
    parseIndexerConfig(
      {
        TRACKROOT_RPC_URL: options.rpcUrl,
        TRACKROOT_DEPLOYMENT: options.deploymentPath,
        TRACKROOT_INDEXER_DB: join(options.dir, "indexer.sqlite"),
        TRACKROOT_CONTENT_DIR: join(options.dir, "data", "content"),
        TRACKROOT_INDEXER_PORT: "0",
        TRACKROOT_POLL_MS: "50",
        ...options.env,
      },
      options.dir,
    ),
    pino({ level: "silent" }),
  );
  for (const deadline = Date.now() + (options.timeoutMs ?? 60_000); ; ) {
    const h = (await (await fetch(`${indexer.url}/health`)).json()) as Record<string, number>;
    if (h.behind === 0 && h.pendingContent === 0 && h.pendingLifecycle === 0) return indexer;
    if (Date.now() > deadline) {
      await indexer.stop();
      throw new Error(`the indexer did not catch up: ${JSON.stringify(h)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
