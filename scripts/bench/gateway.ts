/**
 * The gateway under load, each part in its own process: a `hardhat node`, the relayer, the
 * custodian's gateway (bin/trackroot-gateway.js, SQLite outbox) and an autocannon load generator
 * (scripts/bench/relayer-load.ts). Captures of 100 events. After a warm-up of both services:
 *   1. the anchor: the relayer's own sustained figure, in the same run (pre-signed captures straight
 *      to it, 16 connections);
 *   2. sustained through the gateway: plain EPCIS offered to the gateway at the anchor's rate, evenly
 *      spaced, as a party's systems send through the day; the figure is what reached the relayer
 *      (signed, stored in the outbox, sent, acknowledged) over the time from the first offer until
 *      the outbox is empty, so a gateway that falls behind shows as its backlog's drain;
 *   3. a burst through the gateway: as many captures again at once (16 connections), until
 *      forwarded: the load generator and the gateway's acknowledgements then take the cores the
 *      relayer needs, as they would not where the parties' systems run elsewhere;
 *   4. the gateway's acknowledgement latency at 1,000 events/s (10 captures/s, evenly spaced).
 * Each phase also tells the busiest thread's share of a core in each process (Linux /proc).
 *   npm run bench:gateway -- [--captures 600] [--latency-seconds 20] [--postgres]
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptKeystore } from "../../src/chain/keystore";
import { captureHeaders } from "../../src/client/sign-capture";
import { startHardhatNode } from "../../test/support/chain-node";
import { load, type LoadResult } from "./load";
import { watchCpu } from "./thread-cpu";
import { epcisDocument, objectEvent, signCapture } from "../../test/support/captures";
import { ENGINES } from "../../test/support/databases";
import { GATEWAY_METRICS_TOKEN, GATEWAY_TOKENS, startGatewayProcess } from "../../test/support/gateway-process";
import { KEYS, setupRelayerLedger } from "../../test/support/relayer-ledger";
import { startRelayerProcess } from "../../test/support/relayer-process";

const EVENTS_PER_CAPTURE = 100;
const TARGET_SHARE = 0.8;
const TARGET_P99_MS = 50;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

let serial = 0;
const document = () =>
  epcisDocument(Array.from({ length: EVENTS_PER_CAPTURE }, () => objectEvent([`G${++serial}`, `G${++serial}`])));

/**
 * Resolves when the gateway's outbox has nothing left to forward; the time it took. Read from the
 * gateway's metrics, not its /health, which asks each relayer in turn: ten asks a second would be
 * load on the relayer that the anchor's phase does not carry.
 */
async function forwardedAll(url: string, since: number): Promise<number> {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; ) {
    const res = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${GATEWAY_METRICS_TOKEN}` } });
    const pending = /^trackroot_gateway_outbox_captures\{status="pending"\} (\d+)$/m.exec(await res.text());
    if (!pending) throw new Error(`GET ${url}/metrics answered ${res.status} without the outbox's depth`);
    if (pending[1] === "0") return Date.now() - since;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the gateway did not forward its outbox within 300 s");
}

async function main() {
  const captures = arg("--captures", 600);
  const latencySeconds = arg("--latency-seconds", 20);
  const engine = ENGINES[process.argv.includes("--postgres") ? 1 : 0];
  // every process started is stopped, whichever step fails: a relayer left behind skews later runs
  const started: { stop: () => Promise<void> }[] = [];
  const start = async <T extends { stop: () => Promise<void> }>(p: Promise<T>): Promise<T> => {
    const running = await p;
    started.push(running);
    return running;
  };
  try {
    await run(captures, latencySeconds, engine, start);
  } finally {
    for (const p of started.reverse()) await p.stop();
  }
}

