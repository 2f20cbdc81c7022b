import { expect } from "chai";
import { encodeFunctionData, keccak256, stringToHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { AuditState, stateDigest } from "../../src/audit/audit-state";
import { LeafIndex } from "../../src/audit/leaf-index";
import { LedgerAudit } from "../../src/audit/ledger-audit";
import { commitmentHash } from "../../src/core/custody/commitment-hash";
import { decodeLedgerLogs, type LedgerEventAt } from "../../src/audit/ledger-log";
import { buildReport } from "../../src/audit/report";
import { serialRegistryAbi } from "../../src/chain/abis";
import type { ContractAddresses } from "../../src/chain/deployment";
import { commitmentTree } from "../../src/core/custody/capture-tree";
import { encodeLeafFile } from "../../src/core/merkle/leaf-file";
import { codeLeafHash, codeLeafHashes } from "../../src/core/merkle/leaves";
import { MerkleTree } from "../../src/core/merkle/tree";
import { packWords } from "../../src/core/bytes";
import { encodeNotice } from "../../src/core/orders/notices";
import { encodeCommitmentDocument } from "../../src/core/custody/commitment-document";
import type { EntryRow } from "../../src/relayer/relayer-store";
import { epcisDocument, unit } from "../support/captures";
import { signedCaptureEntry, type Entry } from "../support/entries";
import { rawLogOf } from "../support/ledger-logs";
import { KEYS } from "../support/relayer-ledger";

const GTIN = 10614141073464n;
const CONTRACTS: ContractAddresses = {
  registry: "0x00000000000000000000000000000000000000a1",
  serials: "0x00000000000000000000000000000000000000a2",
  log: "0x00000000000000000000000000000000000000a3",
};
const DOMAIN = { chainId: 31337, verifyingContract: CONTRACTS.log as Address };
const BRAND = 1;
const RELAYER = 3;
const ZERO = `0x${"0".repeat(64)}` as Hex;
const serials = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const addressOf = (key: Hex) => privateKeyToAccount(key).address;
const commissioning = (epcs: string[]) =>
  epcisDocument([
    {
      type: "ObjectEvent",
      eventTime: "2026-11-01T08:00:00.000Z",
      eventTimeZoneOffset: "+00:00",
      epcList: epcs,
      action: "ADD",
      bizStep: "commissioning",
      readPoint: { id: "https://id.gs1.org/414/0614141000005" },
    },
  ]);

/** A replay fed hand-made logs (one per block), as a faulty contract or a forger could emit them. */
class Replay {
  state = new AuditState();
  leaves = new LeafIndex();
  audit = new LedgerAudit({
    state: this.state,
    leaves: this.leaves,
    chainId: 31337,
    contracts: CONTRACTS,
    sites: {},
    maxSpeedKmh: 1000,
  });
  block = 1;
  head = { sequence: 0, hash: ZERO };

  /** A log as the contract would emit it, through the decoder the audit reads the chain with. */
  async log(contract: LedgerEventAt["contract"], name: string, args: Record<string, unknown>, content?: Uint8Array) {
    const [log] = decodeLedgerLogs([rawLogOf(CONTRACTS, contract, name, args, this.block++)], CONTRACTS);
    if (!log) throw new Error(`the decoder dropped ${name}`);
    await this.audit.apply(log, content);
  }

  /** Participants: the brand (1, governor's key), a custodian (2) and the relayer (3). */
  async registry() {
    for (const [participant, kind, name, key] of [
      [BRAND, 0, "Acme", KEYS.governor],
      [2, 2, "Distributor", KEYS.custodian],
      [RELAYER, 4, "Relay", KEYS.relayer],
    ] as const) {
      await this.log("registry", "ParticipantRegistered", { participant, kind, gln: 614141000005n, name });
      await this.log("registry", "KeyAdded", { participant, key: addressOf(key) });
    }
    return this;
  }

  async order(order: number, planned: number) {
    await this.log("serials", "OrderOpened", {
      order: BigInt(order),
      brand: BRAND,
      producer: BRAND,
      gtin: GTIN,
      plannedQuantity: BigInt(planned),
      lot: "L1",
      expiry: 20281231,
      erpReference: keccak256(stringToHex(`PO-${order}`)),
    });
  }

  /** Releases `codes` as `batch` of `order`; `file` replaces the honest leaf file. */
  async release(order: number, batch: number, codes: string[], file?: Uint8Array) {
    const tree = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, codes));
    await this.log(
      "serials",
      "BatchReleased",
      {
        batch: BigInt(batch),
        order: BigInt(order),
        root: tree.root,
        count: BigInt(codes.length),
        contentCid: `leaves-${batch}`,
      },
      file ?? encodeLeafFile(tree),
    );
  }

  async voidCodes(
    batch: number,
    codes: string[],
    notice: Partial<{ batch: string; root: string; leaves: string[] }> = {},
    count = codes.length,
  ) {
    const leaves = codes.map((c) => codeLeafHash(GTIN, c)).sort();
    const root = MerkleTree.fromLeafHashes(packWords(leaves)).root;
    const bytes = encodeNotice({
      type: "trackroot.void.v1",
      batch: String(batch),
      reason: "misprint",
      root,
      leaves,
      ...notice,
    });
    await this.log(
      "serials",
      "CodesVoided",
      { batch: BigInt(batch), root, count: BigInt(count), reason: `void-${this.block}` },
      bytes,
    );
  }

  /** Commits `entries` as the relayer's next commitment; `override` breaks its chain fields. */
  async commit(entries: Entry[], override: Partial<{ sequence: number; previousHash: Hex; hash: Hex }> = {}) {
    const sequence = override.sequence ?? this.head.sequence + 1;
    const root = commitmentTree(entries.map((e) => ({ kind: e.kind, digest: e.digest }))).root;
    const cid = `commitment-${this.block}`;
    const eventCount = entries.reduce((n, e) => n + e.event_count, 0);
    const previousHash = override.previousHash ?? (this.head.hash as Hex);
    const hash = (override.hash ??
      commitmentHash({
        chainId: 31337,
        commitmentLog: CONTRACTS.log as Address,
        relayer: RELAYER,
        sequence,
        root,
        eventCount,
        contentCid: cid,
        previousHash,
      })) as Hex;
    const bytes = encodeCommitmentDocument(
      { chainId: 31337, commitmentLog: CONTRACTS.log, relayer: RELAYER, sequence, root },
      entries as unknown as EntryRow[],
    );
    await this.log(
      "log",
      "CommitmentAppended",
      { relayer: RELAYER, sequence: BigInt(sequence), root, eventCount, contentCid: cid, previousHash, hash },
      bytes,
    );
    this.head = { sequence, hash };
  }

  commission(codes: string[], key: Hex = KEYS.governor) {
    return signedCaptureEntry(DOMAIN, commissioning(codes.map(unit)), key);
  }

  report() {
    return buildReport({
      state: this.state,
      chainId: 31337,
      contracts: CONTRACTS,
      fromBlock: 1,
      checkpoint: { block: this.block, blockHash: ZERO, stateDigest: ZERO, stateFile: "s" },
      generatedAt: new Date(0),
    });
  }

  kinds(): string[] {
    return this.state.violations.map((v) => v.kind);
  }
}

