import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../context";
import { emit, positiveInt } from "./shared";

/** indexer rebuild and indexer token: the indexer's operator commands. */
export function registerIndexerCommands(
  program: Command,
  context: () => Promise<CliContext>,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const indexer = program.command("indexer").description("the indexer's database and access");
  indexer
    .command("rebuild")
    .description("empty the index and rebuild it from the chain and the content store; prints the state digest")
    .option("--db <file>", "SQLite file (default <dataDir>/indexer.sqlite)")
    .option("--database-url <url>", "PostgreSQL instead (default DATABASE_URL)")
    .action(async (opts: { db?: string; databaseUrl?: string }) => {
      const ctx = await context();
      const [{ parseIndexerConfig }, { rebuildIndex }] = await Promise.all([
        import("../../indexer/config"),
        import("../../indexer/main"),
      ]);
      const databaseUrl = opts.databaseUrl ?? env.DATABASE_URL;
      const config = parseIndexerConfig(
        {
          ...env,
          TRACKROOT_RPC_URL: ctx.config.rpcUrl,
          TRACKROOT_DEPLOYMENT: await ctx.deploymentPath(),
          TRACKROOT_IPFS_API_URL: ctx.config.ipfsApiUrl,
          TRACKROOT_CONTENT_DIR: join(ctx.config.dataDir, "content"),
          TRACKROOT_INDEXER_DB: opts.db ?? join(ctx.config.dataDir, "indexer.sqlite"),
          DATABASE_URL: databaseUrl,
        },
        ctx.cwd,
      );
      const started = Date.now();
      const { digest, block } = await rebuildIndex(config, (event, detail) => {
        if (event === "content.unavailable")
          ctx.io.err(`content not available yet: ${String(detail.subject)} (${String(detail.cid)})`);
      });
      emit(
        ctx,
        { digest, block, seconds: (Date.now() - started) / 1000 },
        `indexed to block ${block} in ${((Date.now() - started) / 1000).toFixed(1)} s\ndigest ${digest}`,
      );
    });
  indexer
    .command("token")
    .description("issue a consortium read token to a participant (the indexer stores only its hash)")
    .requiredOption("--participant <id>", "the participant the token is issued to", positiveInt("participant"))
    .action(async (opts: { participant: number }) => {
      const ctx = await context();
      const { tokenHash } = await import("../../indexer/consortium-auth");
      const token = randomBytes(32).toString("base64url");
      const entry = `${opts.participant}:${tokenHash(token)}`;
      emit(
        ctx,
        { participant: opts.participant, token, entry },
        `token ${token}\nadd to TRACKROOT_INDEXER_TOKENS (comma-separated): ${entry}`,
      );
    });
}
