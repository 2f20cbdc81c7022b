import { NotFoundError } from "../core/errors";
import { isRecalled } from "./code-view";
import { encodeCheckSubject } from "./check-subject";
import type { IndexerStore } from "./indexer-store";

/** An order as its brand and producer reconcile it: released = applied + voided + unused. */
export async function orderView(store: IndexerStore, id: number) {
  const order = await store.db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
  if (!order) throw new NotFoundError(`no order ${id}`);
  const batches = await store.db.selectFrom("batches").selectAll().where("order_id", "=", id).orderBy("id").execute();
  const events = await store.db
    .selectFrom("serial_events")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb("order_id", "=", id),
        ...(batches.length
          ? [
              eb(
                "batch_id",
                "in",
                batches.map((b) => b.id),
              ),
            ]
          : []),
      ]),
    )
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();
  const amended = events.filter((e) => e.kind === "amended").at(-1);
  const planned = amended ? Number(amended.quantity) : Number(order.planned);
  const released = batches.reduce((n, b) => n + Number(b.count), 0);
  const voided = events.filter((e) => e.kind === "voided").reduce((n, e) => n + Number(e.quantity ?? 0), 0);
  return {
    id: order.id,
    gtin: order.gtin,
    lot: order.lot,
    expiry: order.expiry,
    brand: order.brand,
    producer: order.producer,
    erpReference: order.erp_reference,
    planned,
    released,
    voided,
    remaining: planned - released,
    closed: events.some((e) => e.kind === "closed"),
    recalled: await isRecalled(store, { orderId: id }),
    block: Number(order.block_number),
    transaction: order.transaction_hash,
    batches: batches.map((b) => ({ id: b.id, count: Number(b.count), root: b.root, block: Number(b.block_number) })),
  };
}

/** A batch with what checking its leaf file found, its voids and its recall standing. */
export async function batchView(store: IndexerStore, id: number) {
  const batch = await store.db.selectFrom("batches").selectAll().where("id", "=", id).executeTakeFirst();
  if (!batch) throw new NotFoundError(`no batch ${id}`);
  const check = await store.db
    .selectFrom("content_checks")
    .select(["status", "detail"])
    .where("subject", "=", encodeCheckSubject({ kind: "batch", batch: id }))
    .executeTakeFirst();
  const voids = await store.db
    .selectFrom("serial_events")
    .select(["quantity", "root", "cid", "block_number"])
    .where("batch_id", "=", id)
    .where("kind", "=", "voided")
    .orderBy("block_number")
    .execute();
  return {
    id: batch.id,
    orderId: batch.order_id,
    root: batch.root,
    count: Number(batch.count),
    contentCid: batch.content_cid,
    content: check ?? { status: "pending", detail: "" },
    voids: voids.map((v) => ({
      count: Number(v.quantity),
      root: v.root,
      notice: v.cid,
      block: Number(v.block_number),
    })),
    recalled: await isRecalled(store, { orderId: batch.order_id, batchId: id }),
    block: Number(batch.block_number),
    transaction: batch.transaction_hash,
  };
}
