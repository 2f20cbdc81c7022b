/**
 * The load generator of bench:relayer, run in its own process: autocannon sends the pre-signed
 * captures in a file (each once) to a relayer and prints a JSON summary on stdout.
 *   node -r ts-node/register/transpile-only scripts/bench/relayer-load.ts <url> <requests.json> <connections> [rate]
 */
import autocannon from "autocannon";
import { readFileSync } from "node:fs";

interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

async function main() {
  const [url, file, connections, rate] = process.argv.slice(2);
  const requests = JSON.parse(readFileSync(file, "utf8")) as SignedRequest[];
  let next = 0;
  const statuses: Record<string, number> = {};
  const result = await autocannon({
    url: `${url}/capture`,
    connections: Number(connections),
    amount: requests.length,
    ...(rate ? { overallRate: Number(rate) } : {}),
    timeout: 30,
    requests: [
      {
        method: "POST",
        setupRequest: (req) => {
          const r = requests[next++ % requests.length];
          return { ...req, headers: { "content-type": "application/json", ...r.headers }, body: r.body };
        },
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
      timeouts: result.timeouts,
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
