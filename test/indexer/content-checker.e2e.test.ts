import { shownDigest, shownFields } from "../../src/core/custody/event-disclosure";
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { Ledger } from "../../src/chain/ledger";
import { EmbeddedContentStore } from "../../src/content/embedded-store";
import { commitmentTree } from "../../src/core/custody/capture-tree";
import { canonicalValue } from "../../src/core/epcis/canonical-value";
import { ContentChecker } from "../../src/indexer/content-checker";
import { RpcChainSource } from "../../src/chain/chain-source";
import { IndexerStore } from "../../src/indexer/indexer-store";
import { contractAddresses } from "../../src/chain/deployment";
import { Syncer } from "../../src/indexer/syncer";
import { openDatabase } from "../../src/store/database";
import type { IndexerTables } from "../../src/store/indexer-schema";
import { startHardhatNode } from "../support/chain-node";
import { epcisDocument, objectEvent, unit } from "../support/captures";
import { ENGINES } from "../support/databases";
import { setupIndexerLedger } from "../support/indexer-ledger";
import { KEYS, RELAYER_ID, type RelayerLedger } from "../support/relayer-ledger";

describe("e2e: the indexer checks released leaf files and committed content before projecting them", function () {
  this.timeout(180_000);
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let ledger: Awaited<ReturnType<typeof setupIndexerLedger>>;
  let chain: RelayerLedger;
  let relayer: Ledger;
  let content: EmbeddedContentStore;
  const dir = mkdtempSync(join(tmpdir(), "trackroot-indexer-content-"));
  const ids: Record<string, Hex> = {};

  before(async () => {
    node = await startHardhatNode();
    ledger = await setupIndexerLedger(node.url, dir);
    ({ chain, relayer, content } = ledger);
    const { captureEntry, handoverEntry, commit } = ledger;

    // 1: a good capture and a co-signed handover
    const good = await captureEntry(epcisDocument([objectEvent(["G1", "G2"])]), KEYS.custodian);
    const handover = await handoverEntry([unit("G1")], KEYS.custodian, KEYS.pharmacy);
    ids.good = good.digest;
    ids.handover = handover.digest;
    await commit([good, handover]);
    // 2: beside a good capture, one signed by another key than it names, and one by a revoked key
    const fine = await captureEntry(epcisDocument([objectEvent(["F1"])]), KEYS.custodian);
    const forged = await captureEntry(epcisDocument([objectEvent(["X1"])]), KEYS.stranger, KEYS.custodian);
    const revoked = await captureEntry(epcisDocument([objectEvent(["R1"])]), KEYS.revoked);
    // and one whose registered submitter signed disclosure parts its event contradicts (shown as sold)
    const lying = await captureEntry(epcisDocument([objectEvent(["L1"])]), KEYS.custodian, KEYS.custodian, {
      parts: (parts) =>
        parts.map((p) => ({
          ...p,
          shownDigest: shownDigest({ ...shownFields(objectEvent(["L1"])), bizStep: "retail_selling" }),
        })),
    });
    ids.fine = fine.digest;
    ids.forged = forged.digest;
    ids.revoked = revoked.digest;
    ids.lying = lying.digest;
    await commit([fine, forged, revoked, lying]);
    // 3: content whose entries do not give the committed root
    await commit([await captureEntry(epcisDocument([objectEvent(["M1"])]), KEYS.custodian)], (bytes) =>
      new TextEncoder().encode(new TextDecoder().decode(bytes).replace(/"digest":"0x[0-9a-f]{4}/, '"digest":"0x0000')),
    );
    // 4: content the store does not have
    const missing = await captureEntry(epcisDocument([objectEvent(["N1"])]), KEYS.custodian);
    const [head, headHash] = await relayer.commitmentLog.read.head([RELAYER_ID]);
    const root = commitmentTree([{ kind: "capture", digest: missing.digest }]).root;
    await relayer.write(() =>
      relayer.commitmentLog.simulate.commit([
        head + 1n,
        root,
        1,
        "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
        headHash,
      ]),
    );
  });
  after(() => node?.stop());

  it("projects valid content, records invalid content with its reason, and keeps unavailable content pending, alike on both engines", async () => {
    const digests: string[] = [];
    for (const engine of ENGINES) {
      const { db, engine: kind } = openDatabase<IndexerTables>(await engine.options());
      const store = await IndexerStore.open(db, kind);
      const contracts = contractAddresses(chain.deployment);
      const source = new RpcChainSource(relayer.publicClient, Object.values(contracts));
      await new Syncer({ source, store, contracts, startBlock: 0, confirmations: 0, rangeSize: 100 }).catchUp();
      const checker = new ContentChecker({ store, content, chainId: 31337, commitmentLog: contracts.log });
      expect(await checker.runOnce()).to.equal(4);
      expect(await checker.runOnce()).to.equal(0);

      const checks = Object.fromEntries(
        (await store.db.selectFrom("content_checks").selectAll().execute()).map((r) => [r.subject, r]),
      );
      expect(checks["batch:1"].status).to.equal("valid");
      expect(checks["commitment:2:1"].status).to.equal("valid");
      expect(checks["commitment:2:2"]).to.include({ status: "valid", detail: "3 of 4 entries invalid" });
      expect(checks["commitment:2:3"].status).to.equal("invalid");
      expect(checks["commitment:2:3"].detail).to.match(/the entries give root/);
      expect(checks["commitment:2:4"]).to.include({ status: "pending", attempts: 2 });
      expect(checks["commitment:2:4"].detail).to.match(/NotFound/);

      const captures = Object.fromEntries(
        (await store.db.selectFrom("captures").selectAll().execute()).map((r) => [r.digest, r]),
      );
      expect(captures[ids.good]).to.include({ valid: 1, participant: 1 });
      expect(captures[ids.fine].valid).to.equal(1);
      expect(captures[ids.forged]).to.include({ valid: 0 });
      expect(captures[ids.forged].detail).to.match(/signature is not/);
      expect(captures[ids.revoked].detail).to.match(/revoked/);
      expect(captures[ids.lying]).to.include({ valid: 0, participant: 1 });
      expect(captures[ids.lying].detail).to.equal("event 0: the signed shown fields are not the event's");
      const epcs = await store.db.selectFrom("event_epcs").select(["digest", "epc"]).orderBy("epc").execute();
      expect(epcs.map((e) => e.epc)).to.deep.equal(["G1", "G2", "F1"].map((s) => canonicalValue(unit(s))).sort());
      expect(epcs.some((e) => [ids.forged, ids.revoked, ids.lying].includes(e.digest as Hex))).to.equal(false);
      const [handover] = await store.db.selectFrom("handovers").selectAll().execute();
      expect(handover).to.include({ digest: ids.handover, valid: 1, sender_participant: 1, receiver_participant: 3 });
      expect((await store.db.selectFrom("handover_items").select("item").execute()).map((i) => i.item)).to.deep.equal([
        canonicalValue(unit("G1")),
      ]);
      digests.push(await store.digest());
      await store.close();
    }
    expect(digests[1]).to.equal(digests[0]);
  });

  it("keeps a commitment pending while the store serves bytes that do not match its CID", async () => {
    const { db, engine: kind } = openDatabase<IndexerTables>(await ENGINES[0].options());
    const store = await IndexerStore.open(db, kind);
    const contracts = contractAddresses(chain.deployment);
    await new Syncer({
      source: new RpcChainSource(relayer.publicClient, Object.values(contracts)),
      store,
      contracts,
      startBlock: 0,
      confirmations: 0,
      rangeSize: 100,
    }).catchUp();
    const { content_cid: cid } = await store.db
      .selectFrom("commitments")
      .select("content_cid")
      .where("sequence", "=", 1)
      .executeTakeFirstOrThrow();
    const tamperedDir = mkdtempSync(join(tmpdir(), "trackroot-tampered-"));
    const tampered = new EmbeddedContentStore(tamperedDir);
    await tampered.put(await content.get(cid));
    writeFileSync(join(tamperedDir, "blocks", cid), "not the content");
    await new ContentChecker({ store, content: tampered, chainId: 31337, commitmentLog: contracts.log }).runOnce();
    const check = await store.db
      .selectFrom("content_checks")
      .selectAll()
      .where("subject", "=", "commitment:2:1")
      .executeTakeFirstOrThrow();
    expect(check.status).to.equal("pending");
    expect(check.detail).to.match(/Integrity/);
    expect(await store.db.selectFrom("captures").selectAll().execute()).to.deep.equal([]);
    await store.close();
  });
});
