import { expect } from "chai";
import { GroupWriter } from "../../src/store/group-writer";

describe("store/GroupWriter", () => {
  it("writes what arrives together in one transaction, and answers each caller after it", async () => {
    const writes: number[][] = [];
    const writer = new GroupWriter<number>(async (items) => void writes.push([...items]));
    await Promise.all([1, 2, 3].map((n) => writer.add(n)));
    expect(writes).to.deep.equal([[1, 2, 3]]);
  });

  it("writes a failed group one by one, so only the bad item's caller hears the error", async () => {
    const writes: number[][] = [];
    const writer = new GroupWriter<number>(async (items) => {
      if (items.includes(2)) throw new Error("item 2 breaks a constraint");
      writes.push([...items]);
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => writer.add(n)));
    expect(results.map((r) => r.status)).to.deep.equal(["fulfilled", "rejected", "fulfilled"]);
    expect(writes).to.deep.equal([[1], [3]]);
  });
});
