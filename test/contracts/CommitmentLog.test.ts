import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import { deployLedger } from "./fixtures";
import { MerkleTree } from "../../src/core/merkle/tree";
import { COMMITMENT_LEAF_ENCODING, COMMITMENT_KIND } from "../../src/core/merkle/leaves";
import { CUSTODY_TYPES } from "../../src/core/custody/eip712";
import commitmentHashVectors from "../vectors/commitment-hash.json";
import eip712Vectors from "../vectors/eip712.json";

const CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
const root = (n: number) => ethers.keccak256(ethers.toUtf8Bytes(`batch-${n}`));
const handoverTypes = { Handover: CUSTODY_TYPES.Handover.map((f) => ({ ...f })) };
const participantHandoverTypes = { ParticipantHandover: CUSTODY_TYPES.ParticipantHandover.map((f) => ({ ...f })) };

describe("CommitmentLog", () => {
  async function withHandover() {
    const ledger = await deployLedger();
    const { log, signers } = ledger;
    const handover = {
      handoverId: ethers.id("handover-1"),
      from: signers.senderKey.address,
      to: signers.receiverKey.address,
      itemsRoot: ethers.id("items"),
      itemCount: 48,
      shipmentRefHash: ethers.id("ASN-1099"),
      eventTime: 1_767_225_600n,
      deadline: 1_767_312_000n,
    };
    const domain = {
      name: "trackroot",
      version: "1",
      chainId: network.config.chainId!,
      verifyingContract: await log.getAddress(),
    };
    const sign = (s: Signer, d = domain) => s.signTypedData(d, handoverTypes, handover);
    const digest = await log.hashHandover(handover);
    const tree = MerkleTree.of(
      [
        [COMMITMENT_KIND.handover, digest],
        [COMMITMENT_KIND.capture, ethers.id("capture-a")],
        [COMMITMENT_KIND.capture, ethers.id("capture-b")],
      ],
      COMMITMENT_LEAF_ENCODING,
    );
    await log.connect(signers.relayerKey).commit(1, tree.root, 3, CID, ethers.ZeroHash);
    return {
      ...ledger,
      handover,
      domain,
      sign,
      tree,
      senderSig: await sign(signers.senderKey),
      receiverSig: await sign(signers.receiverKey),
    };
  }

  describe("commit", () => {
    it("appends a hash chain: sequence 1 names the zero hash, sequence 2 names the first's hash", async () => {
      const { log, signers, ids } = await loadFixture(deployLedger);
      const relayer = log.connect(signers.relayerKey);
      await expect(relayer.commit(1, root(1), 10, CID, ethers.ZeroHash)).to.emit(log, "CommitmentAppended");
      const [seq, head] = await log.head(ids.relayer);
      expect(seq).to.equal(1);
      const first = await log.commitment(ids.relayer, 1);
      expect(first.hash).to.equal(head);
      const expected = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(
          ["uint256", "address", "uint32", "uint64", "bytes32", "uint32", "bytes32", "bytes32"],
          [
            network.config.chainId,
            await log.getAddress(),
            ids.relayer,
            1,
            root(1),
            10,
            ethers.id(CID),
            ethers.ZeroHash,
          ],
        ),
      );
      expect(first.hash).to.equal(expected);
      await expect(relayer.commit(2, root(2), 5, CID, head))
        .to.emit(log, "CommitmentAppended")
        .withArgs(ids.relayer, 2, root(2), 5, CID, head, (h: string) => h !== ethers.ZeroHash);
      expect((await log.commitment(ids.relayer, 2)).previousHash).to.equal(head);
      expect(await log.locateRoot(root(2))).to.deep.equal([ids.relayer, 2n]);
      expect(await log.locateRoot(root(3))).to.deep.equal([0n, 0n]);
    });

    it("refuses a repeated sequence and a skipped one, each with its own error", async () => {
      const { log, signers, ids } = await loadFixture(deployLedger);
      const relayer = log.connect(signers.relayerKey);
      await relayer.commit(1, root(1), 1, CID, ethers.ZeroHash);
      const [, head] = await log.head(ids.relayer);
      await expect(relayer.commit(1, root(2), 1, CID, head))
        .to.be.revertedWithCustomError(log, "CommitmentLogSequenceRepeated")
        .withArgs(ids.relayer, 2, 1);
      await expect(relayer.commit(3, root(2), 1, CID, head))
        .to.be.revertedWithCustomError(log, "CommitmentLogSequenceSkipped")
        .withArgs(ids.relayer, 2, 3);
      await expect(relayer.commit(0, root(2), 1, CID, head))
        .to.be.revertedWithCustomError(log, "CommitmentLogSequenceRepeated")
        .withArgs(ids.relayer, 2, 0);
    });

    it("refuses a previous hash that is not the head", async () => {
      const { log, signers, ids } = await loadFixture(deployLedger);
      const relayer = log.connect(signers.relayerKey);
      await relayer.commit(1, root(1), 1, CID, ethers.ZeroHash);
      const [, head] = await log.head(ids.relayer);
      await expect(relayer.commit(2, root(2), 1, CID, ethers.ZeroHash))
        .to.be.revertedWithCustomError(log, "CommitmentLogPreviousHashMismatch")
        .withArgs(ids.relayer, head, ethers.ZeroHash);
    });

    it("refuses a zero root, zero events, an empty CID and a root committed before", async () => {
      const { log, signers, ids } = await loadFixture(deployLedger);
      const relayer = log.connect(signers.relayerKey);
      await expect(relayer.commit(1, ethers.ZeroHash, 1, CID, ethers.ZeroHash)).to.be.revertedWithCustomError(
        log,
        "CommitmentLogZeroRoot",
      );
      await expect(relayer.commit(1, root(1), 0, CID, ethers.ZeroHash)).to.be.revertedWithCustomError(
        log,
        "CommitmentLogZeroCount",
      );
      await expect(relayer.commit(1, root(1), 1, "", ethers.ZeroHash)).to.be.revertedWithCustomError(
        log,
        "CommitmentLogEmptyCid",
      );
      await relayer.commit(1, root(1), 1, CID, ethers.ZeroHash);
      const [, head] = await log.head(ids.relayer);
      await expect(relayer.commit(2, root(1), 1, CID, head))
        .to.be.revertedWithCustomError(log, "CommitmentLogRootAlreadyCommitted")
        .withArgs(root(1), ids.relayer, 1);
    });

    it("refuses a non-relayer, an outsider and a revoked relayer key", async () => {
      const { log, registry, signers } = await loadFixture(deployLedger);
      for (const who of [signers.brandKey, signers.senderKey, signers.outsider]) {
        await expect(log.connect(who).commit(1, root(1), 1, CID, ethers.ZeroHash))
          .to.be.revertedWithCustomError(log, "CommitmentLogNotARelayerKey")
          .withArgs(who.address);
      }
      await registry.revokeKey(signers.relayerKey.address);
      await expect(log.connect(signers.relayerKey).commit(1, root(1), 1, CID, ethers.ZeroHash))
        .to.be.revertedWithCustomError(log, "CommitmentLogNotARelayerKey")
        .withArgs(signers.relayerKey.address);
    });

    it("refuses reading a commitment that does not exist", async () => {
      const { log, ids } = await loadFixture(deployLedger);
      await expect(log.commitment(ids.relayer, 1))
        .to.be.revertedWithCustomError(log, "CommitmentLogUnknownCommitment")
        .withArgs(ids.relayer, 1);
    });

    it("costs the same to commit a batch of 10 events as of 1,000,000", async () => {
      const { log, signers, ids } = await loadFixture(deployLedger);
      const relayer = log.connect(signers.relayerKey);
      await relayer.commit(1, root(1), 1, CID, ethers.ZeroHash);
      const execGas = async (seq: number, count: number) => {
        const [, head] = await log.head(ids.relayer);
        const tx = await relayer.commit(seq, root(seq), count, CID, head);
        const intrinsic = 21000n + ethers.getBytes(tx.data).reduce((s, b) => s + (b === 0 ? 4n : 16n), 0n);
        return (await tx.wait())!.gasUsed - intrinsic;
      };
      expect(await execGas(2, 10)).to.equal(await execGas(3, 1_000_000));
    });
  });

  describe("commitment hash", () => {
    it("records the shared vector's hashes, each chained to the one before (contracts/libraries/CommitmentHash.sol)", async () => {
      const { log, signers, ids } = await loadFixture(deployLedger);
      const [first] = commitmentHashVectors.commitments;
      // the contract's code at the vector's address: the hash binds the log's address
      await network.provider.send("hardhat_setCode", [
        first.input.commitmentLog,
        await ethers.provider.getCode(await log.getAddress()),
      ]);
      const atVector = log.attach(first.input.commitmentLog).connect(signers.relayerKey) as typeof log;
      expect(network.config.chainId).to.equal(first.input.chainId);
      expect(ids.relayer).to.equal(BigInt(first.input.relayer));
      for (const v of commitmentHashVectors.commitments) {
        const c = v.input;
        await expect(atVector.commit(c.sequence, c.root, c.eventCount, c.contentCid, c.previousHash))
          .to.emit(atVector, "CommitmentAppended")
          .withArgs(c.relayer, c.sequence, c.root, c.eventCount, c.contentCid, c.previousHash, v.hash);
        expect((await atVector.commitment(c.relayer, c.sequence)).hash).to.equal(v.hash);
      }
    });
  });

  describe("EIP-712 digests", () => {
    for (const [i, v] of eip712Vectors.domains.entries()) {
      it(`reproduces the shared capture and handover digests of domain ${i} (chain ${v.domain.chainId})`, async () => {
        const { log } = await loadFixture(deployLedger);
        // the contract's code at the vector's address and chain: the domain separator follows both
        await network.provider.send("hardhat_setCode", [
          v.domain.verifyingContract,
          await ethers.provider.getCode(await log.getAddress()),
        ]);
        const atVector = log.attach(v.domain.verifyingContract) as typeof log;
        if (v.domain.chainId !== network.config.chainId) {
          // a digest under another chain id must differ from the vector's (the domain binds the chain)
          for (const c of v.captures) expect(await atVector.hashCapture(c.capture)).not.to.equal(c.digest);
          return;
        }
        for (const c of v.captures) expect(await atVector.hashCapture(c.capture)).to.equal(c.digest);
        for (const h of v.handovers) expect(await atVector.hashHandover(h.handover)).to.equal(h.digest);
        for (const h of v.participantHandovers) {
          expect(await atVector.hashParticipantHandover(h.handover)).to.equal(h.digest);
        }
      });
    }
  });

  describe("verifyHandover", () => {
    const Check = {
      Valid: 0,
      UnknownCommitment: 1,
      NotIncluded: 2,
      SenderSignatureInvalid: 3,
      ReceiverSignatureInvalid: 4,
      SenderKeyInactive: 5,
      ReceiverKeyInactive: 6,
    };

    it("accepts a handover signed by both parties and included in the commitment", async () => {
      const { log, handover, senderSig, receiverSig, tree, ids } = await loadFixture(withHandover);
      expect(await log.verifyHandover(handover, senderSig, receiverSig, ids.relayer, 1, tree.proof(0))).to.equal(
        Check.Valid,
      );
    });

    it("names the first failing check for each forgery", async () => {
      const { log, handover, senderSig, receiverSig, tree, ids, sign, signers, domain } =
        await loadFixture(withHandover);
      const proof = tree.proof(0);
      const cases: [string, Promise<bigint>, number][] = [
        [
          "an unknown commitment",
          log.verifyHandover(handover, senderSig, receiverSig, ids.relayer, 2, proof),
          Check.UnknownCommitment,
        ],
        [
          "another entry's proof",
          log.verifyHandover(handover, senderSig, receiverSig, ids.relayer, 1, tree.proof(1)),
          Check.NotIncluded,
        ],
        [
          "an altered item count",
          log.verifyHandover({ ...handover, itemCount: 49 }, senderSig, receiverSig, ids.relayer, 1, proof),
          Check.NotIncluded,
        ],
        [
          "swapped signatures",
          log.verifyHandover(handover, receiverSig, senderSig, ids.relayer, 1, proof),
          Check.SenderSignatureInvalid,
        ],
        [
          "a wrong signer for the sender",
          log.verifyHandover(handover, await sign(signers.outsider), receiverSig, ids.relayer, 1, proof),
          Check.SenderSignatureInvalid,
        ],
        [
          "a wrong signer for the receiver",
          log.verifyHandover(handover, senderSig, await sign(signers.outsider), ids.relayer, 1, proof),
          Check.ReceiverSignatureInvalid,
        ],
        [
          "a signature for another chain id",
          log.verifyHandover(
            handover,
            await sign(signers.senderKey, { ...domain, chainId: 1 }),
            receiverSig,
            ids.relayer,
            1,
            proof,
          ),
          Check.SenderSignatureInvalid,
        ],
        [
          "a signature for another verifying contract",
          log.verifyHandover(
            handover,
            senderSig,
            await sign(signers.receiverKey, { ...domain, verifyingContract: ethers.ZeroAddress }),
            ids.relayer,
            1,
            proof,
          ),
          Check.ReceiverSignatureInvalid,
        ],
        [
          "a malformed signature",
          log.verifyHandover(handover, "0x1234", receiverSig, ids.relayer, 1, proof),
          Check.SenderSignatureInvalid,
        ],
      ];
      for (const [what, result, expected] of cases) expect(await result, what).to.equal(expected);
    });

    it("reports a revoked sender key and a suspended receiver", async () => {
      const { log, registry, handover, senderSig, receiverSig, tree, ids, signers } = await loadFixture(withHandover);
      await registry.revokeKey(signers.senderKey.address);
      expect(await log.verifyHandover(handover, senderSig, receiverSig, ids.relayer, 1, tree.proof(0))).to.equal(
        Check.SenderKeyInactive,
      );
      await registry.addKey(ids.sender, signers.spareKey.address);
      const fresh = { ...handover, from: signers.spareKey.address };
      const digest = await log.hashHandover(fresh);
      const t2 = MerkleTree.of([[COMMITMENT_KIND.handover, digest]], COMMITMENT_LEAF_ENCODING);
      const [, head] = await log.head(ids.relayer);
      await log.connect(signers.relayerKey).commit(2, t2.root, 1, CID, head);
      const domain = {
        name: "trackroot",
        version: "1",
        chainId: network.config.chainId!,
        verifyingContract: await log.getAddress(),
      };
      const s1 = await signers.spareKey.signTypedData(domain, handoverTypes, fresh);
      const s2 = await signers.receiverKey.signTypedData(domain, handoverTypes, fresh);
      await registry.setParticipantActive(ids.receiver, false);
      expect(await log.verifyHandover(fresh, s1, s2, ids.relayer, 2, [])).to.equal(Check.ReceiverKeyInactive);
    });
  });

  describe("verifyParticipantHandover", () => {
    const Check = {
      Valid: 0,
      UnknownCommitment: 1,
      NotIncluded: 2,
      SenderSignatureInvalid: 3,
      ReceiverSignatureInvalid: 4,
      SenderKeyInactive: 5,
      ReceiverKeyInactive: 6,
      SenderKeyNotOfParticipant: 7,
      ReceiverKeyNotOfParticipant: 8,
    };

    /** A handover from participant `sender` to `receiver`, committed alone at sequence 1. */
    async function withParticipantHandover() {
      const ledger = await deployLedger();
      const { log, signers, ids } = ledger;
      const handover = {
        handoverId: ethers.id("handover-p1"),
        fromParticipant: ids.sender,
        toParticipant: ids.receiver,
        itemsRoot: ethers.id("items"),
        itemCount: 48,
        shipmentRefHash: ethers.id("ASN-1099"),
        eventTime: 1_767_225_600n,
        deadline: 1_767_312_000n,
      };
      const domain = {
        name: "trackroot",
        version: "1",
        chainId: network.config.chainId!,
        verifyingContract: await log.getAddress(),
      };
      const sign = (s: Signer, h = handover, d = domain) => s.signTypedData(d, participantHandoverTypes, h);
      const digest = await log.hashParticipantHandover(handover);
      const tree = MerkleTree.of(
        [
          [COMMITMENT_KIND.handover, digest],
          [COMMITMENT_KIND.capture, ethers.id("capture-a")],
        ],
        COMMITMENT_LEAF_ENCODING,
      );
      await log.connect(signers.relayerKey).commit(1, tree.root, 2, CID, ethers.ZeroHash);
      return { ...ledger, handover, domain, sign, tree, digest };
    }

    it("accepts a handover countersigned by any active key of the receiving participant", async () => {
      const { log, registry, handover, sign, tree, ids, signers } = await loadFixture(withParticipantHandover);
      // a second device of the receiver's dock
      await registry.addKey(ids.receiver, signers.spareKey.address);
      const senderSig = await sign(signers.senderKey);
      for (const device of [signers.receiverKey, signers.spareKey]) {
        expect(
          await log.verifyParticipantHandover(handover, senderSig, await sign(device), ids.relayer, 1, tree.proof(0)),
        ).to.equal(Check.Valid);
      }
    });

    it("signs a digest no key-addressed Handover of the same fields has", async () => {
      const { log, handover, digest, signers } = await loadFixture(withParticipantHandover);
      const { fromParticipant: _f, toParticipant: _t, ...rest } = handover;
      const keyed = { ...rest, from: signers.senderKey.address, to: signers.receiverKey.address };
      expect(await log.hashHandover(keyed)).not.to.equal(digest);
    });

    it("names the first failing check for each forgery", async () => {
      const { log, registry, handover, sign, tree, ids, signers, domain } = await loadFixture(withParticipantHandover);
      const proof = tree.proof(0);
      const senderSig = await sign(signers.senderKey);
      const receiverSig = await sign(signers.receiverKey);
      await registry.addKey(ids.brand, signers.spareKey.address);
      const verify = (h: typeof handover, s: string, r: string, sequence = 1, p = proof) =>
        log.verifyParticipantHandover(h, s, r, ids.relayer, sequence, p);
      const cases: [string, Promise<bigint>, number][] = [
        ["an unknown commitment", verify(handover, senderSig, receiverSig, 2), Check.UnknownCommitment],
        ["another entry's proof", verify(handover, senderSig, receiverSig, 1, tree.proof(1)), Check.NotIncluded],
        [
          "another receiving participant",
          verify({ ...handover, toParticipant: ids.producer }, senderSig, receiverSig),
          Check.NotIncluded,
        ],
        ["a malformed sender signature", verify(handover, "0x1234", receiverSig), Check.SenderSignatureInvalid],
        ["a malformed receiver signature", verify(handover, senderSig, "0x"), Check.ReceiverSignatureInvalid],
        [
          "the receiver's key signing the sender's half",
          verify(handover, receiverSig, receiverSig),
          Check.SenderKeyNotOfParticipant,
        ],
        [
          "an unregistered key countersigning",
          verify(handover, senderSig, await sign(signers.outsider)),
          Check.ReceiverKeyNotOfParticipant,
        ],
        [
          "a key of a third participant countersigning",
          verify(handover, senderSig, await sign(signers.spareKey)),
          Check.ReceiverKeyNotOfParticipant,
        ],
        [
          "a countersignature for another chain",
          verify(handover, senderSig, await sign(signers.receiverKey, handover, { ...domain, chainId: 1 })),
          Check.ReceiverKeyNotOfParticipant,
        ],
      ];
      for (const [what, result, expected] of cases) expect(await result, what).to.equal(expected);
    });

    it("refuses participant 0 even for a signature no registered key made", async () => {
      const { log, signers, ids } = await loadFixture(deployLedger);
      const handover = {
        handoverId: ethers.id("zero"),
        fromParticipant: 0n,
        toParticipant: ids.receiver,
        itemsRoot: ethers.id("items"),
        itemCount: 1,
        shipmentRefHash: ethers.ZeroHash,
        eventTime: 1n,
        deadline: 2n,
      };
      const domain = {
        name: "trackroot",
        version: "1",
        chainId: network.config.chainId!,
        verifyingContract: await log.getAddress(),
      };
      const digest = await log.hashParticipantHandover(handover);
      const leaf = MerkleTree.of([[COMMITMENT_KIND.handover, digest]], COMMITMENT_LEAF_ENCODING);
      await log.connect(signers.relayerKey).commit(1, leaf.root, 1, CID, ethers.ZeroHash);
      const s = await signers.outsider.signTypedData(domain, participantHandoverTypes, handover);
      const r = await signers.receiverKey.signTypedData(domain, participantHandoverTypes, handover);
      expect(await log.verifyParticipantHandover(handover, s, r, ids.relayer, 1, [])).to.equal(
        Check.SenderKeyNotOfParticipant,
      );
    });

    it("reports a revoked sender key and a deactivated receiver after the fact", async () => {
      const { log, registry, handover, sign, tree, ids, signers } = await loadFixture(withParticipantHandover);
      const senderSig = await sign(signers.senderKey);
      const receiverSig = await sign(signers.receiverKey);
      await registry.revokeKey(signers.senderKey.address);
      expect(
        await log.verifyParticipantHandover(handover, senderSig, receiverSig, ids.relayer, 1, tree.proof(0)),
      ).to.equal(Check.SenderKeyInactive);
      await registry.addKey(ids.sender, signers.spareKey.address);
      const fresh = await sign(signers.spareKey);
      await registry.setParticipantActive(ids.receiver, false);
      expect(await log.verifyParticipantHandover(handover, fresh, receiverSig, ids.relayer, 1, tree.proof(0))).to.equal(
        Check.ReceiverKeyInactive,
      );
    });
  });
});
