import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import type { Address, Hex } from "viem";
import { signHandoverProposal } from "../../../src/client/handover-proposals";
import { commitmentTree } from "../../../src/core/custody/capture-tree";
import { verifyCommitmentContent, type KeyStandingAt } from "../../../src/core/custody/commitment-content";
import { participantHandoverTypedData } from "../../../src/core/custody/eip712";
import { coSignedProposalJson, proposalId, readHandoverProposal } from "../../../src/core/custody/handover-proposal";

const LOG = "0x000000000000000000000000000000000000c0fe" as const;
const domain = { chainId: 31337, verifyingContract: LOG };
const sender = privateKeyToAccount(("0x" + "51".repeat(32)) as Hex);
const dock = privateKeyToAccount(("0x" + "52".repeat(32)) as Hex);
const thirdParty = privateKeyToAccount(("0x" + "53".repeat(32)) as Hex);
const unit = (s: string) => `https://id.gs1.org/01/10614141073464/21/${s}`;

/** participant 3 (a custodian) sends, participant 4 (a retailer) receives; 5 is a bystander custodian */
const registry = new Map<string, KeyStandingAt>([
  [sender.address.toLowerCase(), { participant: 3, kind: 2, active: true }],
  [dock.address.toLowerCase(), { participant: 4, kind: 3, active: true }],
  [thirdParty.address.toLowerCase(), { participant: 5, kind: 2, active: true }],
]);
const keyAt = async (key: Address) => registry.get(key.toLowerCase()) ?? { participant: 0, kind: 0, active: false };

/** A commitment's content holding one format-3 handover, countersigned by `receiver`, edited by `edit`. */
async function content(receiver = dock, edit: (body: Record<string, unknown>) => void = () => undefined) {
  const json = await signHandoverProposal({
    account: sender,
    domain,
    fromParticipant: 3,
    toParticipant: 4,
    items: [unit("C1")],
    shipmentRef: "DESADV-C",
  });
  const proposal = readHandoverProposal(json);
  const digest = proposalId(domain, proposal);
  const body: Record<string, unknown> = {
    ...coSignedProposalJson(
      proposal,
      await receiver.signTypedData(participantHandoverTypedData(domain, proposal.handover)),
    ),
  };
  edit(body);
  const root = commitmentTree([{ kind: "handover", digest }]).root;
  const bytes = new TextEncoder().encode(
    JSON.stringify({
      type: "trackroot.commitment.v1",
      chainId: 31337,
      commitmentLog: LOG,
      relayer: 2,
      sequence: 1,
      root,
      entries: [{ kind: "handover", digest, body }],
    }),
  );
  return verifyCommitmentContent(
    bytes,
    { chainId: 31337, commitmentLog: LOG, relayer: 2, sequence: 1, root, eventCount: 1 },
    keyAt,
  );
}

describe("core/custody verifyCommitmentContent of participant-addressed handovers (format 3)", () => {
  it("accepts one countersigned by any key of the receiving participant, naming both parties and the keys that signed", async () => {
    const verdict = await content();
    expect(verdict.valid).to.equal(true);
    expect(verdict.entries[0]).to.deep.include({
      valid: true,
      sender: 3,
      receiver: 4,
      senderKey: sender.address,
      receiverKey: dock.address,
    });
  });

  const failures: [string, Parameters<typeof content>, string][] = [
    ["countersigned by a key of a third participant", [thirdParty], "signature"],
    ["without its format", [dock, (b) => delete b.format], "malformed"],
    ["of an unknown format", [dock, (b) => (b.format = 4)], "malformed"],
    ["without its salt", [dock, (b) => delete b.salt], "malformed"],
    [
      "with the sender's signature in the receiver's place",
      [dock, (b) => (b.receiverSignature = b.senderSignature)],
      "signature",
    ],
  ];
  for (const [what, args, failure] of failures) {
    it(`refuses one ${what} (${failure}), and custody does not pass`, async () => {
      const verdict = await content(...args);
      expect(verdict.entries[0]).to.deep.include({ valid: false, failure });
    });
  }

  it("refuses one whose receiving key was revoked when it was committed", async () => {
    registry.set(dock.address.toLowerCase(), { participant: 4, kind: 3, active: false });
    try {
      expect((await content()).entries[0]).to.deep.include({ valid: false, failure: "key_inactive" });
    } finally {
      registry.set(dock.address.toLowerCase(), { participant: 4, kind: 3, active: true });
    }
  });
});
