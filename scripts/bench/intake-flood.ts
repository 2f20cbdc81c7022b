/**
 * The relayer against what nobody signed, in its own process: a 3.5 MB capture of 14,000 events
 * without eventTime under a random submitter and a junk signature (the flood issue 19 reported),
 * with /health asked every 20 ms meanwhile; and, for the cost of strict parsing, a valid signed
 * capture of 10,000 events. `--root <checkout>` runs another checkout's relayer (after its npm ci)
 * against the same chain and requests, to compare side by side.
 *   npm run bench:intake-flood -- [--root ../old] [--rounds 5]
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { captureHeaders } from "../../src/client/sign-capture";
import { startHardhatNode } from "../../test/support/chain-node";
import { epcisDocument, objectEvent, signCapture } from "../../test/support/captures";
import { KEYS, setupRelayerLedger } from "../../test/support/relayer-ledger";
import { startRelayerProcess } from "../../test/support/relayer-process";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

const percentile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

function flood(): string {
  const events = Array.from({ length: 14_000 }, (_, i) => {
    const { eventTime: _time, ...rest } = objectEvent([`F${i}`]);
    return rest;
  });
  return JSON.stringify(epcisDocument(events));
}

function junkHeaders(): Record<string, string> {
  const hex = (n: number) => `0x${randomBytes(n).toString("hex")}`;
  return {
    "content-type": "application/json",
    "Trackroot-Submitter": hex(20),
    "Trackroot-Nonce": hex(32),
    "Trackroot-Issued-At": String(Math.floor(Date.now() / 1000)),
    "Trackroot-Signature": `${hex(32)}${"11".repeat(32)}1b`,
    "Trackroot-Events-Root": hex(32),
    "Trackroot-Event-Count": "10000",
    "Trackroot-Salt": hex(32),
  };
}

async function main() {
  const root = resolve(arg("--root") ?? join(__dirname, "..", ".."));
  const rounds = Number(arg("--rounds") ?? 5);
  const node = await startHardhatNode();
  // the node is stopped whichever step fails, setup included (a node left behind skews later runs)
  try {
    const dir = mkdtempSync(join(tmpdir(), "trackroot-bench-flood-"));
    const chain = await setupRelayerLedger(node.url, dir);
    const relayer = await startRelayerProcess({
      rpcUrl: node.url,
      chain,
      contentDir: join(dir, "content"),
      root,
      env: {
        TRACKROOT_RELAYER_DB: join(dir, "relayer.sqlite"),
        TRACKROOT_BODY_LIMIT: "4mb",
        // the flood is measured, not the budget that would cut it short
        TRACKROOT_AUTH_FAILURE_BURST: "100000",
        TRACKROOT_RATE_BURST_EVENTS: "1000000",
        TRACKROOT_BATCH_MAX_WAIT_MS: "600000",
      },
    });
    const pid = relayer.child.pid as number;
    try {
      const body = flood();
      const rssBefore = rssMb(pid);
      const refusals: { ms: number; status: number; bytes: number; healthMaxMs: number }[] = [];
      for (let r = 0; r < rounds; r++) {
        let done = false;
        const health: number[] = [];
        const probe = (async () => {
          while (!done) {
            const t = performance.now();
            await fetch(`${relayer.url}/health`);
            health.push(performance.now() - t);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        })();
        const t = performance.now();
        const res = await fetch(`${relayer.url}/capture`, { method: "POST", headers: junkHeaders(), body });
        const text = await res.text();
        const ms = performance.now() - t;
        done = true;
        await probe;
        refusals.push({ ms, status: res.status, bytes: text.length, healthMaxMs: Math.max(...health) });
      }
      const rssAfter = rssMb(pid);

      const accepted: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const doc = epcisDocument(Array.from({ length: 10_000 }, (_, i) => objectEvent([`V${r}-${i}`])));
        const headers = captureHeaders(await signCapture(doc, KEYS.custodian, chain.domain));
        const text = JSON.stringify(doc);
        const t = performance.now();
        const res = await fetch(`${relayer.url}/capture`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: text,
        });
        await res.text();
        if (res.status !== 202) throw new Error(`a valid capture was answered ${res.status}`);
        accepted.push(performance.now() - t);
      }

      const ms = refusals.map((r) => r.ms);
      console.log(`relayer of ${root}; junk body ${(body.length / 1e6).toFixed(2)} MB, ${rounds} rounds`);
      console.log("| measure | figure |");
      console.log("|---|---|");
      console.log(`| junk 3.5 MB capture: answer | ${refusals[0].status}, ${refusals[0].bytes} bytes |`);
      console.log(
        `| junk 3.5 MB capture: time to answer, p50 / max | ${percentile(ms, 0.5).toFixed(0)} / ${Math.max(...ms).toFixed(0)} ms |`,
      );
      console.log(
        `| /health during it, worst wait | ${Math.max(...refusals.map((r) => r.healthMaxMs)).toFixed(0)} ms |`,
      );
      console.log(
        `| relayer RSS before / after the junk rounds | ${rssBefore.toFixed(0)} / ${rssAfter.toFixed(0)} MB |`,
      );
      console.log(
        `| valid signed capture of 10,000 events (${(JSON.stringify(epcisDocument(Array.from({ length: 10_000 }, (_, i) => objectEvent([`V0-${i}`])))).length / 1e6).toFixed(2)} MB): ack, p50 / max | ${percentile(accepted, 0.5).toFixed(0)} / ${Math.max(...accepted).toFixed(0)} ms |`,
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
