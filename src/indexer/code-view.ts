import { unitIdentifier } from "../core/epcis/unit-identifier";
import { checkSerial } from "../core/gs1/digital-link";
import { normalizeGtin } from "../core/gs1/gtin";
import { codeLeafHash } from "../core/merkle/leaves";
import type { IndexerTables } from "../store/indexer-schema";
import { containerStretches, currentContainers, type HistoryRow } from "./container-stretches";
import type { IndexerStore } from "./indexer-store";

export type CodeStatus = "unknown" | "released" | "commissioned" | "packed" | "in_custody" | "sold" | "decommissioned";

export interface CodeView {
  code: { gtin: string; serial: string; epc: string };
  status: CodeStatus;
  recalled: boolean;
  release: {
    orderId: number;
    batchId: number;
    lot: string;
    expiry: number;
    brand: Party;
    producer: Party;
    block: number;
    transaction: string;
  } | null;
  holder: Party | null;
  /** the containers it is packed in, innermost first */
  containers: string[];
  /** its own history and its containers' while it was inside them (inherited custody), in ledger order */
  history: HistoryStep[];
  anomalies: { id: string; kind: string; detail: string; ref: string; time: string }[];
  /** the lifecycle is applied up to this block; later facts are not in the history yet */
  indexedToBlock: number | null;
}

export interface Party {
  id: number;
  name: string;
  gln: string;
}

export interface HistoryStep {
  epc: string;
  cause: string;
  time: string;
  place: string;
  by: Party | null;
  holder: Party | null;
  ref: string;
  block: number;
}

/**
 * A code's status and history for the public endpoint: read from the indexed state, so a
 * consumer's page shows it at once; the proof endpoint is what lets them check it.
 */
export async function codeView(store: IndexerStore, gtinInput: string, serialInput: string): Promise<CodeView> {
  const gtin = normalizeGtin(gtinInput);
  const serial = checkSerial(serialInput);
  const epc = unitIdentifier(gtin, serial);
  const db = store.db;
  const parties = new Map(
    (await db.selectFrom("participants").select(["id", "name", "gln"]).execute()).map((p) => [p.id, p]),
  );
  const party = (id: number): Party | null => {
    const p = parties.get(id);
    return p ? { id: p.id, name: p.name, gln: p.gln } : null;
  };

  const leaf = await db
    .selectFrom("code_leaves as l")
    .innerJoin("batches as b", "b.id", "l.batch_id")
    .innerJoin("orders as o", "o.id", "b.order_id")
    .select([
      "b.id as batch_id",
      "o.id as order_id",
      "o.lot",
      "o.expiry",
      "o.brand",
      "o.producer",
      "b.block_number",
      "b.transaction_hash",
    ])
    .where("l.leaf", "=", codeLeafHash(BigInt(gtin), serial))
    .executeTakeFirst();
  const recalled = leaf ? await isRecalled(store, { orderId: leaf.order_id, batchId: leaf.batch_id }) : false;

  const own = await historyRows(store, [epc]);
  // a refused fact changed nothing: the status is what the last fact that stood left
  const current = own.filter((r) => r.cause !== "refused").at(-1) ?? own.at(-1);
  // every container it was in, while it was in it: an unpacked unit keeps its case's handovers
  const stretches = await containerStretches(own, (container) => historyRows(store, [container]));
  const chain = currentContainers(stretches);
  const containers = chain.map((c) => c.epc);
  const inherited = stretches.flatMap((c) => c.rows);
  const holder = (chain.at(-1)?.holder || current?.holder) ?? 0;
  const steps = [...own, ...inherited].sort((a, b) => (a.ordinal < b.ordinal ? -1 : a.ordinal > b.ordinal ? 1 : 0));
  const anomalies = await db
    .selectFrom("anomalies")
    .select(["id", "kind", "detail", "ref", "time"])
    .where("epc", "=", epc)
    .orderBy("ordinal")
    .execute();
  const progress = await db
    .selectFrom("lifecycle_progress")
    .select((eb) => eb.fn.max("block_number").as("block"))
    .executeTakeFirst();

  const status: CodeStatus = current?.ended
    ? (current.ended as "sold" | "decommissioned")
    : containers.length
      ? "packed"
      : current && current.cause === "handed_over"
        ? "in_custody"
        : current?.commissioned
          ? "commissioned"
          : leaf
            ? "released"
            : "unknown";
  return {
    code: { gtin, serial, epc },
    status,
    recalled,
    release: leaf
      ? {
          orderId: leaf.order_id,
          batchId: leaf.batch_id,
          lot: leaf.lot,
          expiry: leaf.expiry,
          brand: party(leaf.brand) ?? { id: leaf.brand, name: "", gln: "" },
          producer: party(leaf.producer) ?? { id: leaf.producer, name: "", gln: "" },
          block: Number(leaf.block_number),
          transaction: leaf.transaction_hash,
        }
      : null,
    holder: holder ? party(holder) : null,
    containers,
    history: steps.map((r) => ({
      epc: r.epc,
      cause: r.cause,
      time: new Date(Number(r.time)).toISOString(),
      place: r.place,
      by: party(r.participant),
      holder: party(r.holder),
      ref: r.ref,
      block: Number(r.block_number),
    })),
    anomalies: anomalies.map((a) => ({ ...a, time: new Date(Number(a.time)).toISOString() })),
    indexedToBlock: progress?.block === null || progress?.block === undefined ? null : Number(progress.block),
  };
}

/** Whether the order (or, when given, the batch) is under a recall that has not been lifted. */
export async function isRecalled(store: IndexerStore, of: { orderId: number; batchId?: number }): Promise<boolean> {
  const last = async (column: "order_id" | "batch_id", id: number, kinds: IndexerTables["serial_events"]["kind"][]) =>
    (
      await store.db
        .selectFrom("serial_events")
        .select("kind")
        .where(column, "=", id)
        .where("kind", "in", kinds)
        .orderBy("block_number", "desc")
        .orderBy("log_index", "desc")
        .limit(1)
        .executeTakeFirst()
    )?.kind;
  if ((await last("order_id", of.orderId, ["order_recalled", "order_recall_lifted"])) === "order_recalled") return true;
  return (
    of.batchId !== undefined &&
    (await last("batch_id", of.batchId, ["batch_recalled", "batch_recall_lifted"])) === "batch_recalled"
  );
}

/** A code's (or container's) versioned history rows, in ledger order. */
export function historyRows(store: IndexerStore, epcs: string[]): Promise<HistoryRow[]> {
  return store.db.selectFrom("code_history").selectAll().where("epc", "in", epcs).orderBy("ordinal").execute();
}
