import { expect } from "chai";
import { webcrypto } from "node:crypto";
import { buildCodeBatch, PARALLEL_MIN } from "../../src/compute/code-batch";
import { WorkerPool } from "../../src/compute/worker-pool";
import { packedCodeLeafHashes } from "../../src/core/merkle/leaves";
import { MerkleTree } from "../../src/core/merkle/tree";
import { SERIAL_ALPHABET } from "../../src/core/codes/serials";
import { toHex } from "../../src/core/bytes";

const GTIN = 10614141073464n;

/** Everything a batch claims, recomputed on this thread from its serials alone. */
function expectConsistent(batch: Awaited<ReturnType<typeof buildCodeBatch>>, count: number, width = 11) {
  expect(batch.serials.count).to.equal(count);
  expect(batch.serials.width).to.equal(width);
  const strings = batch.serials.toArray();
  expect(new Set(strings).size, "distinct serials").to.equal(count);
  expect(strings.every((s) => [...s].every((c) => SERIAL_ALPHABET.includes(c)))).to.equal(true);
  const leaves = packedCodeLeafHashes(GTIN, batch.serials);
  expect(toHex(batch.leaves) === toHex(leaves), "leaves recompute").to.equal(true);
  const reference = MerkleTree.fromLeafHashes(leaves);
  expect(batch.tree.root).to.equal(reference.root);
  expect(Buffer.from(batch.tree.nodes).equals(Buffer.from(reference.nodes)), "every node").to.equal(true);
  expect(Array.from(batch.tree.treeIndexOf)).to.deep.equal(Array.from(reference.treeIndexOf));
}

describe("compute/code-batch", () => {
  const pools: WorkerPool[] = [];
  after(async () => Promise.all(pools.map((p) => p.close())));

  for (const size of [1, 2, 3, 4]) {
    it(`builds on a pool of ${size} thread(s) exactly the tree one thread builds from the same serials`, async function () {
      this.timeout(120_000);
      const pool = new WorkerPool({ size });
      pools.push(pool);
      const count = PARALLEL_MIN + 1001;
      expectConsistent(await buildCodeBatch({ gtin: GTIN, count, pool }), count);
    });
  }

  it("builds small batches on the calling thread, at the width the entropy asks for", async () => {
    expectConsistent(await buildCodeBatch({ gtin: GTIN, count: 1, entropyBits: 119 }), 1, 20);
    expectConsistent(await buildCodeBatch({ gtin: GTIN, count: 999 }), 999);
  });

  it("redraws serials whose leaves repeat, so a batch never holds a code twice", async () => {
    // the first pool of random bytes repeats with a period of three serials; later pools are secure
    let calls = 0;
    const random = (b: Uint8Array) => {
      if (calls++ === 0) for (let i = 0; i < b.length; i++) b[i] = Math.floor(i / 11) % 3;
      else webcrypto.getRandomValues(b);
    };
    const batch = await buildCodeBatch({ gtin: GTIN, count: 9, random });
    expectConsistent(batch, 9);
    expect(batch.serials.at(0)).to.equal("00000000000");
    expect(batch.serials.at(1)).to.equal("11111111111");
    expect(calls).to.be.greaterThan(1);
  });

  it("refuses an entropy the serial length cannot carry", async () => {
    let error: unknown;
    await buildCodeBatch({ gtin: GTIN, count: 10, entropyBits: 200 }).catch((e) => (error = e));
    expect(String(error)).to.match(/entropyBits: a serial holds at most 20 characters/);
  });
});
