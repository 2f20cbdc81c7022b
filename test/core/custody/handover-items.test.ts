import { expect } from "chai";
import { AbiCoder, keccak256 as ethersKeccak } from "ethers";
import { keccak256, stringToHex } from "viem";
import vectors from "../../vectors/handover-items.json";
import {
  handoverItemsTree,
  isInstanceIdentifier,
  itemLeafHash,
  itemSalt,
  shipmentRefHashOf,
} from "../../../src/core/custody/handover-items";
import { ValidationError } from "../../../src/core/errors";
import { ITEM_LEAF_ENCODING, standardLeafHash } from "../../../src/core/merkle/leaves";
import { verifyProof } from "../../../src/core/merkle/verify";

const abi = AbiCoder.defaultAbiCoder();

describe("core/custody/handover-items", () => {
  const cases: [string, unknown, boolean][] = [
    ["a unit as a Digital Link", "https://id.gs1.org/01/10614141073464/21/ABC1", true],
    ["a unit under a brand's own resolver with a lot", "https://example.com/01/10614141073464/10/L1/21/X", true],
    ["a pallet's SSCC", "https://id.gs1.org/00/106141412345678908", true],
    ["an SGTIN EPC URN", "urn:epc:id:sgtin:0614141.107346.2017", true],
    ["an SSCC EPC URN", "urn:epc:id:sscc:0614141.1234567890", true],
    ["a GTIN alone (a class, not a thing)", "https://id.gs1.org/01/10614141073464", false],
    ["a class EPC URN", "urn:epc:class:lgtin:0614141.107346.L1", false],
    ["free text", "pallet 7", false],
    ["a number", 7, false],
  ];
  for (const [name, value, ok] of cases) {
    it(`${ok ? "accepts" : "refuses"} ${name} as a handover item`, () => {
      expect(isInstanceIdentifier(value)).to.equal(ok);
    });
  }

  it("proves each item into the tree's root with the standard string leaf", () => {
    const items = ["https://id.gs1.org/01/10614141073464/21/A", "https://id.gs1.org/00/106141412345678908"];
    const tree = handoverItemsTree(items);
    items.forEach((item, i) =>
      expect(verifyProof(tree.root, standardLeafHash(ITEM_LEAF_ENCODING, [item]), tree.proof(i))).to.equal(true),
    );
  });

  it("proves each item of a salted list (format 2) with its own salt, and with nothing else", () => {
    const items = ["https://id.gs1.org/00/106141412345678908", "https://id.gs1.org/00/106141412345678915"];
    const salt = `0x${"c3".repeat(32)}` as const;
    const tree = handoverItemsTree(items, salt);
    expect(tree.root).to.not.equal(handoverItemsTree(items).root);
    items.forEach((item, i) => {
      expect(verifyProof(tree.root, itemLeafHash(item, itemSalt(salt, i)), tree.proof(i))).to.equal(true);
      expect(verifyProof(tree.root, itemLeafHash(item), tree.proof(i))).to.equal(false);
      expect(verifyProof(tree.root, itemLeafHash(item, itemSalt(salt, 1 - i)), tree.proof(i))).to.equal(false);
    });
    // the sibling of item 0 is item 1's salted leaf: not the hash anyone can compute from the SSCC alone
    expect(tree.proof(0)).to.deep.equal([itemLeafHash(items[1], itemSalt(salt, 1))]);
    expect(tree.proof(0)).to.not.deep.equal([itemLeafHash(items[1])]);
  });

  it("reproduces the shared vectors (test/vectors/handover-items.json), checked with ethers' own encoder", () => {
    const salt = vectors.salt as `0x${string}`;
    const tree = handoverItemsTree(
      vectors.items.map((i) => i.item),
      salt,
    );
    expect(tree.root).to.equal(vectors.itemsRoot);
    expect(handoverItemsTree(vectors.items.map((i) => i.item)).root).to.equal(vectors.formatOneItemsRoot);
    vectors.items.forEach((v, i) => {
      const own = ethersKeccak(abi.encode(["bytes32", "uint256"], [salt, i]));
      expect(v.itemSalt).to.equal(own).and.equal(itemSalt(salt, i));
      expect(v.leaf).to.equal(ethersKeccak(ethersKeccak(abi.encode(["string", "bytes32"], [v.item, own]))));
      expect(itemLeafHash(v.item, own as `0x${string}`)).to.equal(v.leaf);
      expect(itemLeafHash(v.item)).to.equal(v.formatOneLeaf);
    });
    expect(shipmentRefHashOf(vectors.shipmentRef, salt))
      .to.equal(vectors.shipmentRefHash)
      .and.equal(ethersKeccak(abi.encode(["bytes32", "string"], [salt, vectors.shipmentRef])));
    expect(shipmentRefHashOf(vectors.shipmentRef)).to.equal(vectors.formatOneShipmentRefHash);
  });

  it("salts the shipment reference's hash in format 2, and keeps keccak256 of it in format 1", () => {
    const salt = `0x${"c3".repeat(32)}` as const;
    expect(shipmentRefHashOf("DESADV-0001")).to.equal(keccak256(stringToHex("DESADV-0001")));
    expect(shipmentRefHashOf("DESADV-0001", salt)).to.not.equal(shipmentRefHashOf("DESADV-0001"));
  });

  const refusals: [string, unknown[], string][] = [
    ["an empty list", [], "items"],
    [
      "a class identifier",
      ["https://id.gs1.org/01/10614141073464/21/A", "https://id.gs1.org/01/10614141073464"],
      "items/1",
    ],
    [
      "an item listed twice",
      [
        "https://id.gs1.org/01/10614141073464/21/A",
        "urn:epc:id:sscc:0614141.1234567890",
        "https://id.gs1.org/01/10614141073464/21/A",
      ],
      "items/2",
    ],
  ];
  for (const [name, items, field] of refusals) {
    it(`refuses ${name}, naming ${field}`, () => {
      for (const salt of [undefined, `0x${"c3".repeat(32)}` as const]) {
        let error: unknown;
        try {
          handoverItemsTree(items, salt);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(ValidationError);
        expect((error as ValidationError).field).to.equal(field);
      }
    });
  }
});
