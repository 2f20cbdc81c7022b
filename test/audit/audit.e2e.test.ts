import { expect } from "chai";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { keccak256, stringToHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { AuditReportSchema, type AuditReport } from "../../src/audit/report-schema";
import { Ledger } from "../../src/chain/ledger";
import { IpfsContentStore } from "../../src/content/ipfs-store";
import type { JsonValue } from "../../src/core/epcis/event-hash";
import { runCli } from "../../src/cli/main";
import { startBesuProxy } from "../support/besu-proxy";
import { startHardhatNode } from "../support/chain-node";
import { epcisDocument, unit } from "../support/captures";
import { setupIndexerLedger } from "../support/indexer-ledger";
import { startIpfsNode } from "../support/ipfs-node";
import { KEYS } from "../support/relayer-ledger";

const SSCC = "https://id.gs1.org/00/106141412345678908";
const SITE = "https://id.gs1.org/414/0614141000005";
const T0 = Date.parse("2026-11-01T08:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const event = (fields: { [k: string]: JsonValue }) => ({
  eventTimeZoneOffset: "+00:00",
  readPoint: { id: SITE },
  ...fields,
});
const commissioning = (epcs: string[], minutes: number) =>
  event({ type: "ObjectEvent", eventTime: at(minutes), epcList: epcs, action: "ADD", bizStep: "commissioning" });
const observe = (epcs: string[], minutes: number, bizStep: string) =>
  event({ type: "ObjectEvent", eventTime: at(minutes), epcList: epcs, action: "OBSERVE", bizStep });
const address = (key: Hex) => privateKeyToAccount(key).address.toLowerCase();

