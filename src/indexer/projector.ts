import type { Transaction } from "kysely";
import { decodeContractLog } from "../chain/contract-log";
import type { ContractAddresses } from "../chain/deployment";
import type { IndexerTables } from "../store/indexer-schema";
import type { RawLog } from "../chain/chain-source";

type Tx = Transaction<IndexerTables>;

/**
 * Derives state from one block's logs, inside the block's transaction: participants and their keys
 * and prefixes over time, orders, batches and their voids and recalls, commitments. Each release and
 * commitment also gets a pending content check (its CID is fetched and verified later). Logs of
 * events the indexer does not project (role grants) are kept raw only.
 */
export async function projectLogs(tx: Tx, contracts: ContractAddresses, logs: readonly RawLog[]): Promise<void> {
  for (const log of logs) {
    const decoded = decodeContractLog(log, contracts);
    // logs of events the indexer does not project (role grants) are kept raw only
    if (decoded) await project(tx, log, decoded.eventName, decoded.args);
  }
}

async function project(tx: Tx, log: RawLog, name: string, a: Record<string, unknown>): Promise<void> {
  const at = { block_number: log.blockNumber, log_index: log.logIndex };
  const registry = (kind: IndexerTables["registry_events"]["kind"], participant: unknown, subject = "") =>
    tx
      .insertInto("registry_events")
      .values({ ...at, kind, participant: Number(participant), subject })
      .execute();
  const serial = (values: Partial<IndexerTables["serial_events"]> & { kind: IndexerTables["serial_events"]["kind"] }) =>
    tx
      .insertInto("serial_events")
      .values({ order_id: null, batch_id: null, quantity: null, root: null, cid: null, ...at, ...values })
      .execute();
  switch (name) {
    case "ParticipantRegistered":
      await tx
        .insertInto("participants")
        .values({
          id: Number(a.participant),
          kind: Number(a.kind),
          gln: String(a.gln).padStart(13, "0"),
          name: String(a.name),
          block_number: log.blockNumber,
        })
        .execute();
      return;
    case "ParticipantDeactivated":
      return void (await registry("deactivated", a.participant));
    case "ParticipantReactivated":
      return void (await registry("reactivated", a.participant));
    case "KeyAdded":
      return void (await registry("key_added", a.participant, String(a.key).toLowerCase()));
    case "KeyRevoked":
      return void (await registry("key_revoked", a.participant, String(a.key).toLowerCase()));
    case "PrefixAssigned":
      return void (await registry("prefix_assigned", a.brand, String(a.prefix)));
    case "PrefixUnassigned":
      return void (await registry("prefix_unassigned", a.brand, String(a.prefix)));
    case "OrderOpened":
      await tx
        .insertInto("orders")
        .values({
          id: Number(a.order),
          brand: Number(a.brand),
          producer: Number(a.producer),
          gtin: String(a.gtin).padStart(14, "0"),
          planned: Number(a.plannedQuantity),
          lot: String(a.lot),
          expiry: Number(a.expiry),
          erp_reference: String(a.erpReference),
          block_number: log.blockNumber,
          transaction_hash: log.transactionHash,
        })
        .execute();
      return;
    case "OrderAmended":
      return void (await serial({ kind: "amended", order_id: Number(a.order), quantity: Number(a.plannedQuantity) }));
    case "OrderClosed":
      return void (await serial({ kind: "closed", order_id: Number(a.order) }));
    case "BatchReleased":
      await tx
        .insertInto("batches")
        .values({
          id: Number(a.batch),
          order_id: Number(a.order),
          root: String(a.root),
          count: Number(a.count),
          content_cid: String(a.contentCid),
          block_number: log.blockNumber,
          transaction_hash: log.transactionHash,
        })
        .execute();
      await pendingCheck(tx, `batch:${Number(a.batch)}`, String(a.contentCid), log.blockNumber);
      return;
    case "CodesVoided":
      return void (await serial({
        kind: "voided",
        batch_id: Number(a.batch),
        quantity: Number(a.count),
        root: String(a.root),
        cid: String(a.reason),
      }));
    case "OrderRecalled":
      return void (await serial({ kind: "order_recalled", order_id: Number(a.order), cid: String(a.reasonCid) }));
    case "OrderRecallLifted":
      return void (await serial({ kind: "order_recall_lifted", order_id: Number(a.order) }));
    case "BatchRecalled":
      return void (await serial({ kind: "batch_recalled", batch_id: Number(a.batch), cid: String(a.reasonCid) }));
    case "BatchRecallLifted":
      return void (await serial({ kind: "batch_recall_lifted", batch_id: Number(a.batch) }));
    case "CommitmentAppended":
      await tx
        .insertInto("commitments")
        .values({
          relayer: Number(a.relayer),
          sequence: Number(a.sequence),
          root: String(a.root),
          event_count: Number(a.eventCount),
          content_cid: String(a.contentCid),
          previous_hash: String(a.previousHash),
          hash: String(a.hash),
          block_number: log.blockNumber,
          transaction_hash: log.transactionHash,
        })
        .execute();
      await pendingCheck(
        tx,
        `commitment:${Number(a.relayer)}:${Number(a.sequence)}`,
        String(a.contentCid),
        log.blockNumber,
      );
      return;
  }
}

function pendingCheck(tx: Tx, subject: string, cid: string, block: number) {
  return tx
    .insertInto("content_checks")
    .values({ subject, cid, status: "pending", detail: "", attempts: 0, block_number: block })
    .execute();
}
