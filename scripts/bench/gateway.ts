/**
 * The gateway under load, each part in its own process: a `hardhat node`, the relayer, the
 * custodian's gateway (bin/trackroot-gateway.js, SQLite outbox) and an autocannon load generator
 * (scripts/bench/relayer-load.ts). Captures of 100 events.
 *   1. the relayer's own sustained figure, in the same run: pre-signed captures straight to it;
 *   2. sustained through the gateway: plain EPCIS to the gateway, until the gateway has forwarded
 *      every one into the relayer (signed, stored in the outbox, sent, acknowledged);
 *   3. the gateway's acknowledgement latency at 1,000 events/s (10 captures/s, evenly spaced).
 *   npm run bench:gateway -- [--captures 600] [--latency-seconds 20] [--postgres]
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptKeystore } from "../../src/chain/keystore";
import { captureHeaders } from "../../src/client/sign-capture";
import { startHardhatNode } from "../../test/support/chain-node";
import { load } from "./load";
import { epcisDocument, objectEvent, signCapture } from "../../test/support/captures";
import { ENGINES } from "../../test/support/databases";
import { GATEWAY_TOKENS, startGatewayProcess } from "../../test/support/gateway-process";
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

/** Resolves when the gateway's outbox has nothing left to forward; the time it took. */
async function forwardedAll(url: string, since: number): Promise<number> {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; ) {
    const health = (await (await fetch(`${url}/health`)).json()) as { outbox?: { pending: number } };
    if (health.outbox?.pending === 0) return Date.now() - since;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the gateway did not forward its outbox within 300 s");
}

async function main() {
  const captures = arg("--captures", 600);
  const latencySeconds = arg("--latency-seconds", 20);
  const engine = ENGINES[process.argv.includes("--postgres") ? 1 : 0];
  const node = await startHardhatNode();
  const dir = mkdtempSync(join(tmpdir(), "trackroot-bench-gateway-"));
  const chain = await setupRelayerLedger(node.url, dir);
  const relayer = await startRelayerProcess({
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
  });
  const keystore = join(dir, "custodian.json");
  writeFileSync(keystore, await encryptKeystore(KEYS.custodian, "pw", 1024));
  const db = await engine.options();
  const gateway = await startGatewayProcess({
    rpcUrl: node.url,
    deploymentPath: chain.deploymentPath,
    keystore,
    relayerUrls: [relayer.url],
    env: {
      TRACKROOT_GATEWAY_CONCURRENCY: "8",
      TRACKROOT_GATEWAY_POLL_MS: "50",
      ...(db.url ? { DATABASE_URL: db.url } : { TRACKROOT_GATEWAY_DB: db.sqlitePath as string }),
    },
  });
  try {
    console.log(`preparing ${2 * captures + latencySeconds * 10} captures of ${EVENTS_PER_CAPTURE} events ...`);
    const signed = [];
    for (let i = 0; i < captures; i++) {
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
    const files = {
      relayer: join(dir, "relayer.json"),
      gateway: join(dir, "gateway.json"),
      latency: join(dir, "latency.json"),
    };
    writeFileSync(files.relayer, JSON.stringify(signed));
    writeFileSync(files.gateway, JSON.stringify(plain(captures)));
    writeFileSync(files.latency, JSON.stringify(plain(latencySeconds * 10)));

    const direct = await load(relayer.url, files.relayer, 16);
    const relayerRate = ((direct.statuses["202"] ?? 0) * EVENTS_PER_CAPTURE) / (direct.durationMs / 1000);
    const started = Date.now();
    const through = await load(gateway.url, files.gateway, 16);
    const forwardedMs = await forwardedAll(gateway.url, started);
    const gatewayRate = ((through.statuses["202"] ?? 0) * EVENTS_PER_CAPTURE) / (forwardedMs / 1000);
    const ackRate = ((through.statuses["202"] ?? 0) * EVENTS_PER_CAPTURE) / (through.durationMs / 1000);
    const latency = await load(gateway.url, files.latency, 1, 10);
    await forwardedAll(gateway.url, Date.now());

    console.log(`outbox on ${engine.name}\n`);
    console.log("| measure | figure | target |");
    console.log("|---|---|---|");
    console.log(
      `| the relayer's own sustained throughput (${captures} pre-signed captures, 16 connections) | ${Math.round(relayerRate)} events/s | anchor |`,
    );
    console.log(
      `| through the gateway into the relayer (${through.statuses["202"] ?? 0} plain captures acknowledged, signed and forwarded) | ${Math.round(gatewayRate)} events/s = ${((100 * gatewayRate) / relayerRate).toFixed(0)}% of the relayer's | >= ${TARGET_SHARE * 100}% |`,
    );
    console.log(
      `| the gateway's acknowledgements alone (into its outbox) | ${Math.round(ackRate)} events/s, p99 ${through.latencyMs.p99} ms | - |`,
    );
    console.log(
      `| gateway ack latency at 1,000 events/s (${latency.statuses["202"] ?? 0} captures), p50 / p90 / p99 / max | ${latency.latencyMs.p50} / ${latency.latencyMs.p90} / ${latency.latencyMs.p99} / ${latency.latencyMs.max} ms | p99 <= ${TARGET_P99_MS} ms |`,
    );
    const refused = [direct, through, latency].flatMap((r) => Object.keys(r.statuses).filter((s) => s !== "202"));
    if (refused.length)
      console.log(`non-202 answers: ${JSON.stringify([direct.statuses, through.statuses, latency.statuses])}`);
  } finally {
    await gateway.stop();
    await relayer.stop();
    await node.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