describe("e2e: trackroot audit replays a ledger from a hardhat node and the content store", function () {
  this.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), "trackroot-audit-"));
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let ledger: Awaited<ReturnType<typeof setupIndexerLedger>>;
  let s: string[];
  let b2: string[];
  const planted: Record<string, { transaction?: string; cid?: string; entryDigest?: string }> = {};

  /** Runs `trackroot audit` in the ledger's directory; returns the exit code and output. */
  async function audit(argv: string[], env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(["audit", ...argv], {
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
      env: {
        TRACKROOT_RPC_URL: node.url,
        TRACKROOT_DATA_DIR: "data",
        TRACKROOT_DEPLOYMENTS_DIR: "deployments",
        ...env,
      },
      cwd: dir,
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }
  const readReport = (out: string): AuditReport =>
    AuditReportSchema.parse(JSON.parse(readFileSync(join(dir, out, "audit-report.json"), "utf8")));

  before(async () => {
    node = await startHardhatNode();
    ledger = await setupIndexerLedger(node.url, dir, 20);
    s = ledger.serials;
    const { captureEntry, handoverEntry, commit, cli } = ledger;
    // a clean supply chain: commission, pack, hand over (a case, and a unit), receive, dispense
    await commit([
      await captureEntry(
        epcisDocument([
          commissioning(s.slice(0, 6).map(unit), 0),
          event({
            type: "AggregationEvent",
            eventTime: at(1),
            parentID: SSCC,
            childEPCs: [unit(s[0]), unit(s[1])],
            action: "ADD",
            bizStep: "packing",
          }),
        ]),
        KEYS.governor,
      ),
    ]);
    await commit([
      await handoverEntry([SSCC], KEYS.governor, KEYS.custodian),
      await handoverEntry([unit(s[2])], KEYS.governor, KEYS.pharmacy),
      await captureEntry(epcisDocument([observe([SSCC], 60, "receiving")]), KEYS.custodian),
      await captureEntry(epcisDocument([observe([unit(s[2])], 90, "dispensing")]), KEYS.pharmacy),
    ]);
    // a misprint voided; a second order of five codes, one commissioned, then recalled
    writeFileSync(join(dir, "void.txt"), `${s[19]}\n`);
    await cli("codes", "void", "--batch", "1", "--codes", "void.txt", "--reason", "misprinted label");
    await cli("order", "create", "--gtin", "10614141073464", "--quantity", "5", "--lot", "L2", "--erp-ref", "PO-2");
    await cli("codes", "release", "--order", "2", "--count", "5", "--out", join(dir, "release2"));
    b2 = readFileSync(join(dir, "release2", "codes.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",")[1]);
    await commit([await captureEntry(epcisDocument([commissioning([unit(b2[0])], 120)]), KEYS.governor)]);
    await cli("recall", "--batch", "2", "--reason", "temperature excursion");
    // the brand tries to release three codes past order 1's plan: the contract must refuse it
    const brand = new Ledger({
      rpcUrl: node.url,
      deployment: ledger.chain.deployment,
      account: privateKeyToAccount(KEYS.governor),
    });
    const refused = await brand
      .walletClient!.writeContract({
        address: brand.serials.address,
        abi: brand.serials.abi,
        functionName: "releaseBatch",
        args: [1n, keccak256(stringToHex("overrun")), 3n, "bafkreiexcess"],
        gas: 500_000n,
        chain: null,
        account: brand.walletClient!.account!,
      })
      .catch((e: Error) => e);
    planted.refused = { transaction: typeof refused === "string" ? refused : undefined };
  });

  after(async () => {
    await node?.stop();
  });

  it("finds a clean ledger clean: exit 0, no violations, orders reconciled and the refused overrun on record", async () => {
    const { code, out, err } = await audit(["--out", "clean"]);
    expect(code, err).to.equal(0);
    expect(out).to.match(/✓ clean/);
    const report = readReport("clean");
    expect(report.verdict).to.equal("clean");
    expect(report.violations).to.deep.equal([]);
    expect(report.checks.every((c) => c.passed)).to.equal(true);
    expect(report.checks.find((c) => c.id === "captures")?.checked).to.equal(4);
    expect(report.totals).to.include({
      orders: 2,
      batches: 2,
      codesReleased: 25,
      codesVoided: 1,
      codesCommissioned: 7,
      commitments: 3,
      handovers: 2,
    });
    const [order1, order2] = report.brands[0].orders;
    expect(report.brands[0]).to.include({ name: "Acme", participant: 5 });
    expect(order1).to.include({ planned: 20, released: 20, commissioned: 6, voided: 1, unused: 13, balanced: true });
    expect(order2).to.include({ released: 5, commissioned: 1, voided: 0, unused: 4, balanced: true });
    expect(order2.batches[0].recalled).to.equal(true);
    expect(order1.refusedReleases).to.have.length(1);
    expect(order1.refusedReleases[0]).to.include({ count: 3, releasedBefore: 20, planned: 20 });
    if (planted.refused.transaction)
      expect(order1.refusedReleases[0].transaction).to.equal(planted.refused.transaction);
    expect(
      readFileSync(join(dir, "clean", "audit-violations.csv"), "utf8")
        .trim()
        .split("\r\n"),
    ).to.have.length(1);
    const html = readFileSync(join(dir, "clean", "audit-report.html"), "utf8");
    expect(html).to.match(/No violations: every invariant holds/);
    expect(html).to.match(/Acme/);
  });

  it("audits through a Besu-shaped node that caps eth_getLogs to the same report as directly", async () => {
    // four blocks and four logs per getLogs: the audit's ranges are refused and read in parts
    const besu = await startBesuProxy(node.url, { maxLogsRange: 4, maxLogResults: 4 });
    try {
      const direct = await audit(["--out", "direct"]);
      const capped = await audit(["--out", "capped"], { TRACKROOT_RPC_URL: besu.url });
      expect(capped.code, capped.err).to.equal(direct.code);
      const [a, b] = [readReport("direct"), readReport("capped")];
      expect(b.checkpoint.stateDigest).to.equal(a.checkpoint.stateDigest);
      expect(b.totals).to.deep.equal(a.totals);
      expect(b.violations.map((v) => v.id)).to.deep.equal(a.violations.map((v) => v.id));
      expect(besu.refused.range).to.be.above(0);
    } finally {
      await besu.stop();
    }
  });

  it("continues from the checkpoint and finds each planted violation with its evidence (exit 3)", async () => {
    const { captureEntry, handoverEntry, commit } = ledger;
    const forged = await captureEntry(epcisDocument([commissioning([unit(s[6])], 200)]), KEYS.stranger, KEYS.custodian);
    const revoked = await captureEntry(epcisDocument([commissioning([unit(s[7])], 200)]), KEYS.revoked);
    const brandCapture = await captureEntry(
      epcisDocument([
        commissioning([unit("ZZFAKE1")], 201),
        commissioning([unit(s[0])], 202),
        observe([unit(b2[0])], 203, "retail_selling"),
      ]),
      KEYS.governor,
    );
    const breakHandover = await handoverEntry([unit(s[3])], KEYS.pharmacy, KEYS.custodian);
    const first = await commit([forged, revoked, brandCapture, breakHandover]);
    // content whose entries give another root than the one committed
    const tampered = await commit(
      [await captureEntry(epcisDocument([commissioning([unit(s[8])], 210)]), KEYS.governor)],
      (bytes) => {
        const json = JSON.parse(new TextDecoder().decode(bytes));
        json.entries[0].digest = keccak256(stringToHex("not this entry"));
        return new TextEncoder().encode(JSON.stringify(json));
      },
    );

    const { code, out, err } = await audit(["--since", join("clean", "audit-report.json"), "--out", "planted"]);
    expect(code, err).to.equal(3);
    expect(out).to.match(/✗ 7 violations \(7 new\)/);
    const report = readReport("planted");
    expect(report.since?.block).to.equal(readReport("clean").checkpoint.block);
    const byKind = Object.fromEntries(report.violations.map((v) => [v.kind, v]));
    expect(Object.keys(byKind).sort()).to.deep.equal(
      [
        "capture_forged",
        "capture_key_not_active",
        "commission_outside_release",
        "commitment_content_mismatch",
        "double_commission",
        "handover_by_non_holder",
        "sold_while_recalled",
      ].sort(),
    );
    expect(report.violations).to.have.length(7);
    const commitTx = byKind.capture_forged.evidence.transaction;
    for (const kind of [
      "capture_forged",
      "capture_key_not_active",
      "commission_outside_release",
      "double_commission",
      "handover_by_non_holder",
      "sold_while_recalled",
    ]) {
      expect(byKind[kind].evidence, kind).to.include({
        transaction: commitTx,
        cid: first.cid,
        relayer: 2,
        sequence: first.sequence,
      });
    }
    expect(byKind.capture_forged.evidence).to.include({
      entryDigest: forged.digest,
      submitter: address(KEYS.custodian),
    });
    expect(byKind.capture_forged.explanation).to.match(/signature is not/);
    expect(byKind.capture_key_not_active.evidence).to.include({
      entryDigest: revoked.digest,
      submitter: address(KEYS.revoked),
    });
    expect(byKind.capture_key_not_active.explanation).to.match(/revoked/);
    expect(byKind.commission_outside_release.evidence).to.include({
      epc: unit("ZZFAKE1"),
      entryDigest: brandCapture.digest,
      submitter: address(KEYS.governor),
      participantName: "Acme",
    });
    expect(byKind.commission_outside_release.evidence.eventHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(byKind.commission_outside_release.explanation).to.match(/overrun or a counterfeit/);
    expect(byKind.double_commission.evidence).to.include({ epc: unit(s[0]), order: 1, batch: 1 });
    expect(byKind.handover_by_non_holder.evidence).to.include({
      epc: unit(s[3]),
      entryDigest: breakHandover.digest,
      submitter: address(KEYS.pharmacy),
    });
    expect(byKind.handover_by_non_holder.explanation).to.match(
      /Pharmacy \(participant 3\) handed it over; Acme \(participant 5\) held it/,
    );
    expect(byKind.sold_while_recalled.evidence).to.include({ epc: unit(b2[0]), batch: 2 });
    expect(byKind.commitment_content_mismatch.evidence).to.include({ cid: tampered.cid, sequence: tampered.sequence });
    expect(byKind.commitment_content_mismatch.evidence.transaction).to.not.equal(commitTx);
    // the forged, revoked and tampered captures' events count for nothing: s6, s7 and s8 stay unused
    expect(report.brands[0].orders[0]).to.include({ commissioned: 6, unused: 13 });
    expect(
      report.checks
        .filter((c) => !c.passed)
        .map((c) => c.id)
        .sort(),
    ).to.deep.equal(["captures", "commissioning", "commitment_content", "custody", "recalls"].sort());

    const csv = readFileSync(join(dir, "planted", "audit-violations.csv"), "utf8")
      .trim()
      .split("\r\n");
    expect(csv).to.have.length(8);
    expect(csv.some((row) => row.includes(commitTx) && row.startsWith(byKind.capture_forged.id))).to.equal(true);
    const html = readFileSync(join(dir, "planted", "audit-report.html"), "utf8");
    expect(html).to.match(/7 violations found \(7 new since block/);
    for (const v of report.violations) expect(html).to.include(`id="v-${v.id}"`);
    expect(html).to.include(tampered.cid);
  });

  it("gives the same findings and state replaying everything as continuing from the checkpoint", async () => {
    const { code } = await audit(["--out", "full"]);
    expect(code).to.equal(3);
    const [full, planted] = [readReport("full"), readReport("planted")];
    expect(full.checkpoint.block).to.equal(planted.checkpoint.block);
    expect(full.checkpoint.stateDigest).to.equal(planted.checkpoint.stateDigest);
    expect(full.violations.map((v) => v.id)).to.deep.equal(planted.violations.map((v) => v.id));
    expect(full.since).to.equal(undefined);
  });

  it("reads the content from a real IPFS node as well as from the embedded store", async function () {
    const ipfs = await startIpfsNode();
    try {
      const store = new IpfsContentStore({ url: ipfs.url });
      const blocks = join(dir, "data", "content", "blocks");
      // every published blob, put again through the IPFS node (the same CIDs)
      const { EmbeddedContentStore } = await import("../../src/content/embedded-store");
      const embedded = new EmbeddedContentStore(join(dir, "data", "content"));
      let n = 0;
      for (const cid of readdirSync(blocks)) {
        const bytes = await embedded.get(cid).catch(() => undefined);
        if (bytes && (await store.put(bytes)) === cid) n++;
      }
      expect(n).to.be.greaterThan(5);
      const { code } = await audit(["--out", "via-ipfs"], { TRACKROOT_IPFS_API_URL: ipfs.url });
      expect(code).to.equal(3);
      expect(readReport("via-ipfs").checkpoint.stateDigest).to.equal(readReport("full").checkpoint.stateDigest);
    } finally {
      await ipfs.stop();
    }
  });

  it("refuses to continue from a state file that is not the checkpoint's, naming why (exit 1)", async () => {
    cpSync(join(dir, "clean"), join(dir, "altered"), { recursive: true });
    const path = join(dir, "altered", "audit-state.json.gz");
    const state = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8"));
    state.orders[0][1].planned = 25;
    writeFileSync(path, gzipSync(JSON.stringify(state)));
    const { code, err } = await audit(["--since", join("altered", "audit-report.json"), "--out", "x"]);
    expect(code).to.equal(1);
    expect(err).to.match(/could not audit: the state file's digest is 0x[0-9a-f]{64}; the checkpoint recorded/);
  });

  it("refuses a checkpoint the chain disagrees with (exit 1)", async () => {
    cpSync(join(dir, "clean"), join(dir, "rewritten"), { recursive: true });
    const path = join(dir, "rewritten", "audit-report.json");
    const report = JSON.parse(readFileSync(path, "utf8"));
    report.checkpoint.blockHash = keccak256(stringToHex("another history"));
    writeFileSync(path, JSON.stringify(report));
    const { code, err } = await audit(["--since", join("rewritten", "audit-report.json"), "--out", "x"]);
    expect(code).to.equal(1);
    expect(err).to.match(/the chain was rewritten since/);
  });

  it("names the field of a malformed checkpoint report (exit 1)", async () => {
    writeFileSync(join(dir, "bad-report.json"), JSON.stringify({ schema: "trackroot.audit.v0" }));
    const { code, err } = await audit(["--since", "bad-report.json"]);
    expect(code).to.equal(1);
    expect(err).to.match(/since\.schema/);
  });

  it("cannot audit without the content and says which (exit 1, no report)", async () => {
    const { code, err } = await audit(["--out", "no-content"], { TRACKROOT_DATA_DIR: "empty" });
    expect(code).to.equal(1);
    expect(err).to.match(
      /could not audit: the content of batch 1's leaf file \(bafk\w+\) could not be fetched after 3 attempts/,
    );
  });
});
