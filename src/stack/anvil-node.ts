import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { startChildService, type ChildService } from "./child-service";

/**
 * anvil's binary, shipped inside the npm package @foundry-rs/anvil-linux-amd64 (nothing is
 * downloaded). It is started by its path: a wrapper such as npx would be killed and leave it running.
 */
export function anvilBinary(): string {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `the local chain needs anvil for linux-x64; this is ${process.platform}-${process.arch}: install foundry's anvil and put it on PATH`,
    );
  }
  const pkg = require.resolve("@foundry-rs/anvil-linux-amd64/package.json");
  const binary = join(dirname(pkg), "bin", "anvil");
  if (!existsSync(binary)) throw new Error(`anvil's binary is missing at ${binary}: run npm ci`);
  return binary;
}

/**
 * A local chain that keeps its state: anvil with --state loads the file at start (accounts, blocks,
 * transactions and their logs, so the indexer and the audit can replay history) and writes it back
 * every few seconds and on exit. Each transaction is mined at once, on chain id 31337.
 */
export function startAnvil(options: {
  binary: string;
  port: number;
  stateFile: string;
  logFile: string;
  cwd: string;
  env: Record<string, string | undefined>;
  onSpawn?: (pid: number) => Promise<void>;
}): Promise<ChildService> {
  return startChildService({
    name: "chain (anvil)",
    command: options.binary,
    args: [
      "--host",
      "127.0.0.1",
      "--port",
      String(options.port),
      "--chain-id",
      "31337",
      "--state",
      options.stateFile,
      "--state-interval",
      "5",
    ],
    env: options.env,
    cwd: options.cwd,
    logFile: options.logFile,
    ready: "Listening on",
    timeoutMs: 30_000,
    ...(options.onSpawn ? { onSpawn: options.onSpawn } : {}),
  });
}
