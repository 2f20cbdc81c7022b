import type { Hex } from "viem";
import { decodeLedgerEvent, type LedgerEvent } from "../chain/ledger-event";
import type { FailedCall, RawLog } from "../chain/chain-source";
import type { ContractAddresses } from "../chain/deployment";

/** Where something happened on the chain; ledger order is (block, transaction index, log index). */
export interface LedgerPosition {
  block: number;
  transactionIndex: number;
  logIndex: number;
  transaction: Hex;
}

/** A decoded log of one of the three contracts, where it happened. */
export type LedgerEventAt = LedgerEvent & { kind: "log"; at: LedgerPosition };

/** A call the contract refused (reverted), which leaves no log. */
export interface RefusedCall {
  kind: "refused";
  at: LedgerPosition;
  call: FailedCall;
}

export type LedgerItem = LedgerEventAt | RefusedCall;

/** Decodes the contracts' logs (others, and events that change no ledger state, are dropped). */
export function decodeLedgerLogs(logs: readonly RawLog[], contracts: ContractAddresses): LedgerEventAt[] {
  const out: LedgerEventAt[] = [];
  for (const log of logs) {
    const event = decodeLedgerEvent(log, contracts);
    if (!event) continue;
    out.push({
      ...event,
      kind: "log",
      at: {
        block: log.blockNumber,
        transactionIndex: log.transactionIndex,
        logIndex: log.logIndex,
        transaction: log.transactionHash,
      },
    });
  }
  return out;
}

/** Logs and refused calls in ledger order (a refused call has no logs: it sorts by its transaction). */
export function ledgerOrder(logs: readonly LedgerEventAt[], refused: readonly FailedCall[]): LedgerItem[] {
  const items: LedgerItem[] = [
    ...logs,
    ...refused.map(
      (call): RefusedCall => ({
        kind: "refused",
        at: {
          block: call.block,
          transactionIndex: call.transactionIndex,
          logIndex: -1,
          transaction: call.transactionHash,
        },
        call,
      }),
    ),
  ];
  return items.sort(
    (a, b) => a.at.block - b.at.block || a.at.transactionIndex - b.at.transactionIndex || a.at.logIndex - b.at.logIndex,
  );
}
