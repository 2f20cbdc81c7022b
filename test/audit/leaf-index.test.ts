import { expect } from "chai";
import { LeafIndex } from "../../src/audit/leaf-index";

/** A 32-byte leaf: `head` for its first six bytes (the index's key), `tail` for the rest. */
function leaf(head: number, tail: number): Uint8Array {
  const b = new Uint8Array(32);
  for (let i = 0; i < 6; i++) b[i] = (head >> (8 * (5 - i))) & 0xff;
  b[31] = tail;
  return b;
}
const concat = (...leaves: Uint8Array[]) => {
  const out = new Uint8Array(32 * leaves.length);
  leaves.forEach((l, i) => out.set(l, 32 * i));
  return out;
};

describe("audit: the leaf index answers which batch released a leaf", () => {
  it("finds each batch's leaves, tells leaves that share a key apart, and answers undefined for others", () => {
    const index = new LeafIndex();
    expect(index.add(1, concat(leaf(1, 1), leaf(2, 1)))).to.deep.equal([]);
    // same first six bytes as leaf(1, 1): a key collision, not a repeat
    expect(index.add(2, concat(leaf(1, 2), leaf(3, 1), leaf(1, 3)))).to.deep.equal([]);
    expect(index.batchOf(leaf(1, 1))).to.equal(1);
    expect(index.batchOf(leaf(1, 2))).to.equal(2);
    expect(index.batchOf(leaf(1, 3))).to.equal(2);
    expect(index.batchOf(leaf(3, 1))).to.equal(2);
    expect(index.batchOf(leaf(1, 4))).to.equal(undefined);
    expect(index.batchOf(leaf(9, 1))).to.equal(undefined);
    expect(index.batchOf(concat(leaf(9, 9), leaf(2, 1)), 32)).to.equal(1);
  });

  it("reports a leaf released again with the batch that released it first, and keeps it there", () => {
    const index = new LeafIndex();
    index.add(1, concat(leaf(1, 1), leaf(1, 2)));
    expect(index.add(2, concat(leaf(5, 5), leaf(1, 2)))).to.deep.equal([{ offset: 32, batch: 1 }]);
    expect(index.batchOf(leaf(1, 2))).to.equal(1);
    expect(index.batchOf(leaf(5, 5))).to.equal(2);
  });
});
