import { IntegrityError } from "../core/errors";
import type { PipelineContext } from "./pipeline-context";
import type { BatchRow } from "./relayer-store";

/**
 * Marks a batch committed once the chain holds its sequence, never before: the commitment there
 * must carry this batch's root, and its CommitmentAppended log gives the transaction that landed
 * (a replacement, or one sent just before a crash, may differ from the one recorded). Returns
 * whether the batch is now committed.
 */
export async function watchBatch(ctx: PipelineContext, batch: BatchRow): Promise<boolean> {
  const { ledger, store } = ctx;
  const [head] = await ledger.read(() => ledger.commitmentLog.read.head([ctx.relayer]));
  if (Number(head) < batch.sequence) return false;
  const sequence = BigInt(batch.sequence);
  const c = await ledger.read(() => ledger.commitmentLog.read.commitment([ctx.relayer, sequence]));
  if (c.root !== batch.root) {
    // the chain holds another batch under this sequence: no retry makes this relayer's batch land there
    throw new IntegrityError(
      `sequence ${batch.sequence} holds root ${c.root} on chain; this relayer built ${batch.root}`,
    );
  }
  const logs = await ledger.read(() =>
    ledger.commitmentLog.getEvents.CommitmentAppended(
      { relayer: ctx.relayer, sequence },
      { fromBlock: c.blockNumber, toBlock: c.blockNumber },
    ),
  );
  ctx.onStep?.("commit.seen", batch.sequence);
  const transaction = logs[0]?.transactionHash ?? batch.transaction;
  await store.updateBatch(batch.sequence, {
    status: "committed",
    block_number: c.blockNumber.toString(),
    commitment_hash: c.hash,
    transaction,
  });
  ctx.onStep?.("batch.committed", batch.sequence);
  ctx.metrics?.commitLatency.observe(Math.max(0, ctx.now() - Date.parse(batch.created_at)) / 1000);
  ctx.log("batch.committed", { sequence: batch.sequence, block: c.blockNumber.toString(), transaction });
  return true;
}
