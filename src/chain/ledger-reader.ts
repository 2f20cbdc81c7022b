import { createClient, http, type Abi, type Address, type Client } from "viem";
import { readContract } from "viem/actions";
import { commitmentLogAbi, participantRegistryAbi, serialRegistryAbi } from "./abis";
import type { Deployment } from "./deployment";
import type { Ledger } from "./ledger";
import { explainChainError } from "./revert";

/**
 * The reading side of a Ledger: what a verifier needs (the contracts' views and their error
 * mapping). A Ledger is one; `readOnlyLedger` is a lighter one for the browser, where the wallet
 * and simulation machinery a Ledger carries would only weigh on the page.
 */
export interface LedgerReader {
  readonly options: { rpcUrl: string; deployment: Deployment };
  readonly registry: Pick<Ledger["registry"], "address" | "read">;
  readonly serials: Pick<Ledger["serials"], "address" | "read">;
  readonly commitmentLog: Pick<Ledger["commitmentLog"], "address" | "read">;
  read<T>(call: () => Promise<T>): Promise<T>;
}

function contractReader(client: Client, address: Address, abi: Abi) {
  const read = new Proxy(
    {},
    {
      get:
        (_, functionName) =>
        (args: readonly unknown[] = []) =>
          readContract(client, { address, abi, functionName: String(functionName), args }),
    },
  );
  return { address, read };
}

/** A LedgerReader over a bare viem client, JSON-RPC batching concurrent reads into one request. */
export function readOnlyLedger(options: { rpcUrl: string; deployment: Deployment; timeoutMs?: number }): LedgerReader {
  const { rpcUrl, deployment } = options;
  const client = createClient({
    transport: http(rpcUrl, { retryCount: 0, timeout: options.timeoutMs ?? 30_000, batch: { batchSize: 100 } }),
  });
  const c = deployment.contracts;
  return {
    options: { rpcUrl, deployment },
    registry: contractReader(client, c.ParticipantRegistry.address, participantRegistryAbi) as never,
    serials: contractReader(client, c.SerialRegistry.address, serialRegistryAbi) as never,
    commitmentLog: contractReader(client, c.CommitmentLog.address, commitmentLogAbi) as never,
    async read<T>(call: () => Promise<T>): Promise<T> {
      try {
        return await call();
      } catch (e) {
        throw explainChainError(e, rpcUrl);
      }
    },
  };
}
