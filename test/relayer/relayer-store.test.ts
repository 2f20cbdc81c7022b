import { expect } from "chai";
import { ConflictError } from "../../src/core/errors";
import { GroupCommit } from "../../src/relayer/group-commit";
import { RelayerStore, type NewEntry } from "../../src/relayer/relayer-store";
import { openDatabase } from "../../src/store/database";
import type { RelayerTables } from "../../src/store/schema";
import { ENGINES } from "../support/databases";

const h = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const entry = (n: number, events = 2): NewEntry => ({
  digest: h(n),
  kind: "capture",
  submitter: "0x0000000000000000000000000000000000000001",
  nonce: h(1000 + n),
  body: JSON.stringify({ n }),
  event_count: events,
  received_at: new Date(0).toISOString(),
});

for (const engine of ENGINES) {
  describe(`RelayerStore on ${engine.name}`, () => {
    let store: RelayerStore;
    beforeEach(async () => {
      const { db, engine: kind } = openDatabase<RelayerTables>(await engine.options());
      store = await RelayerStore.open(db, kind);
    });
    afterEach(() => store.close());

    it("stores an entry once: the same digest again changes nothing", async () => {
      expect(
        await store.insertEntry(entry(1), [
          { position: 0, hash: h(101) },
          { position: 1, hash: h(102) },
        ]),
      ).to.deep.equal({ created: true });
      expect(await store.insertEntry({ ...entry(1), body: "changed" }, [{ position: 0, hash: h(103) }])).to.deep.equal({
        created: false,
      });
      expect((await store.entry(h(1)))?.body).to.equal(JSON.stringify({ n: 1 }));
      expect(await store.eventLocation(h(102))).to.deep.equal({ digest: h(1), position: 1 });
      expect(await store.eventLocation(h(103))).to.equal(undefined);
    });

    it("refuses a second entry signed over a nonce already used", async () => {
      await store.insertEntry(entry(1), []);
      let error: unknown;
      await store.insertEntry({ ...entry(2), nonce: entry(1).nonce }, []).catch((e) => (error = e));
      expect(error).to.be.instanceOf(ConflictError);
      expect(String(error)).to.match(/nonce: .* was already used/);
      expect(await store.entry(h(2))).to.equal(undefined);
    });

    it("stores 50 concurrent copies of one entry as one, never calling a copy a reused nonce", async () => {
      // the race is between two copies' unique checks, so it takes several rounds to show
      for (let round = 0; round < 20; round++) {
        const results = await Promise.all(
          Array.from({ length: 50 }, () =>
            store.insertEntry(entry(7 + round * 10_000), [{ position: 0, hash: h(700) }]),
          ),
        );
        expect(results.filter((r) => r.created)).to.have.length(1);
      }
      expect(await store.queueDepth()).to.deep.equal({ entries: 20, events: 40 });
    });

    it("group-commits entries submitted together, and answers the one with a used nonce alone", async () => {
      await store.insertEntry(entry(20), []);
      const writer = new GroupCommit(store);
      const inserts = await Promise.allSettled([
        writer.insert(entry(21), [{ position: 0, hash: h(2100) }]),
        writer.insert({ ...entry(22), nonce: entry(20).nonce }, []),
        writer.insert(entry(23), []),
        writer.insert(entry(21), [{ position: 0, hash: h(2100) }]),
      ]);
      expect(inserts.map((r) => (r.status === "fulfilled" ? r.value.created : "refused"))).to.deep.equal([
        true,
        "refused",
        true,
        false,
      ]);
      expect((inserts[1] as PromiseRejectedResult).reason).to.be.instanceOf(ConflictError);
      expect(await store.entry(h(22))).to.equal(undefined);
      expect(await store.eventLocation(h(2100))).to.deep.equal({ digest: h(21), position: 0 });
      expect((await store.queueDepth()).entries).to.equal(3);
    });

    it("hands out queued entries first come first served and batches them atomically", async () => {
      for (const n of [3, 1, 2]) await store.insertEntry(entry(n, n), []);
      expect((await store.queued(2)).map((e) => e.digest)).to.deep.equal([h(3), h(1)]);
      await store.createBatch(
        { sequence: 1, root: h(9), entry_count: 2, event_count: 4, previous_hash: h(0), created_at: "now" },
        [h(3), h(1)],
      );
      expect((await store.queued(10)).map((e) => e.digest)).to.deep.equal([h(2)]);
      expect((await store.batchEntries(1)).map((e) => e.digest)).to.deep.equal([h(3), h(1)]);
      expect(await store.queueDepth()).to.deep.equal({ entries: 1, events: 2 });
      await store.updateBatch(1, { status: "sent", transaction: h(5) });
      expect((await store.unfinishedBatches()).map((b) => [b.sequence, b.status])).to.deep.equal([[1, "sent"]]);
      await store.updateBatch(1, { status: "committed" });
      expect(await store.unfinishedBatches()).to.deep.equal([]);
      expect((await store.lastBatch())?.sequence).to.equal(1);
    });

    it("refuses a second batch with the same sequence and leaves its entries queued", async () => {
      await store.insertEntry(entry(1), []);
      await store.insertEntry(entry(2), []);
      const batch = { sequence: 1, root: h(9), entry_count: 1, event_count: 2, previous_hash: h(0), created_at: "now" };
      await store.createBatch(batch, [h(1)]);
      let error: unknown;
      await store.createBatch(batch, [h(2)]).catch((e) => (error = e));
      expect(error).to.be.instanceOf(Error);
      expect((await store.queued(10)).map((e) => e.digest)).to.deep.equal([h(2)]);
    });
  });
}
