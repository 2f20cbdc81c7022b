import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployLedger, gln, Kind, BRAND_PREFIX, GTIN, OTHER_GTIN } from "./fixtures";

describe("ParticipantRegistry", () => {
  describe("registering participants", () => {
    it("registers a participant with its kind, GLN and name and emits ParticipantRegistered", async () => {
      const { registry } = await loadFixture(deployLedger);
      const g = gln("999999900000");
      await expect(registry.registerParticipant(Kind.Retailer, g, "Corner Pharmacy"))
        .to.emit(registry, "ParticipantRegistered")
        .withArgs(8, Kind.Retailer, g, "Corner Pharmacy");
      const p = await registry.participant(8);
      expect([p.kind, p.active, p.gln, p.name]).to.deep.equal([BigInt(Kind.Retailer), true, g, "Corner Pharmacy"]);
      expect(await registry.participantCount()).to.equal(8);
    });

    it("refuses a GLN with a wrong check digit, naming it", async () => {
      const { registry } = await loadFixture(deployLedger);
      const bad = gln("999999900000") + 1n;
      await expect(registry.registerParticipant(Kind.Retailer, bad, "X"))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryInvalidGln")
        .withArgs(bad);
    });

    it("refuses a GLN longer than 13 digits and an empty name", async () => {
      const { registry } = await loadFixture(deployLedger);
      await expect(registry.registerParticipant(Kind.Retailer, 10n ** 13n, "X"))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryInvalidGln")
        .withArgs(10n ** 13n);
      await expect(registry.registerParticipant(Kind.Retailer, gln("999999900000"), "")).to.be.revertedWithCustomError(
        registry,
        "ParticipantRegistryEmptyName",
      );
    });

    it("lets only governance register participants", async () => {
      const { registry, signers } = await loadFixture(deployLedger);
      await expect(
        registry.connect(signers.brandKey).registerParticipant(Kind.Brand, gln("999999900000"), "Rogue"),
      ).to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount");
    });

    it("refuses reading an unknown participant", async () => {
      const { registry } = await loadFixture(deployLedger);
      await expect(registry.participant(0))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryUnknownParticipant")
        .withArgs(0);
      await expect(registry.participant(99))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryUnknownParticipant")
        .withArgs(99);
    });
  });

  describe("suspending participants", () => {
    it("deactivates and reactivates a participant, and its keys follow", async () => {
      const { registry, ids, signers } = await loadFixture(deployLedger);
      await expect(registry.setParticipantActive(ids.sender, false))
        .to.emit(registry, "ParticipantDeactivated")
        .withArgs(ids.sender);
      expect(await registry.participantOfKey(signers.senderKey.address)).to.deep.equal([ids.sender, false]);
      await expect(registry.setParticipantActive(ids.sender, true))
        .to.emit(registry, "ParticipantReactivated")
        .withArgs(ids.sender);
      expect(await registry.participantOfKey(signers.senderKey.address)).to.deep.equal([ids.sender, true]);
    });

    it("refuses setting the status it already has", async () => {
      const { registry, ids } = await loadFixture(deployLedger);
      await expect(registry.setParticipantActive(ids.sender, true))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryStatusUnchanged")
        .withArgs(ids.sender, true);
    });
  });

  describe("keys", () => {
    it("answers which participant a key belongs to, and 0 for an unknown key", async () => {
      const { registry, ids, signers } = await loadFixture(deployLedger);
      expect(await registry.participantOfKey(signers.brandKey.address)).to.deep.equal([ids.brand, true]);
      expect(await registry.participantOfKey(signers.outsider.address)).to.deep.equal([0n, false]);
      expect(await registry.keyStanding(signers.relayerKey.address)).to.deep.equal([
        ids.relayer,
        BigInt(Kind.Relayer),
        true,
      ]);
    });

    it("lets a participant's own active key add a device key, but not another participant's", async () => {
      const { registry, ids, signers } = await loadFixture(deployLedger);
      await expect(registry.connect(signers.senderKey).addKey(ids.sender, signers.spareKey.address))
        .to.emit(registry, "KeyAdded")
        .withArgs(ids.sender, signers.spareKey.address);
      await expect(registry.connect(signers.senderKey).addKey(ids.receiver, signers.outsider.address))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryUnauthorizedKeyManager")
        .withArgs(signers.senderKey.address, ids.receiver);
    });

    it("refuses the zero key and a key bound to someone already", async () => {
      const { registry, ids, signers } = await loadFixture(deployLedger);
      await expect(registry.addKey(ids.sender, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        registry,
        "ParticipantRegistryZeroKey",
      );
      await expect(registry.addKey(ids.sender, signers.brandKey.address))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryKeyAlreadyRegistered")
        .withArgs(signers.brandKey.address, ids.brand);
    });

    it("refuses adding a key to an unknown participant", async () => {
      const { registry, signers } = await loadFixture(deployLedger);
      await expect(registry.addKey(42, signers.spareKey.address))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryUnknownParticipant")
        .withArgs(42);
    });

    it("revokes a key for good: it reads inactive and cannot be revoked or re-added", async () => {
      const { registry, ids, signers } = await loadFixture(deployLedger);
      await expect(registry.connect(signers.senderKey).revokeKey(signers.senderKey.address))
        .to.emit(registry, "KeyRevoked")
        .withArgs(ids.sender, signers.senderKey.address);
      expect(await registry.participantOfKey(signers.senderKey.address)).to.deep.equal([ids.sender, false]);
      await expect(registry.revokeKey(signers.senderKey.address))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryKeyAlreadyRevoked")
        .withArgs(signers.senderKey.address);
      await expect(registry.addKey(ids.sender, signers.senderKey.address))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryKeyAlreadyRegistered")
        .withArgs(signers.senderKey.address, ids.sender);
    });

    it("refuses revoking an unknown key, and revoking by a revoked key", async () => {
      const { registry, ids, signers } = await loadFixture(deployLedger);
      await expect(registry.revokeKey(signers.outsider.address))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryUnknownKey")
        .withArgs(signers.outsider.address);
      await registry.addKey(ids.sender, signers.spareKey.address);
      await registry.revokeKey(signers.senderKey.address);
      await expect(registry.connect(signers.senderKey).revokeKey(signers.spareKey.address))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryUnauthorizedKeyManager")
        .withArgs(signers.senderKey.address, ids.sender);
    });
  });

  describe("company prefixes", () => {
    it("finds the brand of a GTIN by its company prefix, and none for an unassigned one", async () => {
      const { registry, ids } = await loadFixture(deployLedger);
      expect(await registry.brandOfGtin(GTIN)).to.equal(ids.brand);
      expect(await registry.brandOfGtin(OTHER_GTIN)).to.equal(ids.otherBrand);
      expect(await registry.brandOfGtin(95060001343520n)).to.equal(0);
      expect(await registry.brandOfPrefix(BRAND_PREFIX)).to.equal(ids.brand);
    });

    it("emits PrefixAssigned and PrefixUnassigned, and a taken-back prefix owns nothing", async () => {
      const { registry, ids } = await loadFixture(deployLedger);
      await expect(registry.assignPrefix("950600013", ids.brand))
        .to.emit(registry, "PrefixAssigned")
        .withArgs(ids.brand, "950600013");
      await expect(registry.unassignPrefix("950600013"))
        .to.emit(registry, "PrefixUnassigned")
        .withArgs(ids.brand, "950600013");
      expect(await registry.brandOfPrefix("950600013")).to.equal(0);
      await expect(registry.unassignPrefix("950600013"))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryPrefixNotAssigned")
        .withArgs("950600013");
    });

    const badPrefixes = ["12345", "1234567890123", "06141a1", ""];
    for (const bad of badPrefixes) {
      it(`refuses the malformed prefix ${JSON.stringify(bad)}`, async () => {
        const { registry, ids } = await loadFixture(deployLedger);
        await expect(registry.assignPrefix(bad, ids.brand))
          .to.be.revertedWithCustomError(registry, "ParticipantRegistryInvalidCompanyPrefix")
          .withArgs(bad);
      });
    }

    it("refuses a prefix that equals, extends or is extended by an assigned one", async () => {
      const { registry, ids } = await loadFixture(deployLedger);
      for (const p of [BRAND_PREFIX, BRAND_PREFIX + "1", BRAND_PREFIX.slice(0, 6)]) {
        await expect(registry.assignPrefix(p, ids.otherBrand))
          .to.be.revertedWithCustomError(registry, "ParticipantRegistryPrefixOverlaps")
          .withArgs(p);
      }
    });

    it("frees the shorter prefixes again once a longer one is taken back", async () => {
      const { registry, ids } = await loadFixture(deployLedger);
      await registry.unassignPrefix(BRAND_PREFIX);
      await expect(registry.assignPrefix(BRAND_PREFIX.slice(0, 6), ids.otherBrand)).to.emit(registry, "PrefixAssigned");
    });

    it("assigns prefixes to brands only, and only by governance", async () => {
      const { registry, ids, signers } = await loadFixture(deployLedger);
      await expect(registry.assignPrefix("950600013", ids.producer))
        .to.be.revertedWithCustomError(registry, "ParticipantRegistryNotABrand")
        .withArgs(ids.producer);
      await expect(
        registry.connect(signers.brandKey).assignPrefix("950600013", ids.brand),
      ).to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount");
    });
  });
});
