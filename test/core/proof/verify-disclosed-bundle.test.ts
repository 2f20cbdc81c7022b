import { expect } from "chai";
import type { Hex } from "../../../src/core/bytes";
import type { DisclosedEventStep, HandoverStep, ProofBundle } from "../../../src/core/proof/bundle";
import { itemSalt } from "../../../src/core/custody/handover-items";
import { verifyBundle } from "../../../src/core/proof/verify-bundle";
import {
  disclosedProofLedger,
  expectUnverifiable,
  keyOwner,
  OTHER_SSCC,
  receiver,
  sender,
  SERIALS,
  SSCC,
} from "../../support/proof-ledger";

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const step = (b: ProofBundle, i: number) => b.custody[i] as DisclosedEventStep;

describe("core/proof verifyBundle of a selectively disclosed bundle (v2)", () => {
  it("proves commissioning, packing, the pallet's shipping and its handover for the unit: genuine", async () => {
    const { bundle, readRoot } = await disclosedProofLedger();
    const v = await verifyBundle(bundle, readRoot, { code: bundle.code, keyOwner });
    expect(v.verdict, JSON.stringify(v.checks.filter((c) => !c.ok))).to.equal("genuine");
    expect(v.checks.filter((c) => c.name.endsWith("names the code")).length).to.equal(3);
  });

  it("holds no other serial of the batch and no other pallet of the shipment", async () => {
    const { bundle } = await disclosedProofLedger();
    const bytes = JSON.stringify(bundle);
    expect(bytes).to.include(SERIALS[1]).and.include(SSCC);
    for (const other of [SERIALS[0], SERIALS[2], OTHER_SSCC, OTHER_SSCC.slice(-18)])
      expect(bytes).to.not.include(other);
  });

  it("says decommissioned when a disclosed event sold the unit", async () => {
    const { bundle, readRoot } = await disclosedProofLedger("retail_selling");
    expect((await verifyBundle(bundle, readRoot, { keyOwner })).verdict).to.equal("decommissioned");
  });

  const tamperings: [
    string,
    (b: ProofBundle, extra: Awaited<ReturnType<typeof disclosedProofLedger>>) => void,
    RegExp,
  ][] = [
    [
      "an edited shown field (bizStep)",
      (b) => (step(b, 0).shown.bizStep = "retail_selling"),
      /custody step 1: event in capture/,
    ],
    [
      "an edited shown time",
      (b) => (step(b, 2).shown.eventTime = "2020-01-01T00:00:00.000Z"),
      /custody step 3: event in capture/,
    ],
    [
      "an edited read point",
      (b) => (step(b, 0).shown.readPoint = "https://id.gs1.org/414/9999999999994"),
      /step 1: event in capture/,
    ],
    [
      "an identifier's path with a node changed",
      (b) => (step(b, 0).identifiers[0].proof[0] = `0x${"cd".repeat(32)}`),
      /step 1: event in capture/,
    ],
    [
      "one of two identifiers' paths changed",
      (b) => (step(b, 1).identifiers[1].proof[0] = `0x${"cd".repeat(32)}`),
      /step 2: disclosed identifiers/,
    ],
    [
      "an identifier's salt changed",
      (b) => (step(b, 0).identifiers[0].salt = `0x${"00".repeat(32)}`),
      /step 1: event in capture/,
    ],
    [
      "the opaque event hash changed",
      (b) => (step(b, 0).eventHash = `0x${"ef".repeat(32)}`),
      /step 1: event in capture/,
    ],
    ["the opaque salt hash changed", (b) => (step(b, 2).saltHash = `0x${"ef".repeat(32)}`), /step 3: event in capture/],
    [
      "another unit's genuine identifier in place of the code's",
      (b, x) => Object.assign(step(b, 0), { identifiers: x.otherUnit.identifiers }),
      /step 1: names the code/,
    ],
    [
      "the packing left out, so the pallet is no container of the unit",
      (b) => b.custody.splice(1, 1),
      /names the code|item in handover/,
    ],
    [
      "the other pallet of the handover in place of the unit's",
      (b, x) =>
        Object.assign(b.custody[3] as HandoverStep, {
          item: OTHER_SSCC,
          itemSalt: itemSalt(x.handoverSalt, 1),
          itemProof: x.items.proof(1),
        }),
      /step 4: item in handover/,
    ],
    [
      "the receiver's countersignature in the sender's place (a key of participant 4, not 3)",
      (b) => {
        const h = b.custody[3] as HandoverStep;
        h.senderSignature = h.receiverSignature;
      },
      /step 4: sender signature/,
    ],
    [
      "the handover readdressed to another participant",
      (b) => Object.assign((b.custody[3] as HandoverStep).handover, { toParticipant: 2 }),
      /step 4: sender signature; custody step 4: receiver signature; custody step 4: handover in commitment/,
    ],
  ];
  for (const [what, tamper, failing] of tamperings) {
    it(`is unverifiable with ${what}, naming the failed check`, async () => {
      const ledger = await disclosedProofLedger();
      const b = clone(ledger.bundle);
      tamper(b, ledger);
      await expectUnverifiable(b, ledger.readRoot, failing);
    });
  }

  it("cannot vouch for a participant-addressed handover without asking whose keys signed it", async () => {
    const { bundle, readRoot } = await disclosedProofLedger();
    const v = await verifyBundle(bundle, readRoot);
    expect(v.verdict).to.equal("unverifiable");
    expect(v.checks.filter((c) => !c.ok).map((c) => c.detail)).to.deep.equal([
      `signed by ${sender.address}; whose key that is could not be asked`,
      `signed by ${receiver.address}; whose key that is could not be asked`,
    ]);
  });

  it("refuses a salted handover item proven as a format-1 item, and an item with another item's salt", async () => {
    const ledger = await disclosedProofLedger();
    for (const change of [{ itemSalt: undefined }, { itemSalt: itemSalt(ledger.handoverSalt, 1) }]) {
      const b = clone(ledger.bundle);
      Object.assign(b.custody[3] as HandoverStep, change);
      if (change.itemSalt === undefined) delete (b.custody[3] as Partial<HandoverStep>).itemSalt;
      const v = await verifyBundle(b, ledger.readRoot, { keyOwner });
      expect(v.verdict).to.equal("unverifiable");
      expect(v.checks.find((c) => !c.ok)?.name).to.equal("custody step 4: item in handover");
    }
  });

  it("verifies a format-1 step as recorded, with its details flagged as the server's word", async () => {
    const { bundle, readRoot } = await disclosedProofLedger();
    const v = await verifyBundle(bundle, readRoot, { keyOwner });
    expect(v.checks.find((c) => c.name === "custody step 1: event in capture")?.detail).to.equal("included");
    const recorded = clone(bundle);
    const s = step(recorded, 0);
    Object.assign(s, { kind: "recorded_event", identifiers: undefined, saltHash: undefined });
    delete (s as Partial<DisclosedEventStep>).identifiers;
    delete (s as Partial<DisclosedEventStep>).saltHash;
    // a v2 leaf can never pass for a format-1 leaf (a 32-byte message against a 128-byte one)
    const w = await verifyBundle(recorded, readRoot, { keyOwner });
    expect(w.verdict).to.equal("unverifiable");
    expect(w.checks.find((c) => !c.ok)?.name).to.equal("custody step 1: event in capture");
    expect((s as { eventHash: Hex }).eventHash).to.match(/^0x/);
  });
});
