/**
 * npm run bench:core: 1,000,000 codes generated, leaves hashed, tree built and every proof
 * serialised, against @openzeppelin/merkle-tree doing the same on the same leaves (at 100k, its 1M
 * figure extrapolated; pass --oz-1m to run it for real). Prints a table with ms, codes/s, peak RSS.
 */
import { webcrypto } from "node:crypto";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { generateSerials } from "../../src/core/codes/serials";
import { codeLeafHashes, CODE_LEAF_ENCODING } from "../../src/core/merkle/leaves";
import { MerkleTree } from "../../src/core/merkle/tree";

const GTIN = 10614141073464n;
/** Peak resident set of the process so far (the runs are synchronous: no sampler could fire). */
const peakRss = () => process.resourceUsage().maxRSS * 1024;

function ours(n: number) {
  const t0 = performance.now();
  const serials = generateSerials(n, (b) => webcrypto.getRandomValues(b));
  const t1 = performance.now();
  const leaves = codeLeafHashes(GTIN, serials);
  const t2 = performance.now();
  const tree = MerkleTree.fromLeafHashes(leaves);
  const t3 = performance.now();
  // every proof serialised: raw 32-byte words into a reused chunk, as a writer would stream them
  const chunk = new Uint32Array(1 << 20);
  let words = 0;
  let at = 0;
  for (let i = 0; i < n; i++) {
    if (at + 8 * 64 > chunk.length) at = 0;
    const w = tree.proofInto(i, chunk, at) * 8;
    at += w;
    words += w;
  }
  const t4 = performance.now();
  return {
    serials,
    phases: { serials: t1 - t0, leaves: t2 - t1, tree: t3 - t2, proofs: t4 - t3 },
    total: t4 - t0,
    proofBytes: words * 4,
  };
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
const rows: string[] = [];
const mib = (b: number) => (b / 2 ** 20).toFixed(0);
for (const n of [100_000, 1_000_000]) {
  const o = ours(n);
  const oursPeak = peakRss();
  const p = o.phases;
  rows.push(
    `trackroot core     ${String(n).padStart(9)} ${fmt(o.total)} ms ${fmt((n / o.total) * 1000)} codes/s  peak RSS ${mib(oursPeak)} MiB  (serials ${p.serials.toFixed(0)}, leaves ${p.leaves.toFixed(0)}, tree ${p.tree.toFixed(0)}, proofs ${p.proofs.toFixed(0)} ms; ${mib(o.proofBytes)} MiB of proofs)`,
  );
  if (n === 100_000 || process.argv.includes("--oz-1m")) {
    const z = openzeppelin(o.serials);
    rows.push(
      `openzeppelin/merkle-tree ${String(n).padStart(3)} ${fmt(z.total)} ms ${fmt((n / z.total) * 1000)} codes/s  ratio ${(z.total / (o.total - p.serials)).toFixed(1)}x (same leaves, without serial generation)`,
    );
  } else {
    const z100 = Number(/(\d+) ms/.exec(rows[1])![1]);
    rows.push(
      `openzeppelin/merkle-tree ${String(n).padStart(3)} ${fmt(z100 * 10)} ms (extrapolated x10 from 100k)  ratio ${((z100 * 10) / o.total).toFixed(1)}x`,
    );
  }
}
console.log("phase                      codes   time        rate");
for (const r of rows) console.log(r);
