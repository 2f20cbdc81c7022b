/**
 * The load generator of bench:relayer, run in its own process: autocannon sends the pre-signed
 * captures in a file (each once) to a relayer and prints a JSON summary on stdout.
 *   node -r ts-node/register/transpile-only scripts/bench/relayer-load.ts <url> <requests.json> <connections> [rate]
 */
import { autocannonSummary } from "./autocannon-summary";
import { readFileSync } from "node:fs";

interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

async function main() {
  const [url, file, connections, rate] = process.argv.slice(2);
  const requests = JSON.parse(readFileSync(file, "utf8")) as SignedRequest[];
  let next = 0;
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
  console.log(JSON.stringify(summary));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
