/**
 * The indexer's catch-up and proof latency, each part in its own process where it matters: a
 * `hardhat node`, the indexer (bin/trackroot-indexer.js, SQLite) and an autocannon load generator.
 *   1. builds a ledger: one order of 1,000,000 codes released in one batch (the CLI's release), and
 *      100,000 commissioning events in 10 commitments of 10 signed captures of 1,000 events;
 *   2. catch-up: indexes it from an empty SQLite database to the head, every leaf file and
 *      commitment fetched and checked, the lifecycle applied (target <= 60 s);
 *   3. proof endpoint: 500 requests/s for 20 s over random released codes (a tenth commissioned),
 *      each counted as a verification (target p99 <= 10 ms).
 *   npm run bench:indexer -- [--codes 1000000] [--events 100000] [--seconds 20] [--rate 500]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseIndexerConfig } from "../../src/indexer/config";
import { rebuildIndex } from "../../src/indexer/main";
import { startHardhatNode } from "../../test/support/chain-node";
import { ROOT, startNodeProcess } from "../../test/support/child-process";
import { freePort } from "../../test/support/chain-node";
import { buildBenchLedger } from "./bench-ledger";

const TARGET_CATCH_UP_S = 60;
const TARGET_P99_MS = 10;
const GTIN = "10614141073464";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

async function main() {
  const codes = arg("--codes", 1_000_000);
  const events = arg("--events", 100_000);
  const seconds = arg("--seconds", 20);
  const rate = arg("--rate", 500);
  const dir = mkdtempSync(join(tmpdir(), "trackroot-bench-indexer-"));
  const node = await startHardhatNode();
  try {
    const ledger = await buildBenchLedger(node.url, dir, codes, events);

    const env = {
      TRACKROOT_RPC_URL: node.url,
      TRACKROOT_DEPLOYMENT: ledger.chain.deploymentPath,
      TRACKROOT_INDEXER_DB: join(dir, "indexer.sqlite"),
      TRACKROOT_CONTENT_DIR: join(dir, "data", "content"),
      TRACKROOT_LOG_LEVEL: "warn",
      // the load generator is one client: lift the per-IP limit for the measurement
      TRACKROOT_PUBLIC_RATE_PER_SECOND: "100000",
      TRACKROOT_PUBLIC_BURST: "100000",
    };
    let t = Date.now();
    const { digest, block } = await rebuildIndex(parseIndexerConfig(env, ROOT), () => undefined);
    const catchUp = (Date.now() - t) / 1000;
    console.log(
      `catch-up: ${codes} codes and ${events} events indexed to block ${block} in ${catchUp.toFixed(1)} s (target <= ${TARGET_CATCH_UP_S} s); digest ${digest}`,
    );

    const port = await freePort();
    const indexer = await startNodeProcess({
      name: "indexer",
      // BENCH_PROFILE=<dir> writes the indexer's CPU profile there
      args: [
        ...(process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
        join(ROOT, "bin", "trackroot-indexer.js"),
      ],
      ready: "indexer ready",
      env: { ...env, TRACKROOT_INDEXER_PORT: String(port), TRACKROOT_LOG_LEVEL: "info" },
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      const paths = Array.from({ length: 5000 }, () => {
        const s = ledger.serials[Math.floor(Math.random() * codes)];
        return `/v1/codes/${GTIN}/${encodeURIComponent(s)}/proof`;
      });
      // warm: the batch's tree is loaded from its leaf file on the first proof
      t = Date.now();
      await fetch(`${url}${paths[0]}`);
      console.log(`first proof (loads the 1M-leaf tree): ${Date.now() - t} ms`);
      const file = join(dir, "paths.json");
      writeFileSync(file, JSON.stringify(paths));
      const load = (mode: "open" | "autocannon", duration = seconds) =>
        new Promise<{ requests: number; statuses: Record<string, number>; latencyMs: Record<string, number> }>(
          (resolve, reject) => {
            const child = spawn(
              process.execPath,
              [
                "-r",
                "ts-node/register/transpile-only",
                join(ROOT, "scripts", "bench", "indexer-load.ts"),
                url,
                file,
                String(rate),
                String(duration),
                ...(mode === "open" ? ["open"] : []),
              ],
              { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
            );
            let out = "";
            child.stdout.on("data", (d: Buffer) => (out += d.toString()));
            child.on("exit", (code) =>
              code === 0
                ? resolve(JSON.parse(out.trim().split("\n").pop() as string))
                : reject(new Error(`load exited ${code}`)),
            );
          },
        );
      // warm up (JIT, caches) before measuring
      await load("open", 3);
      for (const [mode, label] of [
        ["open", "evenly spaced (open loop)"],
        ["autocannon", "autocannon, 16 connections (each second's quota sent at once)"],
      ] as const) {
        const result = await load(mode);
        console.log(
          `proof endpoint at ${rate} req/s for ${seconds} s, ${label}: ${result.requests} requests ${JSON.stringify(result.statuses)}; p50 ${result.latencyMs.p50} ms, p90 ${result.latencyMs.p90} ms, p99 ${result.latencyMs.p99} ms, max ${result.latencyMs.max} ms (target p99 <= ${TARGET_P99_MS} ms)`,
        );
      }
    } finally {
      await indexer.stop();
    }
  } finally {
    await node.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
