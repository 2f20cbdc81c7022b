import { encodeAbiParameters, encodeEventTopics, keccak256, stringToHex, type Abi, type Address, type Hex } from "viem";
import { commitmentLogAbi, participantRegistryAbi, serialRegistryAbi } from "../../src/chain/abis";
import type { RawLog } from "../../src/chain/chain-source";
import type { ContractAddresses } from "../../src/chain/deployment";
import type { LedgerEvent } from "../../src/chain/ledger-event";

const ABIS: Record<LedgerEvent["contract"], Abi> = {
  registry: participantRegistryAbi,
  serials: serialRegistryAbi,
  log: commitmentLogAbi,
};

/**
 * The raw log a contract would emit for `eventName` with `args` (as the ABI takes them), at
 * `block`: what a test feeds the decoder, so that hand-made events go through the same
 * decoding and normalising as the chain's.
 */
export function rawLogOf(
  contracts: ContractAddresses,
  contract: LedgerEvent["contract"],
  eventName: string,
  args: Record<string, unknown>,
  block: number,
): RawLog {
  const abi = ABIS[contract];
  const event = abi.find((e) => e.type === "event" && e.name === eventName);
  if (!event || event.type !== "event") throw new Error(`${contract} has no event ${eventName}`);
  const topics = encodeEventTopics({ abi, eventName, args } as Parameters<typeof encodeEventTopics>[0]);
  const data = event.inputs.filter((i) => !i.indexed);
  return {
    blockNumber: block,
    blockHash: keccak256(stringToHex(`block ${block}`)),
    logIndex: 0,
    transactionIndex: 0,
    transactionHash: keccak256(stringToHex(`tx ${block}`)),
    address: contracts[contract] as Address,
    topics: topics.filter((t): t is Hex => t !== null),
    data: encodeAbiParameters(
      data,
      data.map((i) => args[i.name ?? ""]),
    ),
  };
}
