import { expect } from "chai";
import { getAddress, keccak256, stringToHex, type Abi } from "viem";
import { commitmentLogAbi, participantRegistryAbi, serialRegistryAbi } from "../../src/chain/abis";
import type { ContractAddresses } from "../../src/chain/deployment";
import { decodeLedgerEvent, type LedgerEvent } from "../../src/chain/ledger-event";
import { rawLogOf } from "../support/ledger-logs";

const CONTRACTS: ContractAddresses = {
  registry: "0x00000000000000000000000000000000000000a1",
  serials: "0x00000000000000000000000000000000000000a2",
  log: "0x00000000000000000000000000000000000000a3",
};
const KEY = getAddress("0xabcdefabcdefabcdefabcdefabcdefabcdefabcd");
const ROOT = keccak256(stringToHex("root"));
const HASH = keccak256(stringToHex("hash"));

const decode = (contract: LedgerEvent["contract"], name: string, args: Record<string, unknown>) =>
  decodeLedgerEvent(rawLogOf(CONTRACTS, contract, name, args, 1), CONTRACTS);

describe("chain/decodeLedgerEvent (the contracts' events, typed and normalised once)", () => {
  const cases: [LedgerEvent["contract"], string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      "registry",
      "ParticipantRegistered",
      { participant: 4, kind: 2, gln: 614141000005n, name: "NorthLog" },
      { participant: 4, kind: 2, gln: "0614141000005", name: "NorthLog" },
    ],
    ["registry", "KeyAdded", { participant: 4, key: KEY }, { participant: 4, key: KEY.toLowerCase() }],
    ["registry", "KeyRevoked", { participant: 4, key: KEY }, { participant: 4, key: KEY.toLowerCase() }],
    ["registry", "ParticipantDeactivated", { participant: 9 }, { participant: 9 }],
    ["registry", "PrefixAssigned", { brand: 1, prefix: "0614141" }, { brand: 1, prefix: "0614141" }],
    [
      "serials",
      "OrderOpened",
      {
        order: 3n,
        brand: 1,
        producer: 2,
        gtin: 614141073464n,
        plannedQuantity: 500n,
        lot: "L1",
        expiry: 20281231,
        erpReference: HASH,
      },
      {
        order: 3,
        brand: 1,
        producer: 2,
        gtin: "00614141073464",
        plannedQuantity: 500,
        lot: "L1",
        expiry: 20281231,
        erpReference: HASH,
      },
    ],
    [
      "serials",
      "OrderAmended",
      { order: 3n, previousPlanned: 500n, plannedQuantity: 400n },
      { order: 3, previousPlanned: 500, plannedQuantity: 400 },
    ],
    [
      "serials",
      "BatchReleased",
      { batch: 7n, order: 3n, root: ROOT, count: 100n, contentCid: "bafkrei-leaves" },
      { batch: 7, order: 3, root: ROOT, count: 100, contentCid: "bafkrei-leaves" },
    ],
    [
      "serials",
      "CodesVoided",
      { batch: 7n, root: ROOT, count: 2n, reason: "bafkrei-notice" },
      { batch: 7, root: ROOT, count: 2, reason: "bafkrei-notice" },
    ],
    ["serials", "OrderRecalled", { order: 3n, reasonCid: "bafkrei-r" }, { order: 3, reasonCid: "bafkrei-r" }],
    ["serials", "BatchRecallLifted", { batch: 7n }, { batch: 7 }],
    [
      "serials",
      "ProductRecordSet",
      { gtin: 10614141073464n, brand: 1, version: 2, recordCid: "bafkrei-record" },
      { gtin: "10614141073464", brand: 1, version: 2, recordCid: "bafkrei-record" },
    ],
    [
      "log",
      "CommitmentAppended",
      {
        relayer: 6,
        sequence: 12n,
        root: ROOT,
        eventCount: 40,
        contentCid: "bafkrei-c",
        previousHash: ROOT,
        hash: HASH,
      },
      { relayer: 6, sequence: 12, root: ROOT, eventCount: 40, contentCid: "bafkrei-c", previousHash: ROOT, hash: HASH },
    ],
  ];
  for (const [contract, name, raw, args] of cases) {
    it(`reads ${name} as numbers, 14-digit GTINs, 13-digit GLNs and lower-case keys`, () => {
      expect(decode(contract, name, raw)).to.deep.equal({ contract, name, args });
    });
  }

  it("drops a log of another address, and the events that change no ledger state", () => {
    const other = rawLogOf(CONTRACTS, "registry", "ParticipantDeactivated", { participant: 1 }, 1);
    expect(decodeLedgerEvent({ ...other, address: "0x00000000000000000000000000000000000000ff" }, CONTRACTS)).to.equal(
      undefined,
    );
    const role = { role: HASH, account: KEY, sender: KEY };
    expect(decode("registry", "RoleGranted", role)).to.equal(undefined);
  });

  it("reads every event the contracts emit, but for the four that change no ledger state", () => {
    const ignored = new Set(["RoleAdminChanged", "RoleGranted", "RoleRevoked", "EIP712DomainChanged"]);
    const sample = (type: string) =>
      type === "address" ? KEY : type === "bytes32" ? ROOT : type === "string" ? "x" : type === "bool" ? true : 1n;
    const contracts: [LedgerEvent["contract"], Abi][] = [
      ["registry", participantRegistryAbi],
      ["serials", serialRegistryAbi],
      ["log", commitmentLogAbi],
    ];
    for (const [contract, abi] of contracts)
      for (const event of abi) {
        if (event.type !== "event" || ignored.has(event.name)) continue;
        const args = Object.fromEntries(event.inputs.map((i) => [i.name ?? "", sample(i.type)]));
        expect(decode(contract, event.name, args)?.name, `${contract} ${event.name}`).to.equal(event.name);
      }
  });
});
