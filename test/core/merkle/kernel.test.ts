import { expect } from "chai";
import { keccak_256 } from "@noble/hashes/sha3";
import fc from "fast-check";
import { kernelKeccak256 } from "../../../src/core/merkle/kernel";

describe("core/merkle: the kernel's keccak256", () => {
  it("agrees with noble's on any message, across block boundaries", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1200 }), (data) => {
        expect(Buffer.from(kernelKeccak256(data)).toString("hex")).to.equal(
          Buffer.from(keccak_256(data)).toString("hex"),
        );
      }),
      { numRuns: 500 },
    );
    for (const n of [0, 135, 136, 137, 271, 272, 273]) {
      const data = new Uint8Array(n).fill(0xa5);
      expect(kernelKeccak256(data)).to.deep.equal(keccak_256(data));
    }
  });
});
