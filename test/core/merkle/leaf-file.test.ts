import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { codeLeafHashes, CODE_LEAF_ENCODING } from "../../../src/core/merkle/leaves";
import { decodeLeafFile, encodeLeafFile, LEAF_FILE_MAGIC, leafFileMismatch } from "../../../src/core/merkle/leaf-file";
import { MerkleTree, standardDumpChunks } from "../../../src/core/merkle/tree";
import { ValidationError } from "../../../src/core/errors";

const GTIN = 10614141073464n;
const serials = (n: number) => Array.from({ length: n }, (_, i) => `L${(i * 7919).toString(36)}x${i}`);

describe("core/merkle leaf file and streamed dump", () => {
  for (const n of [1, 2, 3, 100]) {
    it(`round-trips a tree of ${n} leaves through its leaf file to the same root`, () => {
      const tree = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, serials(n)));
      const file = encodeLeafFile(tree);
      expect(file.length).to.equal(LEAF_FILE_MAGIC.length + 32 * n);
      expect(decodeLeafFile(file).root).to.equal(tree.root);
    });
  }

  const tree = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, serials(10)));
  const good = encodeLeafFile(tree);
  const swapped = good.slice();
  swapped.copyWithin(LEAF_FILE_MAGIC.length, LEAF_FILE_MAGIC.length + 32, LEAF_FILE_MAGIC.length + 64);
  const cases: [string, Uint8Array, RegExp][] = [
    ["a file without the magic", good.slice(1), /bad magic/],
    ["a torn leaf", good.slice(0, good.length - 1), /whole 32-byte leaves/],
    ["no leaves", good.slice(0, LEAF_FILE_MAGIC.length), /whole 32-byte leaves/],
    ["a repeated leaf", swapped, /strictly ascending/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(() => decodeLeafFile(bytes)).to.throw(ValidationError, message);
    });
  }

  it("streams a dump that parses to dump() and loads in @openzeppelin/merkle-tree", () => {
    for (const n of [1, 2, 37]) {
      const s = serials(n);
      const t = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, s));
      const text = [
        ...standardDumpChunks(t, (i) => JSON.stringify([GTIN.toString(), s[i]]), CODE_LEAF_ENCODING, 5),
      ].join("");
      const values = s.map((serial) => [GTIN.toString(), serial]);
      expect(JSON.parse(text)).to.deep.equal(t.dump(values, CODE_LEAF_ENCODING));
      expect(StandardMerkleTree.load(JSON.parse(text)).root).to.equal(t.root);
    }
  });

  describe("leafFileMismatch (the check the indexer and the audit share)", () => {
    const tree = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, ["a", "b", "c"]));
    const file = encodeLeafFile(tree);
    const cases: [string, Uint8Array, { root: string; count: number }, string | null][] = [
      ["a file that gives the release's root and count", file, { root: tree.root, count: 3 }, null],
      ["a file of another root", file, { root: `0x${"11".repeat(32)}`, count: 3 }, "root"],
      ["a file of another count", file, { root: tree.root, count: 4 }, "count"],
      ["bytes that are no leaf file", new TextEncoder().encode("hello"), { root: tree.root, count: 3 }, "malformed"],
      ["a torn leaf file", file.subarray(0, file.length - 1), { root: tree.root, count: 3 }, "malformed"],
    ];
    const said = { root: "the root differs", count: "the count differs", malformed: "it is no leaf file" } as const;
    for (const [what, bytes, release, kind] of cases) {
      it(`says ${kind ? said[kind as keyof typeof said] : "nothing is wrong"} of ${what}`, () => {
        expect(leafFileMismatch(bytes, release)?.kind ?? null).to.equal(kind);
      });
    }

    it("says which root and count the file gives beside the chain's", () => {
      expect(leafFileMismatch(file, { root: tree.root, count: 4 })).to.deep.equal({
        kind: "count",
        actual: 3,
        expected: 4,
      });
    });
  });
});
