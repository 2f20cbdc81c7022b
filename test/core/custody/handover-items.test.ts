import { expect } from "chai";
import { handoverItemsTree, isInstanceIdentifier } from "../../../src/core/custody/handover-items";
import { ValidationError } from "../../../src/core/errors";
import { ITEM_LEAF_ENCODING, standardLeafHash } from "../../../src/core/merkle/leaves";
import { verifyProof } from "../../../src/core/merkle/verify";

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
      let error: unknown;
      try {
        handoverItemsTree(items);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).field).to.equal(field);
    });
  }
});
