import { expect } from "chai";
import type { Hex } from "../../../src/core/bytes";
import { verifyBundle } from "../../../src/core/proof/verify-bundle";
import type { ProofBundle } from "../../../src/core/proof/bundle";
import { expectUnverifiable, proofLedger, SERIALS } from "../../support/proof-ledger";

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe("core/proof verifyBundle", () => {
  it("finds a fully proven code genuine, with every check passed and its block", async () => {
    const { bundle, readRoot } = await proofLedger();
    const v = await verifyBundle(bundle, readRoot);
    expect(v.verdict).to.equal("genuine");
    expect(v.checks.every((c) => c.ok)).to.equal(true);
    expect(v.checks.length).to.be.greaterThan(10);
    expect(v.checks.find((c) => c.name === "batch root on chain")?.block).to.equal(10);
  });

  it("says recalled when the chain says the batch is recalled", async () => {
    const { bundle, readRoot, chain } = await proofLedger();
    chain.batch.recalled = true;
    expect((await verifyBundle(bundle, readRoot)).verdict).to.equal("recalled");
  });

  it("says decommissioned after a retail sale", async () => {
    const { bundle, readRoot } = await proofLedger("retail_selling");
    expect((await verifyBundle(bundle, readRoot)).verdict).to.equal("decommissioned");
  });

  it("says unknown when no released batch names the code", async () => {
    const { bundle, readRoot } = await proofLedger();
    expect((await verifyBundle({ ...bundle, release: null, custody: [] }, readRoot)).verdict).to.equal("unknown");
  });

  const tamperings: [string, (b: ProofBundle) => void, RegExp][] = [
    ["a different serial", (b) => (b.code.serial = SERIALS[0]), /inclusion in released batch/],
    [
      "a made-up batch root",
      (b) => (b.release!.root = ("0x" + "aa".repeat(32)) as Hex),
      /inclusion|batch root on chain/,
    ],
    [
      "an edited event",
      (b) => ((b.custody[0] as { event: Record<string, unknown> }).event.bizStep = "shipping"),
      /event hash/,
    ],
    [
      "a capture signature by another key",
      (b) =>
        ((b.custody[0] as { signature: string }).signature = (
          b.custody[1] as { senderSignature: string }
        ).senderSignature),
      /capture signature/,
    ],
    [
      "swapped handover signatures",
      (b) => {
        const h = b.custody[1] as { senderSignature: string; receiverSignature: string };
        [h.senderSignature, h.receiverSignature] = [h.receiverSignature, h.senderSignature];
      },
      /sender signature/,
    ],
    [
      "a commitment the chain does not have",
      (b) => ((b.custody[0] as { commitment: { sequence: string } }).commitment.sequence = "2"),
      /commitment on chain/,
    ],
    [
      "a commitment root the chain disagrees with",
      (b) => ((b.custody[1] as { commitment: { root: string } }).commitment.root = "0x" + "bb".repeat(32)),
      /handover in commitment|commitment on chain/,
    ],
    ["a malformed proof node", (b) => (b.release!.proof[0] = "0x12" as Hex), /bundle format/],
    ["another version", (b) => ((b as { version: number }).version = 3), /bundle format/],
  ];
  for (const [what, tamper, failing] of tamperings) {
    it(`is unverifiable with ${what}, naming the failed check`, async () => {
      const { bundle, readRoot } = await proofLedger();
      const b = clone(bundle);
      tamper(b);
      await expectUnverifiable(b, readRoot, failing);
    });
  }

  it("refuses a genuine bundle for another code than the one asked about", async () => {
    const { bundle, readRoot } = await proofLedger();
    const asked = { gtin: bundle.code.gtin, serial: SERIALS[0] };
    const v = await verifyBundle(bundle, readRoot, { code: asked });
    expect(v.verdict).to.equal("unverifiable");
    expect(v.checks.find((c) => !c.ok)?.name).to.equal("code asked for");
    expect((await verifyBundle(bundle, readRoot, { code: bundle.code })).verdict).to.equal("genuine");
  });

  it("is unverifiable when the chain cannot be read", async () => {
    const { bundle } = await proofLedger();
    const v = await verifyBundle(bundle, async () => {
      throw new Error("connection refused");
    });
    expect(v.verdict).to.equal("unverifiable");
    expect(v.checks.at(-1)?.detail).to.match(/connection refused/);
  });
});
