import { decodeEventLog, type Abi, type Address, type Hex } from "viem";
import { commitmentLogAbi, participantRegistryAbi, serialRegistryAbi } from "./abis";
import type { RawLog } from "./chain-source";
import type { ContractAddresses } from "./deployment";

/**
 * The contracts' events the indexer and the audit read, each decoded once and normalised once: ids
 * and quantities as numbers, a GTIN as its 14 digits and a GLN as its 13, keys, roots and hashes in
 * lower case. One union, so a reader switches on `name` and a misspelt field does not compile.
 * (Role grants and the EIP-712 domain's event change no ledger state and are not in it.)
 */
export type LedgerEvent = RegistryEvent | SerialsEvent | CommitmentEvent;

type Event<C extends string, N extends string, A> = { contract: C; name: N; args: A };

export type RegistryEvent =
  | Event<"registry", "ParticipantRegistered", { participant: number; kind: number; gln: string; name: string }>
  | Event<"registry", "ParticipantDeactivated" | "ParticipantReactivated", { participant: number }>
  | Event<"registry", "KeyAdded" | "KeyRevoked", { participant: number; key: Address }>
  | Event<"registry", "PrefixAssigned" | "PrefixUnassigned", { brand: number; prefix: string }>;

export type SerialsEvent =
  | Event<
      "serials",
      "OrderOpened",
      {
        order: number;
        brand: number;
        producer: number;
        gtin: string;
        plannedQuantity: number;
        lot: string;
        expiry: number;
        erpReference: Hex;
      }
    >
  | Event<"serials", "OrderAmended", { order: number; previousPlanned: number; plannedQuantity: number }>
  | Event<"serials", "OrderClosed" | "OrderRecallLifted", { order: number }>
  | Event<"serials", "OrderRecalled", { order: number; reasonCid: string }>
  | Event<"serials", "BatchReleased", { batch: number; order: number; root: Hex; count: number; contentCid: string }>
  | Event<"serials", "CodesVoided", { batch: number; root: Hex; count: number; reason: string }>
  | Event<"serials", "BatchRecalled", { batch: number; reasonCid: string }>
  | Event<"serials", "BatchRecallLifted", { batch: number }>
  | Event<"serials", "ProductRecordSet", { gtin: string; brand: number; version: number; recordCid: string }>;

export type CommitmentEvent = Event<
  "log",
  "CommitmentAppended",
  {
    relayer: number;
    sequence: number;
    root: Hex;
    eventCount: number;
    contentCid: string;
    previousHash: Hex;
    hash: Hex;
  }
>;

export type LedgerEventName = LedgerEvent["name"];

// what viem decodes, before normalising: integers as bigint or number, the rest as given
type Raw = Record<string, unknown>;
const int = (v: unknown) => Number(v as bigint | number);
const text = (v: unknown) => String(v);
const lower = <T extends string>(v: unknown) => String(v).toLowerCase() as T;

function registryEvent(name: string, a: Raw): RegistryEvent | undefined {
  switch (name) {
    case "ParticipantRegistered":
      return {
        contract: "registry",
        name,
        args: {
          participant: int(a.participant),
          kind: int(a.kind),
          gln: text(a.gln).padStart(13, "0"),
          name: text(a.name),
        },
      };
    case "ParticipantDeactivated":
    case "ParticipantReactivated":
      return { contract: "registry", name, args: { participant: int(a.participant) } };
    case "KeyAdded":
    case "KeyRevoked":
      return { contract: "registry", name, args: { participant: int(a.participant), key: lower<Address>(a.key) } };
    case "PrefixAssigned":
    case "PrefixUnassigned":
      return { contract: "registry", name, args: { brand: int(a.brand), prefix: text(a.prefix) } };
  }
  return undefined;
}

function serialsEvent(name: string, a: Raw): SerialsEvent | undefined {
  switch (name) {
    case "OrderOpened":
      return {
        contract: "serials",
        name,
        args: {
          order: int(a.order),
          brand: int(a.brand),
          producer: int(a.producer),
          gtin: text(a.gtin).padStart(14, "0"),
          plannedQuantity: int(a.plannedQuantity),
          lot: text(a.lot),
          expiry: int(a.expiry),
          erpReference: lower<Hex>(a.erpReference),
        },
      };
    case "OrderAmended":
      return {
        contract: "serials",
        name,
        args: { order: int(a.order), previousPlanned: int(a.previousPlanned), plannedQuantity: int(a.plannedQuantity) },
      };
    case "OrderClosed":
    case "OrderRecallLifted":
      return { contract: "serials", name, args: { order: int(a.order) } };
    case "OrderRecalled":
      return { contract: "serials", name, args: { order: int(a.order), reasonCid: text(a.reasonCid) } };
    case "BatchReleased":
      return {
        contract: "serials",
        name,
        args: {
          batch: int(a.batch),
          order: int(a.order),
          root: lower<Hex>(a.root),
          count: int(a.count),
          contentCid: text(a.contentCid),
        },
      };
    case "CodesVoided":
      return {
        contract: "serials",
        name,
        args: { batch: int(a.batch), root: lower<Hex>(a.root), count: int(a.count), reason: text(a.reason) },
      };
    case "BatchRecalled":
      return { contract: "serials", name, args: { batch: int(a.batch), reasonCid: text(a.reasonCid) } };
    case "BatchRecallLifted":
      return { contract: "serials", name, args: { batch: int(a.batch) } };
    case "ProductRecordSet":
      return {
        contract: "serials",
        name,
        args: {
          gtin: text(a.gtin).padStart(14, "0"),
          brand: int(a.brand),
          version: int(a.version),
          recordCid: text(a.recordCid),
        },
      };
  }
  return undefined;
}

function commitmentEvent(name: string, a: Raw): CommitmentEvent | undefined {
  if (name !== "CommitmentAppended") return undefined;
  return {
    contract: "log",
    name,
    args: {
      relayer: int(a.relayer),
      sequence: int(a.sequence),
      root: lower<Hex>(a.root),
      eventCount: int(a.eventCount),
      contentCid: text(a.contentCid),
      previousHash: lower<Hex>(a.previousHash),
      hash: lower<Hex>(a.hash),
    },
  };
}

/**
 * Decodes a log by the contract that emitted it (the deployment's addresses, in lower case) into a
 * LedgerEvent; undefined for another address and for events that change no ledger state.
 */
export function decodeLedgerEvent(log: RawLog, contracts: ContractAddresses): LedgerEvent | undefined {
  const address = log.address.toLowerCase();
  const [abi, read]: [Abi, (name: string, args: Raw) => LedgerEvent | undefined] | [undefined, undefined] =
    address === contracts.registry
      ? [participantRegistryAbi, registryEvent]
      : address === contracts.serials
        ? [serialRegistryAbi, serialsEvent]
        : address === contracts.log
          ? [commitmentLogAbi, commitmentEvent]
          : [undefined, undefined];
  if (!abi) return undefined;
  let decoded: { eventName?: string; args?: unknown };
  try {
    decoded = decodeEventLog({ abi, topics: log.topics as [Hex, ...Hex[]], data: log.data });
  } catch {
    return undefined; // not an event of the ABI (cannot happen for our contracts)
  }
  return read(String(decoded.eventName), (decoded.args ?? {}) as Raw);
}
