import { decodeFunctionData, hexToBytes, type Hex } from "viem";
import { serialRegistryAbi } from "../chain/abis";
import type { SerialsEvent } from "../chain/ledger-event";
import { packWords } from "../core/bytes";
import { LEAF_FILE_MAGIC, leafFileMismatch } from "../core/merkle/leaf-file";
import { MerkleTree } from "../core/merkle/tree";
import { VoidNoticeSchema } from "../core/orders/notices";
import type { AuditContext } from "./audit-context";
import type { BatchRecord } from "./audit-state";
import type { LeafIndex } from "./leaf-index";
import type { LedgerEventAt, RefusedCall } from "./ledger-log";
import { firstLine } from "./violation-wording";

/** The releases stage: orders, batches and their leaf files, voids and recalls, against the order limits. */
export function replaySerials(
  ctx: AuditContext,
  log: LedgerEventAt & SerialsEvent,
  content: Uint8Array | undefined,
): void {
  const { state } = ctx.options;
  const at = { block: log.at.block, transaction: log.at.transaction };
  switch (log.name) {
    case "OrderOpened": {
      const a = log.args;
      state.orders.set(a.order, {
        brand: a.brand,
        producer: a.producer,
        gtin: a.gtin,
        lot: a.lot,
        expiry: a.expiry,
        erpReference: a.erpReference,
        opened: at,
        planned: a.plannedQuantity,
        released: 0,
        voided: 0,
        commissioned: 0,
        exceptions: 0,
        closed: false,
        recalled: false,
        batches: [],
        refused: [],
      });
      return;
    }
    case "OrderAmended": {
      const order = ctx.order(log.args.order);
      order.planned = log.args.plannedQuantity;
      ctx.check("order_limits");
      if (order.planned < order.released) {
        ctx.flag(
          "plan_below_released",
          `Order ${log.args.order} was amended to plan ${order.planned} codes after ${order.released} were released.`,
          { ...at, order: log.args.order },
        );
      }
      return;
    }
    case "OrderClosed":
      ctx.order(log.args.order).closed = true;
      return;
    case "BatchReleased":
      return release(ctx, log, content as Uint8Array);
    case "CodesVoided":
      return voided(ctx, log, content as Uint8Array);
    case "OrderRecalled":
    case "OrderRecallLifted":
      ctx.order(log.args.order).recalled = log.name === "OrderRecalled";
      return;
    case "BatchRecalled":
    case "BatchRecallLifted":
      ctx.batch(log.args.batch).recalled = log.name === "BatchRecalled";
      return;
    case "ProductRecordSet":
      // a product record changes no code's standing
      return;
  }
}

function release(ctx: AuditContext, log: LedgerEventAt & { name: "BatchReleased" }, bytes: Uint8Array): void {
  const { state, leaves } = ctx.options;
  const { batch: id, order: orderId, count, root, contentCid } = log.args;
  const order = ctx.order(orderId);
  const evidence = { block: log.at.block, transaction: log.at.transaction, order: orderId, batch: id };
  ctx.check("order_limits");
  if (order.closed) {
    ctx.flag(
      "release_after_close",
      `Batch ${id} released ${count} codes of order ${orderId} after the order was closed.`,
      evidence,
    );
  }
  order.released += count;
  if (order.released > order.planned) {
    ctx.flag(
      "release_over_plan",
      `Batch ${id} brought order ${orderId} to ${order.released} released codes; the order planned ${order.planned}.`,
      evidence,
    );
  }
  order.batches.push(id);
  const batch: BatchRecord = {
    order: orderId,
    root,
    count,
    cid: contentCid,
    block: log.at.block,
    transaction: log.at.transaction,
    voided: 0,
    commissioned: 0,
    recalled: false,
    leavesValid: false,
  };
  state.batches.set(id, batch);
  ctx.check("release_content");
  const problem = leafFileProblem(bytes, batch);
  if (problem) {
    ctx.flag(
      "release_content_mismatch",
      `The leaf file published for batch ${id} does not match the release on the chain: ${problem}. Its codes cannot be shown to be released.`,
      { ...evidence, cid: batch.cid },
    );
    return;
  }
  batch.leavesValid = true;
  const repeated = leaves.add(id, bytes.subarray(LEAF_FILE_MAGIC.length));
  const byBatch = new Map<number, number>();
  for (const r of repeated) byBatch.set(r.batch, (byBatch.get(r.batch) ?? 0) + 1);
  for (const [earlier, n] of byBatch) {
    ctx.flag("code_released_twice", `${n} codes of batch ${id} were already released in batch ${earlier}.`, {
      ...evidence,
      cid: batch.cid,
    });
  }
}

