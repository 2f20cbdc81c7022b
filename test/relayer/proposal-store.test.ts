import { expect } from "chai";
import { ProposalStore, type ProposalRow } from "../../src/relayer/proposal-store";
import { RelayerStore } from "../../src/relayer/relayer-store";
import { openDatabase } from "../../src/store/database";
import type { RelayerTables } from "../../src/store/schema";
import { isUniqueViolation } from "../../src/store/unique-violation";
import { ENGINES } from "../support/databases";

const h = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const proposal = (n: number, handover = n): ProposalRow => ({
  id: h(n),
  from_participant: 3,
  to_participant: 4,
  handover_id: h(50_000 + handover),
  body: JSON.stringify({ n }),
  item_count: 1,
  deadline: 2_000_000_000,
  status: "proposed",
  proposed_by: "0x0000000000000000000000000000000000000003",
  proposed_at: new Date(0).toISOString(),
  acted_by: null,
  acted_at: null,
  reason: null,
  act_signature: null,
});

for (const engine of ENGINES) {
  describe(`relayer/ProposalStore on ${engine.name}`, () => {
    let relayer: RelayerStore;
    let store: ProposalStore;
    beforeEach(async () => {
      const { db, engine: kind } = openDatabase<RelayerTables>(await engine.options());
      relayer = await RelayerStore.open(db, kind);
      store = new ProposalStore(db);
    });
    afterEach(() => relayer.close());

    it("stores 50 concurrent copies of one proposal as one, never calling a copy a second proposal", async () => {
      // the race is between two copies' unique checks, so it takes several rounds to show
      for (let round = 0; round < 20; round++) {
        const created = await Promise.all(Array.from({ length: 50 }, () => store.insert(proposal(round))));
        expect(created.filter(Boolean)).to.have.length(1);
      }
    });

    it("refuses another proposal under a handover id its sender already used", async () => {
      await store.insert(proposal(1));
      let error: unknown;
      await store.insert(proposal(2, 1)).catch((e) => (error = e));
      expect(isUniqueViolation(error)).to.equal(true);
      expect(await store.get(h(2))).to.equal(undefined);
    });
  });
}
