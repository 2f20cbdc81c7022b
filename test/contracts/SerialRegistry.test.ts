import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import { deployLedger, deployWithOrder, GTIN, OTHER_GTIN } from "./fixtures";
import { MerkleTree } from "../../src/core/merkle/tree";
import { codeLeafHashes } from "../../src/core/merkle/leaves";
import leafVectors from "../vectors/leaves.json";

const root = (n: number) => ethers.keccak256(ethers.toUtf8Bytes(`root-${n}`));
const CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

describe("SerialRegistry", () => {
  describe("opening orders", () => {
    it("opens an order for a GTIN under the brand's prefix and emits OrderOpened", async () => {
      const { serials, signers, ids } = await loadFixture(deployLedger);
      const erp = ethers.id("ERP-7");
      await expect(serials.connect(signers.brandKey).openOrder(GTIN, 500, "L1", 20270600, ids.producer, erp))
        .to.emit(serials, "OrderOpened")
        .withArgs(1, ids.brand, ids.producer, GTIN, 500, "L1", 20270600, erp);
      const o = await serials.order(1);
      expect([o.brand, o.producer, o.gtin, o.plannedQuantity, o.released, o.lot, o.closed]).to.deep.equal([
        ids.brand,
        ids.producer,
        GTIN,
        500n,
        0n,
        "L1",
        false,
      ]);
      expect(await serials.orderOfErpReference(ids.brand, erp)).to.equal(1);
    });

    it("lets a brand be its own producer and an order have no expiry and no ERP reference", async () => {
      const { serials, signers, ids } = await loadFixture(deployLedger);
      await serials.connect(signers.brandKey).openOrder(GTIN, 1, "L", 0, ids.brand, ethers.ZeroHash);
      await serials.connect(signers.brandKey).openOrder(GTIN, 1, "L", 0, ids.brand, ethers.ZeroHash);
      expect((await serials.counts()).orders).to.equal(2);
    });

    it("refuses an ERP reference used before by the same brand", async () => {
      const { serials, signers, ids } = await loadFixture(deployWithOrder);
      await expect(serials.connect(signers.brandKey).openOrder(GTIN, 5, "L", 0, ids.producer, ethers.id("ERP-0001")))
        .to.be.revertedWithCustomError(serials, "SerialRegistryErpReferenceUsed")
        .withArgs(ethers.id("ERP-0001"), 1);
    });

    it("refuses a brand opening an order for another brand's prefix", async () => {
      const { serials, signers, ids } = await loadFixture(deployLedger);
      await expect(serials.connect(signers.brandKey).openOrder(OTHER_GTIN, 5, "L", 0, ids.producer, ethers.ZeroHash))
        .to.be.revertedWithCustomError(serials, "SerialRegistryNotPrefixOwner")
        .withArgs(ids.brand, OTHER_GTIN);
    });

    it("refuses callers that are not active brand keys: a custodian, an outsider, a revoked brand key", async () => {
      const { serials, registry, signers, ids } = await loadFixture(deployLedger);
      for (const who of [signers.senderKey, signers.outsider]) {
        await expect(serials.connect(who).openOrder(GTIN, 5, "L", 0, ids.producer, ethers.ZeroHash))
          .to.be.revertedWithCustomError(serials, "SerialRegistryNotABrandKey")
          .withArgs(who.address);
      }
      await registry.revokeKey(signers.brandKey.address);
      await expect(serials.connect(signers.brandKey).openOrder(GTIN, 5, "L", 0, ids.producer, ethers.ZeroHash))
        .to.be.revertedWithCustomError(serials, "SerialRegistryNotABrandKey")
        .withArgs(signers.brandKey.address);
    });

    const badInputs: [
      string,
      (ids: Record<string, bigint>) => unknown[],
      string,
      (ids: Record<string, bigint>) => unknown[],
    ][] = [
      [
        "a GTIN with a wrong check digit",
        (i) => [GTIN + 1n, 5, "L", 0, i.producer],
        "SerialRegistryInvalidGtin",
        () => [GTIN + 1n],
      ],
      ["a zero quantity", (i) => [GTIN, 0, "L", 0, i.producer], "SerialRegistryZeroQuantity", () => []],
      ["an empty lot", (i) => [GTIN, 5, "", 0, i.producer], "SerialRegistryInvalidLot", () => [""]],
      [
        "a 21-character lot",
        (i) => [GTIN, 5, "L".repeat(21), 0, i.producer],
        "SerialRegistryInvalidLot",
        () => ["L".repeat(21)],
      ],
      ["month 13", (i) => [GTIN, 5, "L", 20271301, i.producer], "SerialRegistryInvalidExpiry", () => [20271301]],
      ["year 1999", (i) => [GTIN, 5, "L", 19991231, i.producer], "SerialRegistryInvalidExpiry", () => [19991231]],
      ["day 32", (i) => [GTIN, 5, "L", 20270132, i.producer], "SerialRegistryInvalidExpiry", () => [20270132]],
      [
        "a custodian as producer",
        (i) => [GTIN, 5, "L", 0, i.sender],
        "SerialRegistryInvalidProducer",
        (i) => [i.sender],
      ],
      ["an unknown producer", () => [GTIN, 5, "L", 0, 99], "SerialRegistryInvalidProducer", () => [99]],
      ["producer 0", () => [GTIN, 5, "L", 0, 0], "SerialRegistryInvalidProducer", () => [0]],
    ];
    for (const [what, args, error, errArgs] of badInputs) {
      it(`refuses ${what} with ${error}`, async () => {
        const { serials, signers, ids } = await loadFixture(deployLedger);
        const [g, q, lot, exp, producer] = args(ids);
        await expect(
          serials
            .connect(signers.brandKey)
            .openOrder(g as bigint, q as number, lot as string, exp as number, producer as bigint, ethers.ZeroHash),
        )
          .to.be.revertedWithCustomError(serials, error)
          .withArgs(...errArgs(ids));
      });
    }

    it("refuses a suspended producer", async () => {
      const { serials, registry, signers, ids } = await loadFixture(deployLedger);
      await registry.setParticipantActive(ids.producer, false);
      await expect(serials.connect(signers.brandKey).openOrder(GTIN, 5, "L", 0, ids.producer, ethers.ZeroHash))
        .to.be.revertedWithCustomError(serials, "SerialRegistryInvalidProducer")
        .withArgs(ids.producer);
    });
  });

  describe("the overrun guard", () => {
    it("releases up to planned minus one, then exactly planned, and refuses one more", async () => {
      const { serials, signers, orderId } = await loadFixture(deployWithOrder);
      const brand = serials.connect(signers.brandKey);
      await expect(brand.releaseBatch(orderId, root(1), 999, CID))
        .to.emit(serials, "BatchReleased")
        .withArgs(1, orderId, root(1), 999, CID);
      await expect(brand.releaseBatch(orderId, root(2), 2, CID))
        .to.be.revertedWithCustomError(serials, "SerialRegistryQuantityExceeded")
        .withArgs(orderId, 1000, 999, 2);
      await brand.releaseBatch(orderId, root(2), 1, CID);
      expect((await serials.order(orderId)).released).to.equal(1000);
      await expect(brand.releaseBatch(orderId, root(3), 1, CID))
        .to.be.revertedWithCustomError(serials, "SerialRegistryQuantityExceeded")
        .withArgs(orderId, 1000, 1000, 1);
    });

    it("follows an amendment: more may be released after raising the plan, never below what was released", async () => {
      const { serials, signers, orderId } = await loadFixture(deployWithOrder);
      const brand = serials.connect(signers.brandKey);
      await brand.releaseBatch(orderId, root(1), 1000, CID);
      await expect(brand.amendOrder(orderId, 1200)).to.emit(serials, "OrderAmended").withArgs(orderId, 1000, 1200);
      await brand.releaseBatch(orderId, root(2), 200, CID);
      await expect(brand.releaseBatch(orderId, root(3), 1, CID))
        .to.be.revertedWithCustomError(serials, "SerialRegistryQuantityExceeded")
        .withArgs(orderId, 1200, 1200, 1);
      await expect(brand.amendOrder(orderId, 1199))
        .to.be.revertedWithCustomError(serials, "SerialRegistryPlannedBelowReleased")
        .withArgs(orderId, 1200, 1199);
      await expect(brand.amendOrder(orderId, 1200)).to.emit(serials, "OrderAmended").withArgs(orderId, 1200, 1200);
    });

    it("lowers the plan to what was released, and refuses zero", async () => {
      const { serials, signers, orderId } = await loadFixture(deployWithOrder);
      const brand = serials.connect(signers.brandKey);
      await expect(brand.amendOrder(orderId, 0))
        .to.be.revertedWithCustomError(serials, "SerialRegistryPlannedBelowReleased")
        .withArgs(orderId, 0, 0);
      await brand.releaseBatch(orderId, root(1), 10, CID);
      await brand.amendOrder(orderId, 10);
      await expect(brand.releaseBatch(orderId, root(2), 1, CID)).to.be.revertedWithCustomError(
        serials,
        "SerialRegistryQuantityExceeded",
      );
    });
  });

  describe("releases", () => {
    const bad: [string, (o: bigint) => [bigint, string, number, string], string, unknown[]][] = [
      ["a zero root", (o) => [o, ethers.ZeroHash, 1, CID], "SerialRegistryZeroRoot", []],
      ["a zero count", (o) => [o, root(1), 0, CID], "SerialRegistryZeroCount", []],
      ["an empty CID", (o) => [o, root(1), 1, ""], "SerialRegistryEmptyCid", []],
      ["an unknown order", () => [9n, root(1), 1, CID], "SerialRegistryUnknownOrder", [9]],
      ["order 0", () => [0n, root(1), 1, CID], "SerialRegistryUnknownOrder", [0]],
    ];
    for (const [what, args, error, errArgs] of bad) {
      it(`refuses ${what} with ${error}`, async () => {
        const { serials, signers, orderId } = await loadFixture(deployWithOrder);
        await expect(serials.connect(signers.brandKey).releaseBatch(...args(orderId)))
          .to.be.revertedWithCustomError(serials, error)
          .withArgs(...errArgs);
      });
    }

    it("refuses releasing the same root twice", async () => {
      const { serials, signers, orderId } = await loadFixture(deployWithOrder);
      const brand = serials.connect(signers.brandKey);
      await brand.releaseBatch(orderId, root(1), 1, CID);
      await expect(brand.releaseBatch(orderId, root(1), 1, CID))
        .to.be.revertedWithCustomError(serials, "SerialRegistryRootAlreadyReleased")
        .withArgs(root(1), 1);
      expect(await serials.batchOfRoot(root(1))).to.equal(1);
    });

    it("refuses a custodian, a producer and another brand releasing against the order", async () => {
      const { serials, signers, orderId, ids } = await loadFixture(deployWithOrder);
      for (const who of [signers.senderKey, signers.producerKey]) {
        await expect(serials.connect(who).releaseBatch(orderId, root(1), 1, CID))
          .to.be.revertedWithCustomError(serials, "SerialRegistryNotABrandKey")
          .withArgs(who.address);
      }
      await expect(serials.connect(signers.otherBrandKey).releaseBatch(orderId, root(1), 1, CID))
        .to.be.revertedWithCustomError(serials, "SerialRegistryNotOrderOwner")
        .withArgs(orderId, ids.otherBrand);
    });

    it("closes an order: no more releases, amendments or closing", async () => {
      const { serials, signers, orderId } = await loadFixture(deployWithOrder);
      const brand = serials.connect(signers.brandKey);
      await expect(brand.closeOrder(orderId)).to.emit(serials, "OrderClosed").withArgs(orderId);
      for (const call of [
        () => brand.releaseBatch(orderId, root(1), 1, CID),
        () => brand.amendOrder(orderId, 5),
        () => brand.closeOrder(orderId),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(serials, "SerialRegistryOrderClosed").withArgs(orderId);
      }
    });

    it("records the batch with its order, count, root, CID and block", async () => {
      const { serials, signers, orderId } = await loadFixture(deployWithOrder);
      const tx = await serials.connect(signers.brandKey).releaseBatch(orderId, root(1), 7, CID);
      const b = await serials.batch(1);
      expect([b.order, b.count, b.root, b.contentCid, b.releasedAtBlock]).to.deep.equal([
        orderId,
        7n,
        root(1),
        CID,
        BigInt((await tx.wait())!.blockNumber),
      ]);
      await expect(serials.batch(2)).to.be.revertedWithCustomError(serials, "SerialRegistryUnknownBatch").withArgs(2);
    });
  });

  describe("voids and recalls", () => {
    it("voids codes of a batch up to its count and tracks them on the order", async () => {
      const { serials, signers, orderId } = await loadFixture(deployWithOrder);
      const brand = serials.connect(signers.brandKey);
      await brand.releaseBatch(orderId, root(1), 10, CID);
      await expect(brand.voidCodes(1, root(100), 4, "misprint"))
        .to.emit(serials, "CodesVoided")
        .withArgs(1, root(100), 4, "misprint");
      await expect(brand.voidCodes(1, root(101), 7, "destroyed"))
        .to.be.revertedWithCustomError(serials, "SerialRegistryVoidExceedsBatch")
        .withArgs(1, 6, 7);
      await expect(brand.voidCodes(1, ethers.ZeroHash, 1, "x")).to.be.revertedWithCustomError(
        serials,
        "SerialRegistryZeroRoot",
      );
      await expect(brand.voidCodes(1, root(101), 0, "x")).to.be.revertedWithCustomError(
        serials,
        "SerialRegistryZeroCount",
      );
      expect((await serials.batch(1)).voided).to.equal(4);
      expect((await serials.order(orderId)).voided).to.equal(4);
      await expect(
        serials.connect(signers.otherBrandKey).voidCodes(1, root(102), 1, "x"),
      ).to.be.revertedWithCustomError(serials, "SerialRegistryNotOrderOwner");
    });

    it("recalls and lifts a batch; the status reads through", async () => {
      const { serials, signers, orderId } = await loadFixture(deployWithOrder);
      const brand = serials.connect(signers.brandKey);
      await brand.releaseBatch(orderId, root(1), 10, CID);
      expect(await serials.batchStatus(1)).to.equal(1);
      await expect(brand.recallBatch(1, "bafyrecall")).to.emit(serials, "BatchRecalled").withArgs(1, "bafyrecall");
      expect(await serials.batchStatus(1)).to.equal(2);
      await expect(brand.recallBatch(1, "again"))
        .to.be.revertedWithCustomError(serials, "SerialRegistryRecallUnchanged")
        .withArgs(true);
      await expect(brand.liftBatchRecall(1)).to.emit(serials, "BatchRecallLifted").withArgs(1);
      await expect(brand.liftBatchRecall(1))
        .to.be.revertedWithCustomError(serials, "SerialRegistryRecallUnchanged")
        .withArgs(false);
      expect(await serials.batchStatus(1)).to.equal(1);
      expect(await serials.batchStatus(0)).to.equal(0);
      expect(await serials.batchStatus(5)).to.equal(0);
    });

    it("recalls a whole order, which recalls its batches, and lifts it", async () => {
      const { serials, signers, orderId } = await loadFixture(deployWithOrder);
      const brand = serials.connect(signers.brandKey);
      await brand.releaseBatch(orderId, root(1), 10, CID);
      await expect(brand.recallOrder(orderId, "bafynotice"))
        .to.emit(serials, "OrderRecalled")
        .withArgs(orderId, "bafynotice");
      expect(await serials.batchStatus(1)).to.equal(2);
      await expect(brand.recallOrder(orderId, "x"))
        .to.be.revertedWithCustomError(serials, "SerialRegistryRecallUnchanged")
        .withArgs(true);
      await expect(brand.liftOrderRecall(orderId)).to.emit(serials, "OrderRecallLifted").withArgs(orderId);
      await expect(brand.liftOrderRecall(orderId))
        .to.be.revertedWithCustomError(serials, "SerialRegistryRecallUnchanged")
        .withArgs(false);
      expect(await serials.batchStatus(1)).to.equal(1);
    });
  });

  describe("verifyCode", () => {
    it("reproduces every shared code-leaf vector: a one-leaf batch verifies its code with an empty proof", async () => {
      const { serials, signers, ids, registry } = await loadFixture(deployLedger);
      await registry.assignPrefix("9506000", ids.brand);
      const keyOf = new Map([
        [ids.brand, signers.brandKey],
        [ids.otherBrand, signers.otherBrandKey],
      ]);
      for (const [i, v] of leafVectors.codes.entries()) {
        const brand = serials.connect(keyOf.get(await registry.brandOfGtin(BigInt(v.gtin)))!);
        await brand.openOrder(BigInt(v.gtin), 1, "L", 0, await registry.brandOfGtin(BigInt(v.gtin)), ethers.ZeroHash);
        const { orders } = await serials.counts();
        await brand.releaseBatch(orders, v.leaf, 1, CID);
        const { batches } = await serials.counts();
        expect(await serials.verifyCode(batches, BigInt(v.gtin), v.serial, []), `vector ${i}`).to.equal(true);
        expect(await serials.verifyCode(batches, BigInt(v.gtin), v.serial + "x", [])).to.equal(false);
      }
      expect((await serials.counts()).batches).to.equal(BigInt(leafVectors.codes.length));
    });

    it("verifies every code of a 300-code batch built by the core's tree, and refuses wrong GTIN, serial, proof or batch", async () => {
      const { serials, signers, orderId } = await loadFixture(deployWithOrder);
      const codes = Array.from({ length: 300 }, (_, i) => `S${i}X`);
      const tree = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, codes));
      await serials.connect(signers.brandKey).releaseBatch(orderId, tree.root, codes.length, CID);
      for (const i of [0, 1, 150, 299])
        expect(await serials.verifyCode(1, GTIN, codes[i], tree.proof(i))).to.equal(true);
      expect(await serials.verifyCode(1, OTHER_GTIN, codes[0], tree.proof(0))).to.equal(false);
      expect(await serials.verifyCode(1, GTIN, "S0Y", tree.proof(0))).to.equal(false);
      expect(await serials.verifyCode(1, GTIN, codes[0], tree.proof(1))).to.equal(false);
      expect(await serials.verifyCode(2, GTIN, codes[0], tree.proof(0))).to.equal(false);
    });
  });

  describe("product records", () => {
    const RECORD_V1 = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
    const RECORD_V2 = "bafkreidivzimqfqtoqxkrpge6bjyhlvxqs3rhe73owtmdulaxr5do5in7u";

    it("publishes a GTIN's record by the brand owning its prefix, versions counting from 1, every version kept", async () => {
      const { serials, signers, ids } = await loadFixture(deployLedger);
      expect(await serials.productRecord(GTIN)).to.deep.equal(["", 0n]);
      const brand = serials.connect(signers.brandKey);
      await expect(brand.setProductRecord(GTIN, RECORD_V1))
        .to.emit(serials, "ProductRecordSet")
        .withArgs(GTIN, ids.brand, 1, RECORD_V1);
      await expect(brand.setProductRecord(GTIN, RECORD_V2))
        .to.emit(serials, "ProductRecordSet")
        .withArgs(GTIN, ids.brand, 2, RECORD_V2);
      expect(await serials.productRecord(GTIN)).to.deep.equal([RECORD_V2, 2n]);
      expect(await serials.productRecordAt(GTIN, 1)).to.equal(RECORD_V1);
      expect(await serials.productRecordAt(GTIN, 2)).to.equal(RECORD_V2);
      // another GTIN's record is its own
      expect(await serials.productRecord(OTHER_GTIN)).to.deep.equal(["", 0n]);
    });

    it("refuses a version never published, and version 0", async () => {
      const { serials, signers } = await loadFixture(deployLedger);
      await serials.connect(signers.brandKey).setProductRecord(GTIN, RECORD_V1);
      for (const version of [0, 2]) {
        await expect(serials.productRecordAt(GTIN, version))
          .to.be.revertedWithCustomError(serials, "SerialRegistryUnknownRecordVersion")
          .withArgs(GTIN, version);
      }
    });

    it("refuses another brand's GTIN, a key that is not an active brand key, a bad GTIN and a bad CID", async () => {
      const { serials, registry, signers, ids } = await loadFixture(deployLedger);
      const brand = serials.connect(signers.brandKey);
      await expect(brand.setProductRecord(OTHER_GTIN, RECORD_V1))
        .to.be.revertedWithCustomError(serials, "SerialRegistryNotPrefixOwner")
        .withArgs(ids.brand, OTHER_GTIN);
      for (const who of [signers.producerKey, signers.senderKey, signers.outsider]) {
        await expect(serials.connect(who).setProductRecord(GTIN, RECORD_V1))
          .to.be.revertedWithCustomError(serials, "SerialRegistryNotABrandKey")
          .withArgs(who.address);
      }
      await expect(brand.setProductRecord(GTIN + 1n, RECORD_V1))
        .to.be.revertedWithCustomError(serials, "SerialRegistryInvalidGtin")
        .withArgs(GTIN + 1n);
      for (const cid of ["", "b".repeat(129)]) {
        await expect(brand.setProductRecord(GTIN, cid))
          .to.be.revertedWithCustomError(serials, "SerialRegistryInvalidRecordCid")
          .withArgs(cid);
      }
      // a revoked brand key may publish no more
      await registry.revokeKey(signers.brandKey.address);
      await expect(brand.setProductRecord(GTIN, RECORD_V1))
        .to.be.revertedWithCustomError(serials, "SerialRegistryNotABrandKey")
        .withArgs(signers.brandKey.address);
      expect(await serials.productRecord(GTIN)).to.deep.equal(["", 0n]);
    });

    it("costs the same to publish the tenth version as the second (history is appended, never copied)", async () => {
      const { serials, signers } = await loadFixture(deployLedger);
      const brand = serials.connect(signers.brandKey);
      const gas = async (cid: string) => (await (await brand.setProductRecord(GTIN, cid)).wait())!.gasUsed;
      await gas(RECORD_V1);
      const second = await gas(RECORD_V2);
      for (let i = 3; i < 10; i++) await gas(RECORD_V1);
      expect(await gas(RECORD_V2)).to.equal(second);
      console.log(`      setProductRecord: ${second} gas for a 59-character CID`);
    });
  });

  describe("gas", () => {
    it("costs the same to release 10 codes as 1,000,000", async () => {
      const { serials, signers, ids } = await loadFixture(deployLedger);
      const brand = serials.connect(signers.brandKey);
      await brand.openOrder(GTIN, 2_000_000, "L", 0, ids.producer, ethers.ZeroHash);
      // execution gas: what the transaction used less its intrinsic cost (calldata bytes differ: 10 vs 1e6)
      const gas = async (n: number, r: string) => {
        const tx = await brand.releaseBatch(1, r, n, CID);
        const data = ethers.getBytes(tx.data);
        const intrinsic = 21000n + data.reduce((sum, b) => sum + (b === 0 ? 4n : 16n), 0n);
        return (await tx.wait())!.gasUsed - intrinsic;
      };
      await gas(1, root(0)); // warm the order's storage so both measured releases update, not create, it
      await mine(1);
      const small = await gas(10, root(1));
      const large = await gas(1_000_000, root(2));
      expect(large).to.equal(small);
    });
  });
});