async function run(
  captures: number,
  latencySeconds: number,
  engine: (typeof ENGINES)[number],
  start: <T extends { stop: () => Promise<void> }>(p: Promise<T>) => Promise<T>,
) {
  const node = await start(startHardhatNode());
  const dir = mkdtempSync(join(tmpdir(), "trackroot-bench-gateway-"));
  const chain = await setupRelayerLedger(node.url, dir);
  const relayer = await start(
    startRelayerProcess({
      rpcUrl: node.url,
      chain,
      contentDir: join(dir, "content"),
      env: {
        TRACKROOT_BATCH_MAX_EVENTS: "10000",
        TRACKROOT_BATCH_MAX_WAIT_MS: "2000",
        TRACKROOT_RATE_EVENTS_PER_SECOND: "1000000",
        TRACKROOT_RATE_BURST_EVENTS: "1000000",
        TRACKROOT_RELAYER_DB: join(dir, "relayer.sqlite"),
      },
    }),
  );
  const keystore = join(dir, "custodian.json");
  writeFileSync(keystore, await encryptKeystore(KEYS.custodian, "pw", 1024));
  const db = await engine.options();
  const gateway = await start(
    startGatewayProcess({
      rpcUrl: node.url,
      deploymentPath: chain.deploymentPath,
      keystore,
      relayerUrls: [relayer.url],
      env: {
        TRACKROOT_GATEWAY_CONCURRENCY: "8",
        TRACKROOT_GATEWAY_POLL_MS: "50",
        ...(db.url ? { DATABASE_URL: db.url } : { TRACKROOT_GATEWAY_DB: db.sqlitePath as string }),
      },
    }),
  );
  const warmup = 50;
  console.log(
    `preparing ${warmup + captures} signed and ${warmup + 2 * captures + latencySeconds * 10} plain captures of ${EVENTS_PER_CAPTURE} events ...`,
  );
  const signed = [];
  for (let i = 0; i < warmup + captures; i++) {
    const doc = document();
    signed.push({
      headers: captureHeaders(await signCapture(doc, KEYS.custodian, chain.domain)),
      body: JSON.stringify(doc),
    });
  }
  const plain = (n: number) =>
    Array.from({ length: n }, () => ({
      headers: { authorization: `Bearer ${GATEWAY_TOKENS.wms}` },
      body: JSON.stringify(document()),
    }));
  const file = (name: string, requests: unknown[]) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(requests));
    return path;
  };
  const files = {
    relayerWarmup: file("relayer-warmup", signed.slice(0, warmup)),
    relayer: file("relayer", signed.slice(warmup)),
    gatewayWarmup: file("gateway-warmup", plain(warmup)),
    sustained: file("sustained", plain(captures)),
    burst: file("burst", plain(captures)),
    latency: file("latency", plain(latencySeconds * 10)),
  };
  const pids = { relayer: relayer.child.pid ?? 0, gateway: gateway.child.pid ?? 0, chain: node.pid };
  const cpu = (share: ReturnType<ReturnType<typeof watchCpu>["share"]>) =>
    Object.entries(share)
      .map(
        ([k, v]) =>
          `${k} ${(100 * v.busiestThread).toFixed(0)}% (all threads ${(100 * v.process).toFixed(0)}%, main thread waiting for a core ${(100 * v.mainWaitingForCore).toFixed(0)}%)`,
      )
      .join(", ");
  const eventsPerSecond = (accepted: number, ms: number) => (accepted * EVENTS_PER_CAPTURE) / (ms / 1000);

  // warm-up: both services' code compiled and their databases past their first pages
  await load(relayer.url, files.relayerWarmup, 16);
  await load(gateway.url, files.gatewayWarmup, 16);
  await forwardedAll(gateway.url, Date.now());

  // each phase's CPU is watched from the generator's first request (its own start-up is not the phase's)
  let watch = watchCpu(pids);
  const watchFromStart = () => (watch = watchCpu(pids));
  const direct = await load(relayer.url, files.relayer, 16, undefined, watchFromStart);
  const anchorCpu = cpu(watch.share());
  const relayerRate = eventsPerSecond(direct.statuses["202"] ?? 0, direct.durationMs);

  const offered = await load(gateway.url, files.sustained, 16, relayerRate / EVENTS_PER_CAPTURE, watchFromStart);
  const sustainedMs = await forwardedAll(gateway.url, offered.startedAt);
  const sustainedCpu = cpu(watch.share());
  const sustainedRate = eventsPerSecond(offered.statuses["202"] ?? 0, sustainedMs);

  const burst = await load(gateway.url, files.burst, 16, undefined, watchFromStart);
  const burstMs = await forwardedAll(gateway.url, burst.startedAt);
  const burstCpu = cpu(watch.share());
  const burstRate = eventsPerSecond(burst.statuses["202"] ?? 0, burstMs);
  const ackRate = eventsPerSecond(burst.statuses["202"] ?? 0, burst.durationMs);

  const latency = await load(gateway.url, files.latency, 1, 10);
  await forwardedAll(gateway.url, Date.now());

  const share = (rate: number) => `${((100 * rate) / relayerRate).toFixed(0)}% of the relayer's`;
  console.log(`outbox on ${engine.name}\n`);
  console.log("| measure | figure | target |");
  console.log("|---|---|---|");
  console.log(
    `| the relayer's own sustained throughput (${captures} pre-signed captures, 16 connections) | ${Math.round(relayerRate)} events/s | anchor |`,
  );
  console.log(
    `| sustained through the gateway into the relayer (${offered.statuses["202"] ?? 0} plain captures offered at the anchor's rate, acknowledged, signed and forwarded) | ${Math.round(sustainedRate)} events/s = ${share(sustainedRate)} | >= ${TARGET_SHARE * 100}% |`,
  );
  console.log(
    `| a burst through the gateway (${burst.statuses["202"] ?? 0} plain captures at once, until forwarded) | ${Math.round(burstRate)} events/s = ${share(burstRate)} | - |`,
  );
  console.log(
    `| the gateway's acknowledgements of the burst alone (into its outbox) | ${Math.round(ackRate)} events/s, p99 ${burst.latencyMs.p99} ms | - |`,
  );
  console.log(
    `| gateway ack latency at 1,000 events/s (${latency.statuses["202"] ?? 0} captures), p50 / p90 / p99 / max | ${latency.latencyMs.p50} / ${latency.latencyMs.p90} / ${latency.latencyMs.p99} / ${latency.latencyMs.max} ms | p99 <= ${TARGET_P99_MS} ms |`,
  );
  console.log(`\nbusiest thread's share of a core, by phase:`);
  const generator = (r: LoadResult) => `load generator ${((100 * r.cpuMs) / r.durationMs).toFixed(0)}% while it sent`;
  console.log(`- anchor: ${anchorCpu}, ${generator(direct)}`);
  console.log(`- sustained: ${sustainedCpu}, ${generator(offered)}`);
  console.log(`- burst: ${burstCpu}, ${generator(burst)}`);
  const runs = [direct, offered, burst, latency];
  const refused = runs.flatMap((r) => Object.keys(r.statuses).filter((s) => s !== "202"));
  if (refused.length) console.log(`non-202 answers: ${JSON.stringify(runs.map((r) => r.statuses))}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
