import { BaseError, ContractFunctionRevertedError, HttpRequestError, TimeoutError } from "viem";
import { ConflictError, NotFoundError, UnavailableError } from "../core/errors";

/**
 * Turns what viem throws into the project's errors: a contract's custom error becomes a
 * ConflictError (NotFoundError for an unknown id) that names it and its arguments (the contracts' errors are named after their
 * contract, so the name says who refused); an unreachable node becomes an UnavailableError. Each
 * keeps viem's error as its `cause`, for a log that needs the request and the node's answer.
 */
export function explainChainError(error: unknown, rpcUrl: string): Error {
  if (!(error instanceof BaseError)) return error as Error;
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  if (revert?.data?.errorName) {
    const args = (revert.data.args ?? []).map((a) => (typeof a === "bigint" ? a.toString() : JSON.stringify(a)));
    const message = `the contract refused: ${revert.data.errorName}(${args.join(", ")})`;
    // an id that names nothing (SerialRegistryUnknownOrder, ...) is the asker's typo, not a conflict
    return /^[A-Z]\w*Unknown[A-Z]/.test(revert.data.errorName)
      ? new NotFoundError(message, { cause: error })
      : new ConflictError(message, { cause: error });
  }
  if (revert)
    return new ConflictError(`the contract refused: ${revert.reason ?? revert.shortMessage}`, { cause: error });
  if (error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError)) {
    return new UnavailableError(`the chain node at ${rpcUrl} cannot be reached`, { cause: error });
  }
  return error;
}
