import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, concatHex } from "viem";
import {
  DuplicateLeafError,
  mergeSortedKeys,
  MerkleTree,
  MerkleTreeError,
  orderFromSortedKeys,
  sortedLeafKeys,
  sortLeaves,
} from "../../../src/core/merkle/tree";
import {
  codeLeafHashes,
  codeLeafHash,
  CODE_LEAF_ENCODING,
  packedCodeLeafHashes,
  standardLeafHash,
} from "../../../src/core/merkle/leaves";
import { SerialBlock } from "../../../src/core/codes/serials";
import { verifyProof, verifyMultiProof, processMultiProof, MerkleProofError } from "../../../src/core/merkle/verify";
import { toHex, type Hex } from "../../../src/core/bytes";

const GTIN = 10614141073464n;
/** Deterministic pseudo-random serials (xorshift), so a failure reproduces. */
function serials(n: number, seed: number): string[] {
  let x = seed || 1;
  return Array.from({ length: n }, (_, i) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return `S${(x >>> 0).toString(36)}${i}`;
  });
}
const values = (s: string[]) => s.map((serial) => [GTIN.toString(), serial]);

describe("core/merkle tree against @openzeppelin/merkle-tree", () => {
  it("gives the same root for every size from 1 to 1,025", function () {
    this.timeout(600_000);
    for (let n = 1; n <= 1025; n++) {
      const s = serials(n, n);
      const ours = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, s));
      const oz = StandardMerkleTree.of(values(s), [...CODE_LEAF_ENCODING]);
      if (ours.root !== oz.root) expect.fail(`size ${n}: ${ours.root} != ${oz.root}`);
    }
  });

  for (const n of [1, 2, 3, 17, 64, 257, 5000]) {
    it(`gives the same proofs, multiproof and dump for ${n} leaves`, function () {
      this.timeout(120_000);
      const s = serials(n, 7 * n);
      const ours = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, s));
      const oz = StandardMerkleTree.of(values(s), [...CODE_LEAF_ENCODING]);
      const sample = n <= 257 ? s.map((_, i) => i) : [0, 1, n >> 1, n - 2, n - 1];
      for (const i of sample) expect(ours.proof(i), `proof ${i}`).to.deep.equal(oz.getProof(i));
      const pick = [...new Set([0, n - 1, n >> 1])];
      const mo = ours.multiProof(pick);
      const mz = oz.getMultiProof(pick);
      expect({ proof: mo.proof, flags: mo.proofFlags }).to.deep.equal({ proof: mz.proof, flags: mz.proofFlags });
      expect(mo.leafIndices.map((i) => s[i])).to.deep.equal(mz.leaves.map((v) => v[1]));
      expect(ours.dump(values(s), CODE_LEAF_ENCODING)).to.deep.equal(oz.dump());
    });
  }

  it("writes a dump that @openzeppelin/merkle-tree loads and proves from, and loads that library's dump", () => {
    const s = serials(100, 3);
    const ours = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, s));
    const loaded = StandardMerkleTree.load(ours.dump(values(s), CODE_LEAF_ENCODING));
    expect(loaded.root).to.equal(ours.root);
    expect(StandardMerkleTree.verify(ours.root, [...CODE_LEAF_ENCODING], values(s)[42], ours.proof(42))).to.equal(true);
    const back = MerkleTree.load(StandardMerkleTree.of(values(s), [...CODE_LEAF_ENCODING]).dump());
    expect(back.root).to.equal(ours.root);
  });

  it("gives the same root in a few large trees (100,000 leaves)", function () {
    this.timeout(600_000);
    const s = serials(100_000, 99);
    const oz = StandardMerkleTree.of(values(s), [...CODE_LEAF_ENCODING]);
    expect(MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, s)).root).to.equal(oz.root);
  });
});

