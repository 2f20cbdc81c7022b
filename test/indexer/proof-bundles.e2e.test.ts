import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chainRootReader } from "../../src/chain/chain-roots";
import { Ledger } from "../../src/chain/ledger";
import { decodeLeafFile } from "../../src/core/merkle/leaf-file";
import type { MerkleTree } from "../../src/core/merkle/tree";
import { verifyBundle } from "../../src/core/proof/verify-bundle";
import { RpcChainSource } from "../../src/chain/chain-source";
import { ContentChecker } from "../../src/indexer/content-checker";
import { IndexerStore } from "../../src/indexer/indexer-store";
import { contractAddresses } from "../../src/chain/deployment";
import { proofBundleFor, type BundleSources } from "../../src/indexer/proof-bundles";
import { codeView } from "../../src/indexer/code-view";
import { shownOf } from "../../src/core/proof/verify-bundle";
import type { ProofBundle } from "../../src/core/proof/bundle";
import type { JsonValue } from "../../src/core/epcis/event-hash";
import { LifecycleProjector } from "../../src/indexer/lifecycle-projector";
import { Syncer } from "../../src/indexer/syncer";
import { openDatabase } from "../../src/store/database";
import type { IndexerTables } from "../../src/store/indexer-schema";
import { startHardhatNode } from "../support/chain-node";
import { epcisDocument, objectEvent } from "../support/captures";
import { ENGINES } from "../support/databases";
import { setupIndexerLedger } from "../support/indexer-ledger";
import { KEYS } from "../support/relayer-ledger";

const GTIN = "10614141073464";
const link = (serial: string) => `https://id.gs1.org/01/${GTIN}/21/${serial}`;

