import { expect } from "chai";
import { readFileSync } from "node:fs";
import { ABIS_PATH, abisSource } from "../../scripts/export-abis";

describe("chain/abis", () => {
  it("is generated from the compiled contracts, not a stale copy", () => {
    expect(readFileSync(ABIS_PATH, "utf8") === abisSource(), "run npm run abis").to.equal(true);
  });
});