describe("core/merkle tamper suite", () => {
  const s = serials(1000, 11);
  const tree = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, s));
  const i = 321;
  const leaf = codeLeafHash(GTIN, s[i]);
  const proof = tree.proof(i);
  const flip = (h: Hex, bit: number): Hex => {
    const b = BigInt(h) ^ (1n << BigInt(bit));
    return `0x${b.toString(16).padStart(64, "0")}`;
  };

  it("accepts the untouched proof", () => expect(verifyProof(tree.root, leaf, proof)).to.equal(true));

  it("rejects a flipped bit in every proof element, at the top, middle and bottom bit", () => {
    for (let k = 0; k < proof.length; k++) {
      for (const bit of [0, 128, 255]) {
        const bad = proof.slice();
        bad[k] = flip(bad[k], bit);
        expect(verifyProof(tree.root, leaf, bad), `element ${k} bit ${bit}`).to.equal(false);
      }
    }
  });

  it("rejects a proof with an element removed or inserted", () => {
    for (let k = 0; k < proof.length; k++)
      expect(
        verifyProof(
          tree.root,
          leaf,
          proof.filter((_, j) => j !== k),
        ),
      ).to.equal(false);
    for (let k = 0; k <= proof.length; k++) {
      const bad = [...proof.slice(0, k), proof[0], ...proof.slice(k)];
      expect(verifyProof(tree.root, leaf, bad)).to.equal(false);
    }
  });

  it("rejects a wrong root, a wrong leaf and malformed nodes", () => {
    expect(verifyProof(flip(tree.root, 3), leaf, proof)).to.equal(false);
    expect(verifyProof(tree.root, codeLeafHash(GTIN, s[i] + "0"), proof)).to.equal(false);
    expect(verifyProof(tree.root, codeLeafHash(GTIN + 10n, s[i]), proof)).to.equal(false);
    expect(verifyProof(tree.root, leaf, [...proof.slice(0, -1), "0x1234" as Hex])).to.equal(false);
  });

  it("refuses the 64-byte inner-node forgery: two children presented as a leaf do not hash to their parent", () => {
    const parent = 5;
    const [l, r] = [1, 2].map(
      (d) =>
        `0x${Buffer.from(tree.nodes.subarray(32 * (2 * parent + d), 32 * (2 * parent + d + 1))).toString("hex")}` as Hex,
    );
    const sorted = BigInt(l) < BigInt(r) ? [l, r] : [r, l];
    const parentHash = `0x${Buffer.from(tree.nodes.subarray(32 * parent, 32 * parent + 32)).toString("hex")}` as Hex;
    // a single-hashed leaf of the 64 bytes would equal the parent: the forgery double hashing prevents
    expect(keccak256(concatHex(sorted))).to.equal(parentHash);
    const forged = standardLeafHash(["bytes32", "bytes32"], sorted);
    expect(forged).not.to.equal(parentHash);
    let t = parent;
    const parentProof: Hex[] = [];
    for (; t > 0; t = (t - 1) >> 1) {
      const sib = t % 2 === 1 ? t + 1 : t - 1;
      parentProof.push(`0x${Buffer.from(tree.nodes.subarray(32 * sib, 32 * sib + 32)).toString("hex")}` as Hex);
    }
    expect(verifyProof(tree.root, parentHash, parentProof)).to.equal(true); // the path itself is right
    expect(verifyProof(tree.root, forged, parentProof)).to.equal(false); // but no value reaches it
  });

  it("verifies a multiproof and rejects empty, unconsumed and mismatched ones", () => {
    const multi = tree.multiProof([1, 500, 999]);
    expect(verifyMultiProof(tree.root, multi)).to.equal(true);
    expect(verifyMultiProof(tree.root, { leaves: [], proof: [], proofFlags: [] })).to.equal(false);
    expect(() => processMultiProof({ leaves: [], proof: [], proofFlags: [] })).to.throw(MerkleProofError);
    expect(verifyMultiProof(tree.root, { ...multi, proof: [...multi.proof, multi.proof[0]] })).to.equal(false);
    expect(verifyMultiProof(tree.root, { ...multi, leaves: [...multi.leaves, multi.leaves[0]] })).to.equal(false);
    expect(
      verifyMultiProof(tree.root, { ...multi, proofFlags: multi.proofFlags.map((f, k) => (k === 0 ? !f : f)) }),
    ).to.equal(false);
    const swapped = { ...multi, leaves: [multi.leaves[1], multi.leaves[0], multi.leaves[2]] };
    expect(verifyMultiProof(tree.root, swapped)).to.equal(false);
    expect(verifyMultiProof(tree.root, tree.multiProof([]))).to.equal(true);
  });

  it("refuses duplicate leaves at build, and a proof of a duplicated index", () => {
    expect(() => MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, ["A", "B", "A"]))).to.throw(
      MerkleTreeError,
      /duplicate leaf/,
    );
    expect(() => tree.multiProof([3, 3])).to.throw(MerkleTreeError, /duplicated/);
    expect(() => MerkleTree.fromLeafHashes(new Uint8Array(0))).to.throw(MerkleTreeError);
  });

  it("refuses a dump whose value, leaf or inner node was altered", () => {
    const small = serials(8, 5);
    const dump = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, small)).dump(values(small), CODE_LEAF_ENCODING);
    const altered = [
      { ...dump, values: dump.values.map((v, k) => (k === 0 ? { ...v, value: [GTIN.toString(), "other"] } : v)) },
      { ...dump, tree: dump.tree.map((h, k) => (k === 2 ? flip(h, 0) : h)) },
      { ...dump, tree: dump.tree.map((h, k) => (k === dump.tree.length - 1 ? flip(h, 0) : h)) },
      { ...dump, format: "simple-v1" as "standard-v1" },
      { ...dump, values: dump.values.map((v, k) => (k === 0 ? { ...v, treeIndex: 0 } : v)) },
    ];
    for (const d of altered) expect(() => MerkleTree.load(d)).to.throw(MerkleTreeError);
  });
});

