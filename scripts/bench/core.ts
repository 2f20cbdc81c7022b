/**
 * npm run bench:core: 1,000,000 codes generated, leaves hashed, tree built and every proof
 * serialised, against @openzeppelin/merkle-tree doing the same on the same leaves (at 100k, its 1M
 * figure extrapolated; pass --oz-1m to run it for real). Prints a table with ms, codes/s, peak RSS.
 */
import { spawnSync } from "node:child_process";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { CODE_LEAF_ENCODING } from "../../src/core/merkle/leaves";
import { buildCodeBatch } from "../../src/compute/code-batch";
import { WorkerPool } from "../../src/compute/worker-pool";

const GTIN = 10614141073464n;
/** Peak resident set of the process so far, workers included (they share the process). */
const peakRss = () => process.resourceUsage().maxRSS * 1024;

async function ours(n: number, pool: WorkerPool) {
  const t0 = performance.now();
  const { serials, tree } = await buildCodeBatch({ gtin: GTIN, count: n, pool });
  const t1 = performance.now();
  // every proof serialised: raw 32-byte siblings in reused chunks, as a writer streams them to a file
  let proofBytes = 0;
  tree.writeProofs((chunk) => (proofBytes += chunk.length));
  const t2 = performance.now();
  return { serials, phases: { codesAndTree: t1 - t0, proofs: t2 - t1 }, total: t2 - t0, proofBytes };
}

function openzeppelin(serials: string[]) {
  const t0 = performance.now();
  const tree = StandardMerkleTree.of(
    serials.map((s) => [GTIN.toString(), s]),
    [...CODE_LEAF_ENCODING],
  );
  let bytes = 0;
  for (let i = 0; i < serials.length; i++) bytes += JSON.stringify(tree.getProof(i)).length;
  return { total: performance.now() - t0, bytes };
}

const fmt = (ms: number) => ms.toFixed(0).padStart(8);
const mib = (b: number) => (b / 2 ** 20).toFixed(0);

interface Measured {
  total: number;
  peak: number;
  detail: string;
}

/** One measurement, run in this (fresh) process so that its peak RSS is its own. */
async function measure(kind: string, n: number): Promise<Measured> {
  if (kind === "ours") {
    const t = performance.now();
    const pool = new WorkerPool();
    await buildCodeBatch({ gtin: GTIN, count: 1 << 16, pool }); // threads started and compiled once, as in a service
    const warm = performance.now() - t;
    const o = await ours(n, pool);
    await pool.close();
    const p = o.phases;
    return {
      total: o.total,
      peak: peakRss(),
      detail: `serials+leaves+tree ${p.codesAndTree.toFixed(0)} ms, proofs ${p.proofs.toFixed(0)} ms (${mib(o.proofBytes)} MiB); ${pool.size} threads warmed in ${warm.toFixed(0)} ms beforehand`,
    };
  }
  // the same kind of serials, made outside the timing: the library does not generate codes
  const { serials } = await buildCodeBatch({ gtin: GTIN, count: n });
  const z = openzeppelin(serials.toArray());
  return { total: z.total, peak: peakRss(), detail: "same leaf encoding, getProof of every value, JSON" };
}

/** Runs one measurement in a child process and reads its result line. */
function child(kind: string, n: number): Measured {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, "--measure", kind, String(n)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${kind} ${n} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() as string) as Measured;
}

async function main() {
  const at = process.argv.indexOf("--measure");
  if (at >= 0) {
    console.log(JSON.stringify(await measure(process.argv[at + 1], Number(process.argv[at + 2]))));
    return;
  }
  const oz1m = process.argv.includes("--oz-1m");
  const rows = ["library                        codes       ms     codes/s  peak RSS  ratio"];
  const row = (name: string, n: number, m: Measured, ratio: string) =>
    rows.push(
      `${name.padEnd(26)} ${String(n).padStart(9)} ${fmt(m.total)} ${fmt((n / m.total) * 1000).padStart(11)} ${mib(m.peak).padStart(5)} MiB ${ratio.padStart(6)}  ${m.detail}`,
    );
  const oz100k = child("openzeppelin", 100_000);
  for (const n of [100_000, 1_000_000]) {
    // this VM's timings vary by a third from run to run: report the median of three fresh processes
    const runs = [child("ours", n), child("ours", n), child("ours", n)].sort((a, b) => a.total - b.total);
    const o = {
      ...runs[1],
      detail: `median of 3 (${runs.map((r) => r.total.toFixed(0)).join(", ")} ms); ${runs[1].detail}`,
    };
    const z = n === 100_000 ? oz100k : oz1m ? child("openzeppelin", n) : undefined;
    row("trackroot core", n, o, "");
    if (z) row("@openzeppelin/merkle-tree", n, z, `${(z.total / o.total).toFixed(0)}x`);
    else {
      const est = {
        total: oz100k.total * 10,
        peak: Number.NaN,
        detail: "extrapolated x10 from 100k (pass --oz-1m to run it)",
      };
      row("@openzeppelin/merkle-tree", n, est, `${(est.total / o.total).toFixed(0)}x`);
    }
  }
  console.log(rows.join("\n"));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
