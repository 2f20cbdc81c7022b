import { decodeEventLog, type Abi, type Hex } from "viem";
import { commitmentLogAbi, participantRegistryAbi, serialRegistryAbi } from "./abis";
import type { RawLog } from "./chain-source";
import type { ContractAddresses } from "./deployment";

/** A log of one of the deployment's three contracts, decoded by that contract's ABI. */
export interface ContractLog {
  contract: "registry" | "serials" | "log";
  eventName: string;
  args: Record<string, unknown>;
}

/** Decodes a log by the contract that emitted it; undefined for other addresses and unknown events. */
export function decodeContractLog(log: RawLog, contracts: ContractAddresses): ContractLog | undefined {
  const address = log.address.toLowerCase();
  const [contract, abi]: [ContractLog["contract"], Abi] | [undefined, undefined] =
    address === contracts.registry
      ? ["registry", participantRegistryAbi]
      : address === contracts.serials
        ? ["serials", serialRegistryAbi]
        : address === contracts.log
          ? ["log", commitmentLogAbi]
          : [undefined, undefined];
  if (!contract) return undefined;
  try {
    const decoded = decodeEventLog({ abi, topics: log.topics as [Hex, ...Hex[]], data: log.data });
    return { contract, eventName: String(decoded.eventName), args: (decoded.args ?? {}) as Record<string, unknown> };
  } catch {
    return undefined; // not an event of the ABI (cannot happen for our contracts)
  }
}
