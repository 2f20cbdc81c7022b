import { expect } from "chai";
import { ContractFunctionRevertedError, encodeErrorResult, HttpRequestError } from "viem";
import { serialRegistryAbi } from "../../src/chain/abis";
import { explainChainError } from "../../src/chain/revert";
import { ConflictError, NotFoundError, UnavailableError } from "../../src/core/errors";

const RPC = "http://127.0.0.1:8545";
const reverted = (errorName: string, args: readonly unknown[]) =>
  new ContractFunctionRevertedError({
    abi: serialRegistryAbi,
    functionName: "releaseBatch",
    data: encodeErrorResult({ abi: serialRegistryAbi, errorName, args } as Parameters<typeof encodeErrorResult>[0]),
  });

describe("chain/explainChainError (what viem throws, in the project's errors, its cause kept)", () => {
  it("names a contract's refusal and its arguments as a ConflictError", () => {
    const viem = reverted("SerialRegistryQuantityExceeded", [1n, 100n, 90n, 20n]);
    const error = explainChainError(viem, RPC);
    expect(error).to.be.instanceOf(ConflictError);
    expect(error.message).to.equal("the contract refused: SerialRegistryQuantityExceeded(1, 100, 90, 20)");
    expect(error.cause).to.equal(viem);
  });

  it("takes an unknown id for the asker's NotFoundError, not a conflict", () => {
    const error = explainChainError(reverted("SerialRegistryUnknownOrder", [99n]), RPC);
    expect(error).to.be.instanceOf(NotFoundError);
    expect(error.message).to.include("SerialRegistryUnknownOrder(99)");
  });

  it("takes a node it cannot reach for an UnavailableError naming the node", () => {
    const viem = new HttpRequestError({ url: RPC, details: "connect ECONNREFUSED" });
    const error = explainChainError(viem, RPC);
    expect(error).to.be.instanceOf(UnavailableError);
    expect(error.message).to.equal(`the chain node at ${RPC} cannot be reached`);
    expect(error.cause).to.equal(viem);
  });

  it("leaves anything else as it was", () => {
    const other = new TypeError("not viem's");
    expect(explainChainError(other, RPC)).to.equal(other);
  });
});
