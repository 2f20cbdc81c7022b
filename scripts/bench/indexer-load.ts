/**
 * The load generator of bench:indexer, run in its own process: autocannon GETs the proof URLs in a
 * file (round robin) at a fixed overall rate and prints a JSON summary on stdout.
 * With "open" as the fifth argument the requests are sent open-loop, evenly spaced (one every
 * 1000/rate ms whatever the answers do, over keep-alive connections), the way independent
 * consumers arrive; autocannon's rate limit instead releases each second's quota at once.
 *   node -r ts-node/register/transpile-only scripts/bench/indexer-load.ts <url> <paths.json> <rate> <seconds> [open]
 */
import { autocannonSummary } from "./autocannon-summary";
import { readFileSync } from "node:fs";
import { Agent, get } from "node:http";

async function openLoop(url: string, paths: string[], rate: number, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const total = rate * seconds;
  const interval = 1000 / rate;
  const start = performance.now();
  let done = 0;
  await new Promise<void>((resolve) => {
    const send = (i: number) => {
      const sent = performance.now();
      get(`${url}${paths[i % paths.length]}`, { agent }, (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(performance.now() - sent);
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          if (++done === total) resolve();
        });
      }).on("error", () => {
        errors++;
        if (++done === total) resolve();
      });
    };
    let i = 0;
    const tick = () => {
      // send every request whose time has come, then sleep until the next one is due
      while (i < total && performance.now() - start >= i * interval) send(i++);
      if (i < total) setTimeout(tick, Math.max(0, start + i * interval - performance.now() - 0.5));
    };
    tick();
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2));
  return {
    requests: total,
    durationMs: performance.now() - start,
    statuses,
    errors,
    latencyMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) },
  };
}

async function main() {
  const [url, file, rate, seconds, mode] = process.argv.slice(2);
  const paths = JSON.parse(readFileSync(file, "utf8")) as string[];
  if (mode === "open") {
    console.log(JSON.stringify(await openLoop(url, paths, Number(rate), Number(seconds))));
    return;
  }
  let next = 0;
  const summary = await autocannonSummary(
    { url, connections: 16, overallRate: Number(rate), duration: Number(seconds), timeout: 30 },
    { method: "GET", setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) },
  );
  console.log(JSON.stringify(summary));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