describe("audit: the ledger replay checks each invariant on hand-made logs", () => {
  it("flags a release past the plan, a release after closing and an amendment below what was released", async () => {
    const r = await new Replay().registry();
    await r.order(1, 5);
    await r.release(1, 1, serials("A", 4));
    await r.release(1, 2, serials("B", 2));
    await r.log("serials", "OrderAmended", { order: 1n, previousPlanned: 5n, plannedQuantity: 3n });
    await r.log("serials", "OrderClosed", { order: 1n });
    await r.release(1, 3, serials("C", 1));
    expect(r.kinds()).to.deep.equal([
      "release_over_plan",
      "plan_below_released",
      "release_after_close",
      "release_over_plan",
    ]);
    expect(r.state.violations[0].explanation).to.equal(
      "Batch 2 brought order 1 to 6 released codes; the order planned 5.",
    );
    expect(r.state.violations[0].evidence).to.include({ order: 1, batch: 2, block: 9 });
  });

  it("records release attempts past the plan that the contract refused, and nothing for other refused calls", async () => {
    const r = await new Replay().registry();
    await r.order(1, 2);
    await r.release(1, 1, serials("A", 2));
    const call = (data: Hex) => ({
      kind: "refused" as const,
      at: { block: 20, transactionIndex: 0, logIndex: -1, transaction: keccak256(stringToHex(data)) },
      call: {
        block: 20,
        transactionIndex: 0,
        transactionHash: keccak256(stringToHex(data)),
        from: addressOf(KEYS.governor),
        input: data,
      },
    });
    const release = call(
      encodeFunctionData({
        abi: serialRegistryAbi,
        functionName: "releaseBatch",
        args: [1n, keccak256("0x01"), 1n, "x"],
      }),
    );
    await r.audit.apply(release);
    await r.audit.apply(call(encodeFunctionData({ abi: serialRegistryAbi, functionName: "closeOrder", args: [1n] })));
    await r.audit.apply(call("0xdeadbeef"));
    expect(r.state.orders.get(1)?.refused).to.deep.equal([
      { block: 20, transaction: release.at.transaction, count: 1, releasedBefore: 2, planned: 2 },
    ]);
    expect(r.kinds()).to.deep.equal([]);
  });

  const leafFiles: [string, (codes: string[]) => Uint8Array, RegExp][] = [
    [
      "gives another root",
      (c) => encodeLeafFile(MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, [...c.slice(1), "OTHER"]))),
      /gives root 0x[0-9a-f]{64}, the chain's is/,
    ],
    [
      "holds another count",
      (c) => encodeLeafFile(MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, c.slice(1)))),
      /gives root|holds 2 codes/,
    ],
    [
      "is not a leaf file",
      () => new TextEncoder().encode("hello"),
      /is not a leaf file \(leafFile: is not a trackroot leaf file/,
    ],
  ];
  for (const [name, file, detail] of leafFiles) {
    it(`refuses a release whose leaf file ${name}, and counts its codes released by nobody`, async () => {
      const r = await new Replay().registry();
      await r.order(1, 3);
      const codes = serials("A", 3);
      await r.release(1, 1, codes, file(codes));
      expect(r.kinds()).to.deep.equal(["release_content_mismatch"]);
      expect(r.state.violations[0].explanation).to.match(detail);
      expect(r.state.batches.get(1)?.leavesValid).to.equal(false);
      await r.commit([await r.commission([codes[0]])]);
      expect(r.kinds()).to.deep.equal(["release_content_mismatch", "commission_outside_release"]);
    });
  }

  it("flags codes released in two batches once per pair of batches", async () => {
    const r = await new Replay().registry();
    await r.order(1, 10);
    await r.release(1, 1, serials("A", 3));
    await r.release(1, 2, ["A1", "A2", "B0"]);
    expect(r.kinds()).to.deep.equal(["code_released_twice"]);
    expect(r.state.violations[0].explanation).to.equal("2 codes of batch 2 were already released in batch 1.");
  });

  const notices: [string, (r: Replay) => Promise<void>, RegExp | undefined][] = [
    ["an honest notice", (r) => r.voidCodes(1, ["A0"]), undefined],
    ["a notice naming another batch", (r) => r.voidCodes(1, ["A0"], { batch: "2" }), /it names batch 2/],
    [
      "a notice whose leaves give another root",
      (r) => r.voidCodes(1, ["A0"], { leaves: [codeLeafHash(GTIN, "A1")] }),
      /its leaves give root/,
    ],
    [
      "a notice listing fewer codes than voided",
      (r) => r.voidCodes(1, ["A0"], {}, 2),
      /it lists 1 codes, the chain voided 2/,
    ],
    [
      "a notice listing a code the batch did not release",
      (r) => r.voidCodes(1, ["Z9"]),
      /a code that batch 1 did not release/,
    ],
    [
      "a notice voiding a code voided before",
      async (r) => {
        await r.voidCodes(1, ["A1"]);
        await r.voidCodes(1, ["A1"]);
      },
      /it lists a code voided before/,
    ],
    [
      "a notice listing a code twice",
      (r) => r.voidCodes(1, ["A0"], { leaves: [codeLeafHash(GTIN, "A0"), codeLeafHash(GTIN, "A0")] }, 2),
      /its leaves give root none/,
    ],
    [
      "a notice that is not a notice",
      (r) =>
        r.log(
          "serials",
          "CodesVoided",
          { batch: 1n, root: ZERO, count: 1n, reason: "x" },
          new TextEncoder().encode("{"),
        ),
      /is not a valid notice/,
    ],
  ];
  for (const [name, plant, problem] of notices) {
    it(`checks ${name} against the chain's void`, async () => {
      const r = await new Replay().registry();
      await r.order(1, 3);
      await r.release(1, 1, serials("A", 3));
      await plant(r);
      if (!problem) {
        expect(r.kinds()).to.deep.equal([]);
        expect(r.state.voidedLeaves.has(codeLeafHash(GTIN, "A0"))).to.equal(true);
        return;
      }
      expect(r.kinds()).to.deep.equal(["void_notice_mismatch"]);
      expect(r.state.violations[0].explanation).to.match(problem);
      expect(r.state.voidedLeaves.has(codeLeafHash(GTIN, "A0"))).to.equal(false);
    });
  }

  it("flags a voided code commissioned, and a commissioned code voided, and the order no longer reconciles", async () => {
    const r = await new Replay().registry();
    await r.order(1, 4);
    await r.release(1, 1, serials("A", 4));
    await r.voidCodes(1, ["A0"]);
    await r.commit([await r.commission(["A0", "A1", "A2"])]);
    await r.voidCodes(1, ["A1"]);
    expect(r.kinds()).to.deep.equal(["voided_code_commissioned", "voided_code_commissioned"]);
    expect(r.state.violations[0].evidence).to.include({ epc: unit("A0"), batch: 1, order: 1 });
    const report = r.report();
    expect(report.brands[0].orders[0]).to.include({
      released: 4,
      commissioned: 1,
      voided: 2,
      unused: 1,
      exceptions: 2,
      balanced: false,
    });
  });

  it("reports an order whose voids exceed what was released as not reconciling", async () => {
    const r = await new Replay().registry();
    await r.order(1, 2);
    await r.release(1, 1, ["A0", "A1"]);
    await r.commit([await r.commission(["A0", "A1"])]);
    await r.voidCodes(1, ["A0"], { leaves: [codeLeafHash(GTIN, "A0")] }, 1);
    const report = r.report();
    expect(report.brands[0].orders[0]).to.include({
      released: 2,
      commissioned: 1,
      voided: 1,
      unused: 0,
      exceptions: 1,
    });
    r.state.orders.get(1)!.voided = 3;
    const broken = r.report();
    expect(broken.violations.map((v) => v.kind)).to.include("reconciliation_mismatch");
    expect(broken.checks.find((c) => c.id === "reconciliation")?.passed).to.equal(false);
  });

  const chains: [string, Partial<{ sequence: number; previousHash: Hex; hash: Hex }>, RegExp][] = [
    ["a skipped sequence", { sequence: 3 }, /sequence 3 follows sequence 1/],
    ["a repeated sequence", { sequence: 1 }, /sequence 1 follows sequence 1/],
    [
      "a previous hash that is not the last commitment's",
      { previousHash: keccak256("0x02") },
      /names previous hash 0x[0-9a-f]{64}, the last commitment's is/,
    ],
    [
      "a recorded hash its fields do not give",
      { hash: keccak256("0x03") },
      /its fields hash to 0x[0-9a-f]{64}, the log recorded/,
    ],
  ];
  for (const [name, override, detail] of chains) {
    it(`finds a relayer's hash chain broken by ${name}`, async () => {
      const r = await new Replay().registry();
      await r.order(1, 3);
      await r.release(1, 1, serials("A", 3));
      await r.commit([await r.commission(["A0"])]);
      await r.commit([await r.commission(["A1"])], override);
      expect(r.kinds()).to.deep.equal(["commitment_chain_broken"]);
      expect(r.state.violations[0].explanation).to.match(detail);
    });
  }

  it("checks each capture's key as the registry stood at its commitment: revoked before, deactivated, revoked after", async () => {
    const r = await new Replay().registry();
    await r.order(1, 5);
    await r.release(1, 1, serials("A", 5));
    await r.log("registry", "KeyRevoked", { participant: 2, key: addressOf(KEYS.custodian) });
    await r.commit([await r.commission(["A0"], KEYS.custodian)]);
    await r.log("registry", "ParticipantDeactivated", { participant: BRAND });
    await r.commit([await r.commission(["A1"])]);
    await r.log("registry", "ParticipantReactivated", { participant: BRAND });
    await r.commit([await r.commission(["A2"])]);
    await r.log("registry", "KeyRevoked", { participant: BRAND, key: addressOf(KEYS.governor) });
    expect(r.kinds()).to.deep.equal(["capture_key_not_active", "capture_key_not_active"]);
    expect(r.state.violations[0].evidence.submitter).to.equal(addressOf(KEYS.custodian).toLowerCase());
    expect(r.state.orders.get(1)?.commissioned).to.equal(1);
  });

  it("flags a sale recorded by a party that did not hold the code, naming it, and the sale changes nothing", async () => {
    const r = await new Replay().registry();
    await r.order(1, 5);
    await r.release(1, 1, serials("A", 5));
    await r.commit([await r.commission(["A0"])]);
    await r.log("serials", "BatchRecalled", { batch: 1n, reason: "recall-1" });
    const sale = epcisDocument([
      {
        type: "ObjectEvent",
        eventTime: "2026-11-02T08:00:00.000Z",
        eventTimeZoneOffset: "+00:00",
        epcList: [unit("A0")],
        action: "OBSERVE",
        bizStep: "retail_selling",
      },
    ]);
    await r.commit([await signedCaptureEntry(DOMAIN, sale, KEYS.custodian)]);
    // the brand held it: the distributor's sale is refused, so it is no sale of a recalled unit either
    expect(r.kinds()).to.deep.equal(["unauthorised_event"]);
    const v = r.state.violations[0];
    expect(v.check).to.equal("custody");
    expect(v.evidence).to.include({ participant: 2, epc: unit("A0") });
    expect(v.explanation).to.match(
      /Distributor \(participant 2\) \(custodian\) marked it sold; Acme \(participant 1\) held it/,
    );
    expect(r.state.codes.get(unit("A0"))?.ended).to.equal("");
  });

  it("flags an event by the relayer's own key, which records nothing", async () => {
    const r = await new Replay().registry();
    await r.order(1, 5);
    await r.release(1, 1, serials("A", 5));
    await r.commit([await r.commission(["A0"], KEYS.relayer)]);
    expect(r.kinds()).to.deep.equal(["unauthorised_event"]);
    expect(r.state.violations[0].explanation).to.match(/\(relayer\) may record nothing/);
    expect(r.state.codes.get(unit("A0"))?.commissioned ?? false).to.equal(false);
  });

  it("flags a valid event the relayer marked invalid and left out, and not an invalid one", async () => {
    const r = await new Replay().registry();
    await r.order(1, 3);
    await r.release(1, 1, serials("A", 3));
    const doc = commissioning([unit("A0")]);
    const body = doc.epcisBody as { eventList: { [k: string]: unknown }[] };
    body.eventList.push({ ...body.eventList[0], epcList: [unit("A1")], eventTime: "not a time" });
    const entry = await signedCaptureEntry(DOMAIN, doc as typeof doc, KEYS.governor);
    const marked = JSON.parse(entry.body);
    marked.rejected = [
      { eventIndex: 0, pointer: "/epcList", message: "made up" },
      { eventIndex: 1, pointer: "/eventTime", message: "must match format" },
    ];
    await r.commit([{ ...entry, body: JSON.stringify(marked) }]);
    expect(r.kinds()).to.deep.equal(["event_withheld"]);
    expect(r.state.violations[0].explanation).to.match(/marked event 0 of a capture by Acme as invalid/);
    expect(r.state.orders.get(1)?.commissioned).to.equal(0);
    expect(r.state.checked.rejections).to.equal(2);
  });

  it("blames the submitter, not the relayer, for disclosure parts its own events contradict", async () => {
    const r = await new Replay().registry();
    await r.order(1, 3);
    await r.release(1, 1, serials("A", 3));
    // the brand signs a commissioning of A0 whose disclosed identifiers are not the event's
    const doc = commissioning([unit("A0")]);
    const entry = await signedCaptureEntry(DOMAIN, doc, KEYS.governor, KEYS.governor, {
      parts: (parts) => parts.map((p) => ({ ...p, identifiersRoot: `0x${"ab".repeat(32)}` })),
    });
    await r.commit([entry]);
    expect(r.kinds()).to.deep.equal(["capture_inconsistent"]);
    const v = r.state.violations[0];
    expect(v.explanation).to.match(/^Acme signed a capture whose disclosed parts its own events contradict/);
    expect(v.evidence).to.include({ participant: BRAND, submitter: addressOf(KEYS.governor).toLowerCase() });
    expect(v.evidence.entryDigest).to.equal(entry.digest);
    expect(r.state.orders.get(1)?.commissioned).to.equal(0);
  });

  it("calls a capture forged when the relayer published another salt than the one signed", async () => {
    const r = await new Replay().registry();
    await r.order(1, 2);
    await r.release(1, 1, serials("A", 2));
    const entry = await r.commission(["A0"]);
    const body = JSON.parse(entry.body);
    body.salt = `0x${"11".repeat(32)}`;
    await r.commit([{ ...entry, body: JSON.stringify(body) }]);
    expect(r.kinds()).to.deep.equal(["capture_forged"]);
    expect(r.state.violations[0].explanation).to.match(/do not give the signed events root/);
  });

  it("still audits a capture committed in format 1, before selective disclosure", async () => {
    const r = await new Replay().registry();
    await r.order(1, 2);
    await r.release(1, 1, serials("A", 2));
    await r.commit([
      await signedCaptureEntry(DOMAIN, commissioning([unit("A0")]), KEYS.governor, KEYS.governor, { format: 1 }),
    ]);
    expect(r.kinds()).to.deep.equal([]);
    expect(r.state.orders.get(1)?.commissioned).to.equal(1);
  });

  it("applies an entry committed twice once", async () => {
    const r = await new Replay().registry();
    await r.order(1, 2);
    await r.release(1, 1, serials("A", 2));
    const entry = await r.commission(["A0"]);
    await r.commit([entry]);
    await r.commit([entry, await r.commission(["A1"])]);
    expect(r.kinds()).to.deep.equal([]);
    expect(r.state.totals).to.include({ captures: 2, events: 2, commitments: 2 });
  });

  it("saves a state that loads back to the same replay, and refuses a saved state of another shape", async () => {
    const r = await new Replay().registry();
    await r.order(1, 3);
    await r.release(1, 1, serials("A", 3));
    await r.commit([await r.commission(["A0", "A0"])]);
    const text = JSON.stringify(r.state);
    const loaded = AuditState.fromJSON(JSON.parse(text));
    const reloaded = JSON.parse(JSON.stringify(loaded));
    const original = JSON.parse(text);
    original.violations = original.violations.map((v: { new: boolean }) => ({ ...v, new: false }));
    expect(reloaded).to.deep.equal(original);
    expect(stateDigest(text)).to.match(/^0x[0-9a-f]{64}$/);
    expect(() => AuditState.fromJSON({ ...original, codes: [["x", 2]] })).to.throw(/codes/);
  });
});
