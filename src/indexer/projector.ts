import type { Transaction } from "kysely";
import { decodeLedgerEvent, type LedgerEvent } from "../chain/ledger-event";
import type { ContractAddresses } from "../chain/deployment";
import type { IndexerTables } from "../store/indexer-schema";
import { encodeCheckSubject, type CheckSubject } from "./check-subject";
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
    const event = decodeLedgerEvent(log, contracts);
    // logs of events that change no ledger state (role grants) are kept raw only
    if (event) await project(tx, log, event);
  }
}

async function project(tx: Tx, log: RawLog, event: LedgerEvent): Promise<void> {
  const at = { block_number: log.blockNumber, log_index: log.logIndex };
  const registry = (kind: IndexerTables["registry_events"]["kind"], participant: number, subject = "") =>
    tx
      .insertInto("registry_events")
      .values({ ...at, kind, participant, subject })
      .execute();
  const serial = (values: Partial<IndexerTables["serial_events"]> & { kind: IndexerTables["serial_events"]["kind"] }) =>
    tx
      .insertInto("serial_events")
      .values({ order_id: null, batch_id: null, quantity: null, root: null, cid: null, ...at, ...values })
      .execute();
  switch (event.name) {
    case "ParticipantRegistered": {
      const a = event.args;
      await tx
        .insertInto("participants")
        .values({ id: a.participant, kind: a.kind, gln: a.gln, name: a.name, block_number: log.blockNumber })
        .execute();
      return;
    }
    case "ParticipantDeactivated":
      return void (await registry("deactivated", event.args.participant));
    case "ParticipantReactivated":
      return void (await registry("reactivated", event.args.participant));
    case "KeyAdded":
      return void (await registry("key_added", event.args.participant, event.args.key));
    case "KeyRevoked":
      return void (await registry("key_revoked", event.args.participant, event.args.key));
    case "PrefixAssigned":
      return void (await registry("prefix_assigned", event.args.brand, event.args.prefix));
    case "PrefixUnassigned":
      return void (await registry("prefix_unassigned", event.args.brand, event.args.prefix));
    case "OrderOpened": {
      const a = event.args;
      await tx
        .insertInto("orders")
        .values({
          id: a.order,
          brand: a.brand,
          producer: a.producer,
          gtin: a.gtin,
          planned: a.plannedQuantity,
          lot: a.lot,
          expiry: a.expiry,
          erp_reference: a.erpReference,
          block_number: log.blockNumber,
          transaction_hash: log.transactionHash,
        })
        .execute();
      return;
    }
    case "OrderAmended":
      return void (await serial({ kind: "amended", order_id: event.args.order, quantity: event.args.plannedQuantity }));
    case "OrderClosed":
      return void (await serial({ kind: "closed", order_id: event.args.order }));
    case "BatchReleased": {
      const a = event.args;
      await tx
        .insertInto("batches")
        .values({
          id: a.batch,
          order_id: a.order,
          root: a.root,
          count: a.count,
          content_cid: a.contentCid,
          block_number: log.blockNumber,
          transaction_hash: log.transactionHash,
        })
        .execute();
      await pendingCheck(tx, { kind: "batch", batch: a.batch }, a.contentCid, log.blockNumber);
      return;
    }
    case "CodesVoided": {
      const a = event.args;
      return void (await serial({ kind: "voided", batch_id: a.batch, quantity: a.count, root: a.root, cid: a.reason }));
    }
    case "OrderRecalled":
      return void (await serial({ kind: "order_recalled", order_id: event.args.order, cid: event.args.reasonCid }));
    case "OrderRecallLifted":
      return void (await serial({ kind: "order_recall_lifted", order_id: event.args.order }));
    case "BatchRecalled":
      return void (await serial({ kind: "batch_recalled", batch_id: event.args.batch, cid: event.args.reasonCid }));
    case "BatchRecallLifted":
      return void (await serial({ kind: "batch_recall_lifted", batch_id: event.args.batch }));
    case "CommitmentAppended": {
      const a = event.args;
      await tx
        .insertInto("commitments")
        .values({
          relayer: a.relayer,
          sequence: a.sequence,
          root: a.root,
          event_count: a.eventCount,
          content_cid: a.contentCid,
          previous_hash: a.previousHash,
          hash: a.hash,
          block_number: log.blockNumber,
          transaction_hash: log.transactionHash,
        })
        .execute();
      await pendingCheck(
        tx,
        { kind: "commitment", relayer: a.relayer, sequence: a.sequence },
        a.contentCid,
        log.blockNumber,
      );
      return;
    }
    case "ProductRecordSet":
      // read from the chain when asked (GET /v1/products/{gtin}/record); not projected
      return;
  }
}

function pendingCheck(tx: Tx, subject: CheckSubject, cid: string, block: number) {
  return tx
    .insertInto("content_checks")
    .values({
      subject: encodeCheckSubject(subject),
      cid,
      status: "pending",
      detail: "",
      attempts: 0,
      block_number: block,
    })
    .execute();
}
