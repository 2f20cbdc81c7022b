import { expect } from "chai";
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { PROOF_SCHEMA_PATH, proofBundleJsonSchema } from "../../../scripts/write-schemas";
import { ProofBundleSchema } from "../../../src/core/proof/bundle";

const h32 = (b: string) => "0x" + b.repeat(32);
const release = {
  chainId: 31337,
  contract: "0x" + "ab".repeat(20),
  transaction: h32("01"),
  block: 7,
  batchId: "1",
  root: h32("02"),
  proof: [h32("03"), h32("04")],
};
const good = { version: 1, code: { gtin: "10614141073464", serial: "AbC123xyz09" }, release, custody: [] };

describe("core/proof ProofBundle JSON Schema (docs/)", () => {
  const published = JSON.parse(readFileSync(PROOF_SCHEMA_PATH, "utf8"));
  const validate = new Ajv({ strict: false }).compile(published);

  it("is the schema generated from the zod definition, not a stale copy", () => {
    expect(readFileSync(PROOF_SCHEMA_PATH, "utf8")).to.equal(proofBundleJsonSchema());
  });

  const cases: [string, unknown, boolean][] = [
    ["a bundle with a release and no custody", good, true],
    ["a bundle of an unknown code (no release)", { ...good, release: null }, true],
    ["version 2", { ...good, version: 2 }, true],
    ["version 3", { ...good, version: 3 }, false],
    ["a GTIN of 13 digits", { ...good, code: { gtin: "0614141073464", serial: "A" } }, false],
    ["a serial of 21 characters", { ...good, code: { gtin: "10614141073464", serial: "A".repeat(21) } }, false],
    ["a root that is not 32 bytes", { ...good, release: { ...release, root: "0x1234" } }, false],
    ["a contract that is not an address", { ...good, release: { ...release, contract: h32("ab") } }, false],
    ["an unknown custody kind", { ...good, custody: [{ kind: "rumour" }] }, false],
    ["an unexpected property", { ...good, trustMe: true }, false],
  ];
  for (const [what, bundle, valid] of cases) {
    it(`${valid ? "accepts" : "rejects"} ${what}, as the zod schema does`, () => {
      expect(validate(bundle), JSON.stringify(validate.errors)).to.equal(valid);
      expect(ProofBundleSchema.safeParse(bundle).success).to.equal(valid);
    });
  }
});
