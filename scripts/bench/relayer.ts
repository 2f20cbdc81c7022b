import { captureHeaders } from "../../src/client/sign-capture";
/**
 * The relayer under load, each part in its own process: a `hardhat node`, the relayer
 * (bin/trackroot-relayer.js, SQLite WAL + synchronous FULL, embedded content store) and an
 * autocannon load generator (scripts/bench/relayer-load.ts). Captures of 100 events, pre-signed.
 *   1. sustained durable throughput: every capture sent once, as fast as 16 connections go;
 *   2. acknowledgement latency at 1,000 events/s (10 captures/s), evenly spaced and in bursts;
 *   3. gas per event of the commitments that closed at 10,000 events.
 *   npm run bench:relayer -- [--captures 600] [--latency-seconds 20] [--postgres] [--root <checkout>]
 * (`--root` runs another checkout's relayer, after its npm ci, to compare side by side.)
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Ledger } from "../../src/chain/ledger";
import { startHardhatNode } from "../../test/support/chain-node";
import { load } from "./load";
import { epcisDocument, objectEvent, signCapture } from "../../test/support/captures";
import { ENGINES } from "../../test/support/databases";
import { KEYS, RELAYER_ID, setupRelayerLedger } from "../../test/support/relayer-ledger";
import { relayerMetrics, startRelayerProcess } from "../../test/support/relayer-process";

const EVENTS_PER_CAPTURE = 100;
const TARGET_EVENTS_PER_SECOND = 5000;
const TARGET_P99_MS = 50;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

let serial = 0;
async function signedCaptures(count: number, domain: Parameters<typeof signCapture>[2]) {
  const out: { headers: Record<string, string>; body: string }[] = [];
  for (let i = 0; i < count; i++) {
    const doc = epcisDocument(
      Array.from({ length: EVENTS_PER_CAPTURE }, () => objectEvent([`B${++serial}`, `B${++serial}`])),
    );
    const e = await signCapture(doc, KEYS.custodian, domain);
    out.push({
      headers: {
        ...captureHeaders(e),
      },
      body: JSON.stringify(doc),
    });
  }
  return out;
}

/** Waits until the relayer has no queued events and no batch on its way (as /metrics and /health say). */
async function queueEmpty(url: string): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    const health = (await (await fetch(`${url}/health`)).json()) as { queue?: { events: number } };
    const text = await relayerMetrics(url);
    const built = Number(/^trackroot_relayer_batch_events_count (\d+)/m.exec(text)?.[1] ?? 0);
    const committed = Number(/^trackroot_relayer_commit_latency_seconds_count (\d+)/m.exec(text)?.[1] ?? 0);
    if (health.queue?.events === 0 && built === committed) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the relayer did not commit its backlog within 120 s");
}

/** The relayer's own histogram of POST /capture latencies (cumulative bucket counts by upper bound in ms). */
async function serverLatency(url: string): Promise<Map<number, number>> {
  const text = await relayerMetrics(url);
  const buckets = new Map<number, number>();
  const re =
    /^trackroot_relayer_http_request_duration_seconds_bucket\{le="([^"]+)",route="POST \/capture",status="202"\} (\d+)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    buckets.set(m[1] === "+Inf" ? Infinity : Number(m[1]) * 1000, Number(m[2]));
  }
  return buckets;
}

function diffBuckets(after: Map<number, number>, before: Map<number, number>): Map<number, number> {
  return new Map([...after].map(([le, n]) => [le, n - (before.get(le) ?? 0)]));
}

/** The smallest bucket bound under which a `q` share of the requests fell. */
function quantile(buckets: Map<number, number>, q: number): number {
  const total = buckets.get(Infinity) ?? 0;
  for (const [le, n] of [...buckets].sort((a, b) => a[0] - b[0])) if (n >= q * total) return le;
  return Infinity;
}