/** Rebuilds the leaf index entry of a batch checked in an earlier run (resuming from a checkpoint). */
export function reindexBatch(leaves: LeafIndex, id: number, batch: BatchRecord, bytes: Uint8Array): string | undefined {
  const problem = leafFileProblem(bytes, batch);
  if (!problem) leaves.add(id, bytes.subarray(LEAF_FILE_MAGIC.length));
  return problem;
}

function voided(ctx: AuditContext, log: LedgerEventAt & { name: "CodesVoided" }, bytes: Uint8Array): void {
  const { state, leaves } = ctx.options;
  const { batch: id, count, reason } = log.args;
  const batch = ctx.batch(id);
  const order = ctx.order(batch.order);
  batch.voided += count;
  order.voided += count;
  const evidence = {
    block: log.at.block,
    transaction: log.at.transaction,
    cid: reason,
    order: batch.order,
    batch: id,
  };
  ctx.check("voids");
  let notice;
  try {
    notice = VoidNoticeSchema.parse(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)));
  } catch (e) {
    ctx.flag(
      "void_notice_mismatch",
      `The void notice of batch ${id} is not a valid notice: ${firstLine(e)}.`,
      evidence,
    );
    return;
  }
  let root = "";
  try {
    root = MerkleTree.fromLeafHashes(packWords(notice.leaves as Hex[])).root;
  } catch (e) {
    root = `none (${firstLine(e)})`; // a leaf listed twice
  }
  const problem =
    notice.batch !== String(id)
      ? `it names batch ${notice.batch}`
      : root !== log.args.root
        ? `its leaves give root ${root}, the chain's is ${log.args.root}`
        : notice.leaves.length !== count
          ? `it lists ${notice.leaves.length} codes, the chain voided ${count}`
          : notice.leaves.some((l) => leaves.batchOf(hexToBytes(l as Hex)) !== id)
            ? `it lists a code that batch ${id} did not release`
            : notice.leaves.some((l) => state.voidedLeaves.has(l))
              ? "it lists a code voided before"
              : "";
  if (problem) {
    ctx.flag("void_notice_mismatch", `The void notice of batch ${id} does not match the chain: ${problem}.`, evidence);
    return;
  }
  for (const leaf of notice.leaves) {
    state.voidedLeaves.add(leaf);
    if (state.commissionedLeaves.has(leaf)) {
      batch.commissioned--;
      order.commissioned--;
      order.exceptions++;
      ctx.flag(
        "voided_code_commissioned",
        `A code of batch ${id} was voided after it had been commissioned: a voided code is in circulation (leaf ${leaf}).`,
        evidence,
      );
    }
  }
}

export function replayRefusedCall(ctx: AuditContext, { at, call }: RefusedCall): void {
  let decoded;
  try {
    decoded = decodeFunctionData({ abi: serialRegistryAbi, data: call.input });
  } catch {
    return; // not a well-formed call: refused for that alone
  }
  if (decoded.functionName !== "releaseBatch") return;
  const [orderId, , count] = decoded.args as unknown as [bigint, Hex, bigint, string];
  const order = ctx.options.state.orders.get(Number(orderId));
  if (!order) return;
  ctx.check("order_limits");
  if (order.released + Number(count) > order.planned) {
    order.refused.push({
      block: at.block,
      transaction: at.transaction,
      count: Number(count),
      releasedBefore: order.released,
      planned: order.planned,
    });
  }
}

/** Why a leaf file does not give a batch's root and count, or "" when it does. */
function leafFileProblem(bytes: Uint8Array, batch: { root: string; count: number }): string {
  const mismatch = leafFileMismatch(bytes, batch);
  switch (mismatch?.kind) {
    case undefined:
      return "";
    case "malformed":
      return `it is not a leaf file (${mismatch.reason.split("\n")[0]})`;
    case "root":
      return `it gives root ${mismatch.actual}, the chain's is ${mismatch.expected}`;
    case "count":
      return `it holds ${mismatch.actual} codes, the chain's count is ${mismatch.expected}`;
  }
}
