import { expect } from "chai";
import fc from "fast-check";
import { encodeAbiParameters, parseAbiParameters, toHex } from "viem";
import { abiEncode, type FastAbiType } from "../../../src/core/abi/abi-encode";

const TYPES: FastAbiType[] = ["string", "string[]", "bytes32", "uint256", "uint8"];
const valueOf = (t: FastAbiType): fc.Arbitrary<unknown> => {
  switch (t) {
    case "string":
      // ASCII (written without the encoder) and any text, across the 64-character cut-over
      return fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: "grapheme", maxLength: 80 }));
    case "string[]":
      return fc.array(fc.string({ unit: "grapheme", maxLength: 40 }), { maxLength: 6 });
    case "bytes32":
      return fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toHex(b));
    case "uint256":
      // numbers (indices, lengths) take a path of their own: both are drawn
      return fc.oneof(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.maxSafeNat());
    case "uint8":
      return fc.integer({ min: 0, max: 255 });
  }
};

describe("core: abi.encode of strings, string arrays, bytes32 and uints", () => {
  it("gives viem's encodeAbiParameters bytes for any tuple of those types", () => {
    const tuple = fc
      .array(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 11 })
      .chain((types) => fc.tuple(fc.constant(types), fc.tuple(...types.map(valueOf))));
    fc.assert(
      fc.property(tuple, ([types, values]) => {
        const ours = toHex(abiEncode(types, values));
        const viem = encodeAbiParameters(parseAbiParameters(types.join(",")), values as never);
        expect(ours).to.equal(viem);
      }),
      { numRuns: 400 },
    );
  });

  it("refuses values that are not of their type, naming which", () => {
    expect(() => abiEncode(["string"], [1])).to.throw(TypeError, /value 0 is not a string/);
    expect(() => abiEncode(["bytes32"], ["0x12"])).to.throw(TypeError, /value 0 is not a bytes32/);
    expect(() => abiEncode(["uint8"], [256])).to.throw(RangeError, /value 0 is not a uint8/);
    expect(() => abiEncode(["uint256"], [-1n])).to.throw(RangeError);
    expect(() => abiEncode(["string", "string"], ["a"])).to.throw(TypeError, /1 values for 2 types/);
  });
});
