/**
 * The load generator of bench:indexer, run in its own process: autocannon GETs the proof URLs in a
 * file (round robin) at a fixed overall rate and prints a JSON summary on stdout.
 *   node -r ts-node/register/transpile-only scripts/bench/indexer-load.ts <url> <paths.json> <rate> <seconds>
 */
import autocannon from "autocannon";
import { readFileSync } from "node:fs";

async function main() {
  const [url, file, rate, seconds] = process.argv.slice(2);
  const paths = JSON.parse(readFileSync(file, "utf8")) as string[];
  let next = 0;
  const statuses: Record<string, number> = {};
  const result = await autocannon({
    url,
    connections: 16,
    overallRate: Number(rate),
    duration: Number(seconds),
    timeout: 30,
    requests: [
      {
        method: "GET",
        setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }),
        onResponse: (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        },
      },
    ],
  });
  console.log(
    JSON.stringify({
      requests: result.requests.total,
      durationMs: result.duration * 1000,
      statuses,
      errors: result.errors,
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
