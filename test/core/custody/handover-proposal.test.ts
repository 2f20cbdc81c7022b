/* eslint-disable @typescript-eslint/no-explicit-any -- proposals are tampered with field by field */
import { expect } from "chai";
import fc from "fast-check";
import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "../../../src/core/bytes";
import { signHandoverProposal, countersignProposal } from "../../../src/client/handover-proposals";
import { participantHandoverSigner } from "../../../src/core/custody/eip712";
import {
  checkProposalItems,
  proposalId,
  readHandoverProposal,
  receivedDifference,
} from "../../../src/core/custody/handover-proposal";
import { IntegrityError, ValidationError } from "../../../src/core/errors";

const sender = privateKeyToAccount(("0x" + "41".repeat(32)) as Hex);
const dock = privateKeyToAccount(("0x" + "42".repeat(32)) as Hex);
const domain = { chainId: 31337, verifyingContract: "0x000000000000000000000000000000000000c0fe" as const };
const unit = (s: string) => `https://id.gs1.org/01/10614141073464/21/${s}`;

async function proposal(items = [unit("P1"), unit("P2")]) {
  return signHandoverProposal({
    account: sender,
    domain,
    fromParticipant: 3,
    toParticipant: 4,
    items,
    shipmentRef: "DESADV-9",
  });
}

describe("core/custody handover proposals", () => {
  it("reads back a signed proposal whose items give its root, and whose id is its signed digest", async () => {
    const json = await proposal();
    const read = readHandoverProposal(JSON.parse(JSON.stringify(json)));
    checkProposalItems(read);
    expect(await participantHandoverSigner(domain, read.handover, read.senderSignature)).to.equal(sender.address);
    expect(proposalId(domain, read)).to.match(/^0x[0-9a-f]{64}$/);
  });

  const tampered: [string, (p: Record<string, any>) => void, string][] = [
    ["an unknown field", (p) => (p.note = "x"), "/note"],
    ["a key-addressed sender", (p) => (p.handover.from = sender.address), "/handover/from"],
    ["participant 0", (p) => (p.handover.toParticipant = 0), "/handover/toParticipant"],
    ["a sender that is its own receiver", (p) => (p.handover.toParticipant = 3), "/handover/toParticipant"],
    ["no items", (p) => (p.items = []), "/items"],
    ["an item that is not text", (p) => (p.items = [7]), "/items/0"],
    ["a shipment reference of 201 characters", (p) => (p.shipmentRef = "x".repeat(201)), "/shipmentRef"],
    ["a short salt", (p) => (p.salt = "0x12"), "/salt"],
    ["a time past uint64", (p) => (p.handover.deadline = "18446744073709551616"), "/handover/deadline"],
    ["a signature of 64 bytes", (p) => (p.senderSignature = "0x" + "11".repeat(64)), "/senderSignature"],
  ];
  for (const [what, change, pointer] of tampered) {
    it(`refuses ${what}, naming ${pointer}`, async () => {
      const json = JSON.parse(JSON.stringify(await proposal()));
      change(json);
      expect(() => readHandoverProposal(json))
        .to.throw(ValidationError)
        .with.property("field", pointer);
    });
  }

  it("refuses items, a count or a shipment reference the signature does not cover", async () => {
    for (const change of [
      (p: Record<string, any>) => (p.items = [unit("P1"), unit("P3")]),
      (p: Record<string, any>) => (p.items = [unit("P1")]),
      (p: Record<string, any>) => (p.shipmentRef = "DESADV-10"),
    ]) {
      const json = JSON.parse(JSON.stringify(await proposal()));
      change(json);
      expect(() => checkProposalItems(readHandoverProposal(json))).to.throw(ValidationError);
    }
  });

  it("countersigns only the proposal it was shown, addressed to its own participant", async () => {
    const json = await proposal();
    const id = proposalId(domain, readHandoverProposal(json));
    const signature = await countersignProposal({ account: dock, domain, proposal: json, id, participant: 4 });
    expect(await participantHandoverSigner(domain, readHandoverProposal(json).handover, signature)).to.equal(
      dock.address,
    );
    const other = "0x" + "ab".repeat(32);
    for (const [proposalIdGiven, participant] of [
      [other, 4],
      [id, 5],
    ] as const) {
      let error: unknown;
      try {
        await countersignProposal({ account: dock, domain, proposal: json, id: proposalIdGiven, participant });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(IntegrityError);
    }
  });

  it("finds no difference between a list and any reordering of it in any identifier form, and names each one added or left out", () => {
    const serials = fc.uniqueArray(fc.stringMatching(/^[A-Z0-9]{1,8}$/), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(serials, fc.nat(), fc.integer({ min: 0, max: 19 }), (list, seed, drop) => {
        const proposed = list.map(unit);
        const urn = (s: string) => `urn:epc:id:sgtin:0614141.107346.${s}`;
        const shuffled = [...list].sort(() => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 3) - 1);
        expect(
          receivedDifference(
            proposed,
            shuffled.map((s, i) => (i % 2 ? urn(s) : unit(s))),
          ),
        ).to.deep.equal({
          missing: [],
          extra: [],
        });
        const left = drop % list.length;
        const received = [...proposed.filter((_, i) => i !== left), unit("EXTRA-1")];
        expect(receivedDifference(proposed, received)).to.deep.equal({
          missing: [proposed[left]],
          extra: [unit("EXTRA-1")],
        });
      }),
    );
  });
});
