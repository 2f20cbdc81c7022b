import { expect } from "chai";
import { Slots } from "../../src/gateway/slots";

const tick = () => new Promise((r) => setImmediate(r));

describe("gateway: slots", () => {
  it("never runs more tasks at once than it has slots, and runs them in the order they asked", async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      most = Math.max(most, ++running);
      await tick();
      await tick();
      running--;
      return i;
    };
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => slots.run(task(i))));
    expect(results).to.deep.equal([0, 1, 2, 3, 4]);
    expect(most).to.equal(2);
    expect(started).to.deep.equal([0, 1, 2, 3, 4]);
  });

  it("gives a slot back when its task throws", async () => {
    const slots = new Slots(1);
    await slots.run(async () => Promise.reject(new Error("refused"))).catch(() => undefined);
    expect(await slots.run(async () => "next")).to.equal("next");
  });

  it("refuses a size that is not a positive integer", () => {
    for (const size of [0, -1, 1.5, Number.NaN]) expect(() => new Slots(size)).to.throw(RangeError);
  });
});