async function main() {
  const captures = arg("--captures", 600);
  const latencySeconds = arg("--latency-seconds", 20);
  const engine = ENGINES[process.argv.includes("--postgres") ? 1 : 0];
  const node = await startHardhatNode();
  // the node is stopped whichever step fails, setup included (a node left behind skews later runs)
  try {
    const dir = mkdtempSync(join(tmpdir(), "trackroot-bench-relayer-"));
    const chain = await setupRelayerLedger(node.url, dir);
    const db = await engine.options();
    const rootAt = process.argv.indexOf("--root");
    const relayer = await startRelayerProcess({
      rpcUrl: node.url,
      chain,
      contentDir: join(dir, "content"),
      ...(rootAt > 0 ? { root: resolve(process.argv[rootAt + 1]) } : {}),
      env: {
        TRACKROOT_BATCH_MAX_EVENTS: "10000",
        TRACKROOT_BATCH_MAX_WAIT_MS: "2000",
        TRACKROOT_BODY_LIMIT: "4mb",
        TRACKROOT_RATE_EVENTS_PER_SECOND: "1000000",
        TRACKROOT_RATE_BURST_EVENTS: "1000000",
        ...(db.url ? { DATABASE_URL: db.url } : { TRACKROOT_RELAYER_DB: db.sqlitePath as string }),
      },
    });
    const url = relayer.url;
    try {
      const latencyCaptures = latencySeconds * 10;
      console.log(`signing ${captures + 2 * latencyCaptures} captures of ${EVENTS_PER_CAPTURE} events ...`);
      const throughputFile = join(dir, "throughput.json");
      const latencyFile = join(dir, "latency.json");
      writeFileSync(throughputFile, JSON.stringify(await signedCaptures(captures, chain.domain)));
      writeFileSync(latencyFile, JSON.stringify(await signedCaptures(latencyCaptures, chain.domain)));
      const burstFile = join(dir, "latency-bursts.json");
      writeFileSync(burstFile, JSON.stringify(await signedCaptures(latencyCaptures, chain.domain)));
      const bytes = JSON.parse(JSON.stringify(await signedCaptures(1, chain.domain)))[0].body.length;
      console.log(`relayer on ${engine.name}; one capture is ${(bytes / 1024).toFixed(0)} KiB of EPCIS JSON\n`);

      const t = await load(url, throughputFile, 16);
      const accepted = t.statuses["202"] ?? 0;
      const eventsPerSecond = (accepted * EVENTS_PER_CAPTURE) / (t.durationMs / 1000);
      // latency is measured at a steady 1,000 events/s, not while the throughput run's backlog commits
      await queueEmpty(url);
      const before = await serverLatency(url);
      // one connection, paced at 10 captures/s: evenly spaced arrivals (several paced connections fire in bursts)
      const l = await load(url, latencyFile, 1, 10);
      const server = diffBuckets(await serverLatency(url), before);
      // the same rate over 4 paced connections, whose timers fire together: arrivals in bursts of up to 4
      const lb = await load(url, burstFile, 4, 10);

      // wait for the pipeline to commit everything, then read the commitments' gas
      const ledger = new Ledger({ rpcUrl: node.url, deployment: chain.deployment });
      const want = (captures + 2 * latencyCaptures) * EVENTS_PER_CAPTURE;
      let committed = 0;
      const deadline = Date.now() + 120_000;
      const rows: { sequence: bigint; events: number; gas: bigint }[] = [];
      for (let seq = 1n; committed < want && Date.now() < deadline; ) {
        const [head] = await ledger.commitmentLog.read.head([RELAYER_ID]);
        for (; seq <= head; seq++) {
          const c = await ledger.commitmentLog.read.commitment([RELAYER_ID, seq]);
          const [log] = await ledger.commitmentLog.getEvents.CommitmentAppended(
            { relayer: RELAYER_ID, sequence: seq },
            { fromBlock: c.blockNumber, toBlock: c.blockNumber },
          );
          const receipt = await ledger.publicClient.getTransactionReceipt({ hash: log.transactionHash });
          rows.push({ sequence: seq, events: c.eventCount, gas: receipt.gasUsed });
          committed += c.eventCount;
        }
        if (committed < want) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const full = rows.filter((r) => r.events === 10_000);

      console.log("| measure | figure | target |");
      console.log("|---|---|---|");
      console.log(
        `| durable capture throughput (${accepted}/${captures} captures of ${EVENTS_PER_CAPTURE} events, 16 connections) | ${Math.round(eventsPerSecond)} events/s (${(accepted / (t.durationMs / 1000)).toFixed(1)} captures/s) | >= ${TARGET_EVENTS_PER_SECOND} events/s |`,
      );
      console.log(`| ack latency under full load, p50 / p99 | ${t.latencyMs.p50} / ${t.latencyMs.p99} ms | - |`);
      console.log(
        `| ack latency at 1,000 events/s (${l.statuses["202"] ?? 0} captures), p50 / p90 / p99 / max | ${l.latencyMs.p50} / ${l.latencyMs.p90} / ${l.latencyMs.p99} / ${l.latencyMs.max} ms | p99 <= ${TARGET_P99_MS} ms |`,
      );
      console.log(
        `| same, as the relayer measured it (request in to response out), p50 / p99 | <= ${quantile(server, 0.5)} / <= ${quantile(server, 0.99)} ms | - |`,
      );
      console.log(
        `| ack latency at 1,000 events/s from 4 paced connections (bursts), p50 / p90 / p99 / max | ${lb.latencyMs.p50} / ${lb.latencyMs.p90} / ${lb.latencyMs.p99} / ${lb.latencyMs.max} ms | - |`,
      );
      for (const r of full.slice(0, 3)) {
        console.log(
          `| gas of commitment ${r.sequence} (10,000 events) | ${r.gas} gas = ${(Number(r.gas) / r.events).toFixed(2)} gas/event | - |`,
        );
      }
      console.log(`| commitments | ${rows.length} holding ${committed} of ${want} events | all |`);
      const refused = Object.entries({ ...t.statuses }).filter(([s]) => s !== "202");
      if (refused.length || t.errors || l.errors || lb.errors)
        console.log(
          `non-202 answers: ${JSON.stringify({ t: t.statuses, l: l.statuses, errors: t.errors + l.errors + lb.errors })}`,
        );
    } finally {
      await relayer.stop();
    }
  } finally {
    await node.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
