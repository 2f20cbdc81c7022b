import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "../../../src/core/bytes";
import {
  captureDigest,
  handoverDigest,
  captureTypedData,
  handoverTypedData,
  participantHandoverDigest,
  participantHandoverSigner,
  participantHandoverTypedData,
  CUSTODY_TYPES,
  verifyCaptureSignature,
  verifyHandoverSignatures,
  type Capture,
  type Handover,
  type ParticipantHandover,
} from "../../../src/core/custody/eip712";
import { TypedDataEncoder } from "ethers";
import vectors from "../../vectors/eip712.json";

const sender = privateKeyToAccount(("0x" + "11".repeat(32)) as Hex);
const receiver = privateKeyToAccount(("0x" + "22".repeat(32)) as Hex);

describe("core/custody EIP-712", () => {
  for (const v of vectors.domains) {
    it(`reproduces the shared digests on chain ${v.domain.chainId} (the contract tests check the same file)`, () => {
      for (const c of v.captures) {
        expect(
          captureDigest(v.domain as never, {
            ...(c.capture as unknown as Capture),
            issuedAt: BigInt(c.capture.issuedAt),
          }),
        ).to.equal(c.digest);
      }
      for (const h of v.handovers) {
        const handover = {
          ...(h.handover as unknown as Handover),
          eventTime: BigInt(h.handover.eventTime),
          deadline: BigInt(h.handover.deadline),
        };
        expect(handoverDigest(v.domain as never, handover)).to.equal(h.digest);
      }
      for (const h of v.participantHandovers) {
        const handover = {
          ...(h.handover as unknown as ParticipantHandover),
          eventTime: BigInt(h.handover.eventTime),
          deadline: BigInt(h.handover.deadline),
        };
        expect(participantHandoverDigest(v.domain as never, handover)).to.equal(h.digest);
        // and a second, independent EIP-712 implementation agrees
        const independent = TypedDataEncoder.hash(
          { name: "trackroot", version: "1", ...v.domain },
          { ParticipantHandover: CUSTODY_TYPES.ParticipantHandover.map((f) => ({ ...f })) },
          h.handover,
        );
        expect(independent).to.equal(h.digest);
      }
    });
  }

  const domain = { chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const };
  const handover: Handover = {
    handoverId: ("0x" + "01".repeat(32)) as Hex,
    from: sender.address,
    to: receiver.address,
    itemsRoot: ("0x" + "02".repeat(32)) as Hex,
    itemCount: 3,
    shipmentRefHash: ("0x" + "03".repeat(32)) as Hex,
    eventTime: 1n,
    deadline: 2n,
  };

  it("verifies a capture signed by its submitter and refuses one signed by another key", async () => {
    const capture: Capture = {
      submitter: sender.address,
      eventsRoot: ("0x" + "04".repeat(32)) as Hex,
      eventCount: 2,
      nonce: ("0x" + "05".repeat(32)) as Hex,
      issuedAt: 10n,
    };
    const good = await sender.signTypedData(captureTypedData(domain, capture));
    const bad = await receiver.signTypedData(captureTypedData(domain, capture));
    expect(await verifyCaptureSignature(domain, capture, good)).to.equal(true);
    expect(await verifyCaptureSignature(domain, capture, bad)).to.equal(false);
    expect(await verifyCaptureSignature(domain, { ...capture, eventCount: 3 }, good)).to.equal(false);
    expect(await verifyCaptureSignature({ ...domain, chainId: 1 }, capture, good)).to.equal(false);
    expect(await verifyCaptureSignature(domain, capture, "0xdead")).to.equal(false);
  });

  it("checks both handover signatures, and swapped ones fail both", async () => {
    const s = await sender.signTypedData(handoverTypedData(domain, handover));
    const r = await receiver.signTypedData(handoverTypedData(domain, handover));
    expect(await verifyHandoverSignatures(domain, handover, s, r)).to.deep.equal({ sender: true, receiver: true });
    expect(await verifyHandoverSignatures(domain, handover, r, s)).to.deep.equal({ sender: false, receiver: false });
    expect(await verifyHandoverSignatures(domain, handover, s, s)).to.deep.equal({ sender: true, receiver: false });
  });

  it("recovers whichever key signed a participant handover, and no key from a malformed or high-s signature", async () => {
    const addressed: ParticipantHandover = {
      handoverId: ("0x" + "01".repeat(32)) as Hex,
      fromParticipant: 3,
      toParticipant: 4,
      itemsRoot: ("0x" + "02".repeat(32)) as Hex,
      itemCount: 3,
      shipmentRefHash: ("0x" + "03".repeat(32)) as Hex,
      eventTime: 1n,
      deadline: 2n,
    };
    const typed = participantHandoverTypedData(domain, addressed);
    const s = await sender.signTypedData(typed);
    const r = await receiver.signTypedData(typed);
    expect(await participantHandoverSigner(domain, addressed, s)).to.equal(sender.address);
    expect(await participantHandoverSigner(domain, addressed, r)).to.equal(receiver.address);
    expect(await participantHandoverSigner(domain, { ...addressed, toParticipant: 5 }, r)).not.to.equal(
      receiver.address,
    );
    expect(await participantHandoverSigner(domain, addressed, "0x1234")).to.equal(null);
    // the same signature with s flipped to the high half: valid ECDSA, but not the canonical form
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const high = n - BigInt("0x" + s.slice(66, 130));
    const flipped = (s.slice(0, 66) + high.toString(16).padStart(64, "0") + (s.endsWith("1b") ? "1c" : "1b")) as Hex;
    expect(await participantHandoverSigner(domain, addressed, flipped)).to.equal(null);
  });
});