describe("e2e: proof bundles built by the indexer pass the core's verifyBundle against the chain", function () {
  this.timeout(180_000);
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let ledger: Awaited<ReturnType<typeof setupIndexerLedger>>;
  let store: IndexerStore;
  let sources: BundleSources;
  let reader: ReturnType<typeof chainRootReader>;
  const dir = mkdtempSync(join(tmpdir(), "trackroot-indexer-bundles-"));

  async function index() {
    const contracts = contractAddresses(ledger.chain.deployment);
    const source = new RpcChainSource(ledger.relayer.publicClient, Object.values(contracts));
    await new Syncer({ source, store, contracts, startBlock: 0, confirmations: 0, rangeSize: 100 }).catchUp();
    await new ContentChecker({
      store,
      content: ledger.content,
      chainId: 31337,
      commitmentLog: contracts.log,
    }).runOnce();
    while ((await new LifecycleProjector({ store, sites: {}, maxSpeedKmh: 1000 }).runOnce()) > 0);
  }

  before(async () => {
    node = await startHardhatNode();
    ledger = await setupIndexerLedger(node.url, dir, 20);
    const [a, b] = ledger.serials;
    const commissioning = {
      ...objectEvent([]),
      epcList: [link(a), link(b)],
      action: "ADD",
      bizStep: "commissioning",
      disposition: "active",
    };
    const sale = {
      ...objectEvent([], "2026-11-03T10:00:00.000Z"),
      epcList: [link(b)],
      bizStep: "retail_selling",
      disposition: "retail_sold",
    };
    await ledger.commit([
      await ledger.captureEntry(epcisDocument([commissioning]), KEYS.governor),
      await ledger.handoverEntry([link(a), link(b)], KEYS.governor, KEYS.pharmacy),
    ]);
    await ledger.commit([await ledger.captureEntry(epcisDocument([sale]), KEYS.pharmacy)]);
    // committed before selective disclosure (capture format 1): still on the ledger, still verified
    const legacy = { ...commissioning, epcList: [link(ledger.serials[3]), link(ledger.serials[4])] };
    await ledger.commit([
      await ledger.captureEntry(epcisDocument([legacy]), KEYS.governor, KEYS.governor, { format: 1 }),
    ]);
    // the brand commissions a unit it holds; a custodian that never held it signs its sale
    const held = link(ledger.serials[2]);
    await ledger.commit([
      await ledger.captureEntry(epcisDocument([{ ...commissioning, epcList: [held] }]), KEYS.governor),
    ]);
    await ledger.commit([await ledger.captureEntry(epcisDocument([{ ...sale, epcList: [held] }]), KEYS.custodian)]);
    const { db, engine } = openDatabase<IndexerTables>(await ENGINES[0].options());
    store = await IndexerStore.open(db, engine);
    await index();
    const trees = new Map<number, MerkleTree>();
    const contracts = contractAddresses(ledger.chain.deployment);
    sources = {
      store,
      chainId: 31337,
      serialRegistry: contracts.serials,
      commitmentLog: contracts.log,
      batchTree: async (id, cid) => {
        if (!trees.has(id)) trees.set(id, decodeLeafFile(await ledger.content.get(cid)));
        return trees.get(id)!;
      },
    };
    reader = chainRootReader(new Ledger({ rpcUrl: node.url, deployment: ledger.chain.deployment }));
  });
  after(async () => {
    await store?.close();
    await node?.stop();
  });

  it("proves a released, commissioned and handed-over code genuine, each check passing", async () => {
    const bundle = await proofBundleFor(sources, GTIN, ledger.serials[0]);
    expect(bundle.release?.batchId).to.equal("1");
    expect(bundle.custody.map((s) => s.kind)).to.deep.equal(["disclosed_event", "handover"]);
    const result = await verifyBundle(bundle, reader);
    expect(result.checks.filter((c) => !c.ok)).to.deep.equal([]);
    expect(result.verdict).to.equal("genuine");
    // the commissioning and the handover both name the other unit: the bundle does not
    const bytes = JSON.stringify(bundle);
    expect(bytes).to.include(ledger.serials[0]);
    for (const other of ledger.serials.slice(1)) expect(bytes).to.not.include(other);
  });

  it("still proves a code committed in a format-1 capture, as a recorded step that names no identifier", async () => {
    const bundle = await proofBundleFor(sources, GTIN, ledger.serials[3]);
    expect(bundle.custody.map((s) => s.kind)).to.deep.equal(["recorded_event"]);
    expect(JSON.stringify(bundle)).to.not.include(ledger.serials[4]);
    const result = await verifyBundle(bundle, reader);
    expect(result.checks.filter((c) => !c.ok)).to.deep.equal([]);
    expect(result.verdict).to.equal("genuine");
  });

  it("says a sold code was already sold", async () => {
    const result = await verifyBundle(await proofBundleFor(sources, GTIN, ledger.serials[1]), reader);
    expect(result.verdict).to.equal("decommissioned");
  });

  it("shows a sale signed by a party that did not hold the code as refused, and the code is not sold", async () => {
    const bundle = await proofBundleFor(sources, GTIN, ledger.serials[2]);
    expect(bundle.custody.map((s) => [s.kind, s.refused ?? null])).to.deep.equal([
      ["disclosed_event", null],
      ["disclosed_event", "Distributor (custodian) marked it sold; Acme held it"],
    ]);
    const result = await verifyBundle(bundle, reader);
    expect(result.checks.filter((c) => !c.ok)).to.deep.equal([]);
    expect(result.verdict).to.equal("genuine");
    const anomalies = await store.db
      .selectFrom("anomalies")
      .selectAll()
      .where("epc", "=", link(ledger.serials[2]))
      .execute();
    expect(anomalies.map((a) => a.kind)).to.deep.equal(["unauthorised_event"]);
  });

  it("gives a code of no released batch a bundle the verifier calls unknown", async () => {
    const bundle = await proofBundleFor(sources, GTIN, "NEVERRELEASED1");
    expect(bundle.release).to.equal(null);
    expect((await verifyBundle(bundle, reader)).verdict).to.equal("unknown");
  });

  it("cannot pass off an altered event: the verifier finds the bundle unverifiable", async () => {
    const bundle = await proofBundleFor(sources, GTIN, ledger.serials[0]);
    const step = bundle.custody[0] as { shown: Record<string, unknown> };
    step.shown.bizStep = "receiving";
    const result = await verifyBundle(bundle, reader);
    expect(result.verdict).to.equal("unverifiable");
    expect(result.checks.find((c) => !c.ok)?.name).to.match(/event in capture/);
  });

  it("keeps every container's custody while the unit was inside it, at each level, before and after each unpacking", async () => {
    // the demo's shape: units in a case on a pallet; the pallet handed over and unpacked, the case
    // handed on and unpacked; then the emptied pallet and the case (with the other unit) go on
    const [u, other] = [link(ledger.serials[5]), link(ledger.serials[6])];
    const kase = "https://id.gs1.org/00/106141410000000017";
    const pallet = "https://id.gs1.org/00/306141410000090001";
    const at = (hour: number) => `2026-11-05T${String(hour).padStart(2, "0")}:00:00.000Z`;
    const seconds = (hour: number) => Date.parse(at(hour)) / 1000;
    const aggregation = (hour: number, parentID: string, childEPCs: string[], action: "ADD" | "DELETE") => ({
      type: "AggregationEvent",
      eventTime: at(hour),
      eventTimeZoneOffset: "+00:00",
      parentID,
      childEPCs,
      action,
      bizStep: action === "ADD" ? "packing" : "unpacking",
      disposition: "in_progress",
      readPoint: { id: "https://id.gs1.org/414/0614141000005" },
    });
    const commissioned = {
      ...objectEvent([], at(9)),
      epcList: [u, other],
      action: "ADD",
      bizStep: "commissioning",
      disposition: "active",
    };
    const { governor: brand, custodian: north, pharmacy } = KEYS;
    const capture = async (key: `0x${string}`, ...events: { [k: string]: JsonValue }[]) =>
      ledger.commit([await ledger.captureEntry(epcisDocument(events), key)]);
    const handover = async (items: string[], from: `0x${string}`, to: `0x${string}`, hour: number) =>
      ledger.commit([await ledger.handoverEntry(items, from, to, { eventTime: seconds(hour) })]);
    await capture(
      brand,
      commissioned,
      aggregation(10, kase, [u, other], "ADD"),
      aggregation(11, pallet, [kase], "ADD"),
    );
    await handover([pallet], brand, north, 12);
    await capture(north, aggregation(13, pallet, [kase], "DELETE"));
    await handover([kase], north, pharmacy, 14);
    await capture(pharmacy, aggregation(15, kase, [u], "DELETE"));
    await handover([pallet], north, brand, 16);
    await handover([kase], pharmacy, north, 17);
    await index();

    const timeOf = (step: ProofBundle["custody"][number]) =>
      step.kind === "handover"
        ? new Date(Number(step.handover.eventTime) * 1000).toISOString()
        : String(shownOf(step as Parameters<typeof shownOf>[0]).eventTime);
    const steps = async (serial: string) => {
      const bundle = await proofBundleFor(sources, GTIN, serial);
      const result = await verifyBundle(bundle, reader);
      expect(result.checks.filter((c) => !c.ok)).to.deep.equal([]);
      expect(result.verdict).to.equal("genuine");
      return bundle.custody.map((s) => `${s.kind === "handover" ? `handover of ${s.item}` : "event"} ${timeOf(s)}`);
    };
    // commissioned, packed, palletised, the pallet handed over and broken down, the case handed on
    const together = [
      `event ${at(9)}`,
      `event ${at(10)}`,
      `event ${at(11)}`,
      `handover of ${pallet} ${at(12)}`,
      `event ${at(13)}`,
      `handover of ${kase} ${at(14)}`,
    ];
    // then the unit taken out of the case
    expect(await steps(ledger.serials[5])).to.deep.equal([...together, `event ${at(15)}`]);
    // the unit still in the case follows it on (its opening, its next handover), not the pallet it left
    expect(await steps(ledger.serials[6])).to.deep.equal([
      ...together,
      `event ${at(15)}`,
      `handover of ${kase} ${at(17)}`,
    ]);

    // a server that passed off the case's later handover as the unpacked unit's is caught
    const unpacked = await proofBundleFor(sources, GTIN, ledger.serials[5]);
    const later = (await proofBundleFor(sources, GTIN, ledger.serials[6])).custody.at(-1)!;
    const padded = await verifyBundle({ ...unpacked, custody: [...unpacked.custody, later] }, reader);
    expect(padded.verdict).to.equal("unverifiable");
    expect(padded.checks.filter((c) => !c.ok).map((c) => c.detail)).to.deep.equal([
      `${kase} is neither the code nor a container it was shown to be packed in`,
    ]);

    // the indexed history the public endpoint serves has the same shape, with the right parties
    const view = await codeView(store, GTIN, ledger.serials[5]);
    expect(view.containers).to.deep.equal([]);
    const handovers = view.history
      .filter((h) => h.cause === "handed_over")
      .map((h) => `${h.epc} ${h.time} to ${h.holder?.name}`);
    expect(handovers).to.deep.equal([`${pallet} ${at(12)} to Distributor`, `${kase} ${at(14)} to Pharmacy`]);
    const still = await codeView(store, GTIN, ledger.serials[6]);
    expect(still.containers).to.deep.equal([kase]);
    expect(still.holder?.name).to.equal("Distributor");
  });

  it("proves a code of a recalled batch genuine but recalled, once the recall is on chain", async () => {
    await ledger.cli("recall", "--batch", "1", "--reason", "contaminated");
    await index();
    const result = await verifyBundle(await proofBundleFor(sources, GTIN, ledger.serials[2]), reader);
    expect(result.verdict).to.equal("recalled");
  });

  it("names the field of a malformed GTIN or serial", async () => {
    let error: Error | undefined;
    await proofBundleFor(sources, "10614141073465", "A").catch((e) => (error = e));
    expect(error?.message).to.match(/^gtin: /);
    await proofBundleFor(sources, GTIN, "bad serial!").catch((e) => (error = e));
    expect(error?.message).to.match(/^serial: /);
  });
});
