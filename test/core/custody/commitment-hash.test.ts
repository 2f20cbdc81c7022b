import { expect } from "chai";
import { keccak256, stringToHex, type Address, type Hex } from "viem";
import { commitmentHash, type CommitmentHashInput } from "../../../src/core/custody/commitment-hash";
import vectors from "../../vectors/commitment-hash.json";

const input = (i: number) => vectors.commitments[i].input as CommitmentHashInput;

describe("core/custody commitmentHash (the hash chaining a relayer's commitments)", () => {
  for (const [i, v] of vectors.commitments.entries()) {
    it(`reproduces the shared vector's commitment ${i + 1}`, () => {
      expect(commitmentHash(input(i))).to.equal(v.hash);
    });
  }

  it("chains: the second vector names the first's hash as its previous one", () => {
    expect(input(1).previousHash).to.equal(commitmentHash(input(0)));
  });

  const changes: [string, Partial<CommitmentHashInput>][] = [
    ["the chain", { chainId: 1 }],
    ["the log's address", { commitmentLog: "0x000000000000000000000000000000000000c0df" as Address }],
    ["the relayer", { relayer: 6 }],
    ["the sequence", { sequence: 3 }],
    ["the root", { root: keccak256(stringToHex("another root")) }],
    ["the event count", { eventCount: 4 }],
    ["the content's CID", { contentCid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zz" }],
    ["the previous hash", { previousHash: keccak256(stringToHex("another previous")) as Hex }],
  ];
  for (const [what, change] of changes) {
    it(`binds ${what}: changing it changes the hash`, () => {
      expect(commitmentHash({ ...input(0), ...change })).to.not.equal(vectors.commitments[0].hash);
    });
  }
});