describe("core/merkle fast paths", () => {
  it("hashes packed serials exactly as the string path does, for odd and even counts and every width", () => {
    for (let width = 1; width <= 20; width++) {
      for (const n of [1, 2, 3, 8, 67]) {
        const s = serials(n, width * 100 + n).map((x) => x.padEnd(width, "z").slice(-width));
        if (new Set(s).size !== n) continue;
        const block = SerialBlock.of(s);
        expect(toHex(packedCodeLeafHashes(GTIN, block)), `width ${width}, ${n} serials`).to.equal(
          toHex(codeLeafHashes(GTIN, s)),
        );
      }
    }
  });

  it("hashes a slice [from, to) of packed serials as the whole block's leaves at those positions", () => {
    const block = SerialBlock.of(serials(300, 5).map((x) => x.padEnd(14, "q").slice(0, 14)));
    const all = packedCodeLeafHashes(GTIN, block);
    expect(toHex(packedCodeLeafHashes(GTIN, block, 101, 250))).to.equal(toHex(all.subarray(101 * 32, 250 * 32)));
    expect(() => packedCodeLeafHashes(GTIN, block, 10, 301)).to.throw(RangeError, /outside/);
  });

  it("serialises every proof back to back, leaf to root, as proof() gives them one by one", () => {
    for (const n of [1, 2, 5, 1000]) {
      const tree = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, serials(n, n + 1)));
      const chunks: Uint8Array[] = [];
      tree.writeProofs((c) => chunks.push(c.slice()), 0, n, 7);
      const written = "0x" + chunks.map((c) => toHex(c).slice(2)).join("");
      const expected =
        "0x" +
        Array.from({ length: n }, (_, i) =>
          tree
            .proof(i)
            .map((h) => h.slice(2))
            .join(""),
        ).join("");
      expect(written, `${n} leaves`).to.equal(expected);
    }
  });

  it("orders leaves from keys sorted in slices and merged as sortLeaves orders them whole", () => {
    const n = 5000;
    const leaves = codeLeafHashes(GTIN, serials(n, 77));
    const keys = new Float64Array(n);
    const bounds = [0, 1234, 2500, 4999, n];
    for (let j = 0; j + 1 < bounds.length; j++) {
      sortedLeafKeys(leaves.subarray(32 * bounds[j]), n, bounds[j], bounds[j + 1], keys);
    }
    expect(Array.from(orderFromSortedKeys(mergeSortedKeys(keys, bounds), leaves))).to.deep.equal(
      Array.from(sortLeaves(leaves)),
    );
  });

  it("names both values of a repeated leaf", () => {
    const leaves = codeLeafHashes(GTIN, ["A", "B", "C", "B"]);
    try {
      sortLeaves(leaves);
      expect.fail("a duplicate was accepted");
    } catch (e) {
      expect(e).to.be.instanceOf(DuplicateLeafError);
      expect(e).to.include({ first: 1, second: 3 });
    }
  });

  it("settles keys that tie on their packed prefix by whole-hash comparison", () => {
    // two leaves sharing the first 7 bytes (the packed prefix) but differing later, plus one apart
    const leaves = new Uint8Array(3 * 32);
    leaves.fill(0xaa, 0, 32);
    leaves.fill(0xaa, 32, 64);
    leaves[32 + 31] = 0x01; // leaf 1 < leaf 0
    leaves.fill(0x11, 64, 96);
    expect(Array.from(sortLeaves(leaves))).to.deep.equal([2, 1, 0]);
  });
});
