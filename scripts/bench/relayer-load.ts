/**
 * The load generator of bench:relayer, run in its own process: autocannon sends the pre-signed
 * captures in a file (each once) to a relayer and prints a JSON summary on stdout.
 *   node -r ts-node/register/transpile-only scripts/bench/relayer-load.ts <url> <requests.json> <connections> [rate]
 */
import { autocannonSummary } from "./autocannon-summary";
import { readFileSync } from "node:fs";
import { STARTED } from "./load";

interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

async function main() {
  const [url, file, connections, rate] = process.argv.slice(2);
  const requests = JSON.parse(readFileSync(file, "utf8")) as SignedRequest[];
  let next = 0;
  // when the first request goes out: the process's own start (transpiling, reading the file) is not the load's
  const startedAt = Date.now();
  const cpu = process.cpuUsage();
  console.log(STARTED);
  const summary = await autocannonSummary(
    {
      url: `${url}/capture`,
      connections: Number(connections),
      amount: requests.length,
      ...(rate ? { overallRate: Number(rate) } : {}),
      timeout: 30,
    },
    {
      method: "POST",
      setupRequest: (req) => {
        const r = requests[next++ % requests.length];
        return { ...req, headers: { "content-type": "application/json", ...r.headers }, body: r.body };
      },
    },
  );
  // autocannon ends a run of a fixed amount on its once-a-second ticker: the last answer tells the end
  const { lastAnswerAt, ...rest } = summary;
  const used = process.cpuUsage(cpu);
  console.log(
    JSON.stringify({
      ...rest,
      startedAt,
      durationMs: lastAnswerAt - startedAt,
      cpuMs: (used.user + used.system) / 1000,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
