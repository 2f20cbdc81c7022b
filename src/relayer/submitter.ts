import { IntegrityError } from "../core/errors";
import type { Hex } from "viem";
import type { TransactionFees } from "../chain/ledger";
import type { PipelineContext } from "./pipeline-context";
import type { BatchRow } from "./relayer-store";

/**
 * Sends CommitmentLog.commit for a published batch with the chain's current head hash, and records
 * the transaction and its nonce. The sequence must follow the relayer's on-chain head exactly.
 */
export async function submitBatch(
  ctx: PipelineContext,
  batch: BatchRow,
  overrides: { nonce?: number; fees?: TransactionFees } = {},
): Promise<void> {
  const { ledger, store } = ctx;
  // the same entries committed first by another relayer (a gateway that failed over, say): on chain already
  const [holder, at] = await ledger.read(() => ledger.commitmentLog.read.locateRoot([batch.root as Hex]));
  if (at !== 0n && holder !== ctx.relayer) {
    await store.supersedeBatch(batch.sequence);
    ctx.log("batch.committed_elsewhere", {
      sequence: batch.sequence,
      root: batch.root,
      relayer: holder,
      at: Number(at),
    });
    return;
  }
  const [head, headHash] = await ledger.read(() => ledger.commitmentLog.read.head([ctx.relayer]));
  if (Number(head) !== batch.sequence - 1) {
    throw new IntegrityError(
      `the chain's head for relayer ${ctx.relayer} is ${head}; batch ${batch.sequence} cannot follow it`,
    );
  }
  const { hash, nonce } = await ledger.send(
    () =>
      ledger.commitmentLog.simulate.commit(
        [
          BigInt(batch.sequence),
          batch.root as Hex,
          batch.event_count,
          batch.content_cid as string,
          headHash,
          // against the last block: a node may otherwise simulate on top of our own pending transaction
        ],
        { blockTag: "latest" },
      ),
    overrides,
  );
  ctx.onStep?.("tx.sent", batch.sequence);
  await store.updateBatch(batch.sequence, {
    status: "sent",
    transaction: hash,
    tx_nonce: nonce,
    sent_at: new Date(ctx.now()).toISOString(),
    previous_hash: headHash,
  });
  ctx.log(overrides.nonce === undefined ? "batch.sent" : "batch.replaced", {
    sequence: batch.sequence,
    transaction: hash,
    nonce,
    ...(overrides.nonce === undefined ? {} : { replaces: batch.transaction }),
  });
}

/**
 * Looks after a sent batch whose commitment the chain does not show yet: a transaction that
 * reverted or vanished from the node is sent again; one pending longer than `replaceAfterMs` is
 * replaced under the same nonce with fees raised by a quarter (a zero gas price stays zero, as
 * permissioned networks run without fees). Returns whether it sent anything.
 */
export async function resubmitIfStuck(ctx: PipelineContext, batch: BatchRow): Promise<boolean> {
  const client = ctx.ledger.publicClient;
  const hash = batch.transaction as Hex;
  const tx = await client.getTransaction({ hash }).catch((e: Error) => {
    if (e.name === "TransactionNotFoundError") return null;
    throw e;
  });
  if (tx === null) {
    ctx.log("batch.dropped", { sequence: batch.sequence, transaction: hash });
    await submitBatch(ctx, batch);
    return true;
  }
  if (tx.blockNumber !== null) {
    const receipt = await client.getTransactionReceipt({ hash });
    if (receipt.status === "reverted") {
      ctx.log("batch.reverted", { sequence: batch.sequence, transaction: hash });
      await submitBatch(ctx, batch);
      return true;
    }
    // mined and successful: the watcher sees the commitment at its next look
    return false;
  }
  const pendingFor = batch.sent_at ? ctx.now() - Date.parse(batch.sent_at) : 0;
  if (pendingFor < ctx.replaceAfterMs) return false;
  const bump = (x: bigint) => (x === 0n ? 0n : x + x / 4n + 1n);
  const fees: TransactionFees =
    tx.maxFeePerGas !== undefined && tx.maxPriorityFeePerGas !== undefined
      ? { maxFeePerGas: bump(tx.maxFeePerGas), maxPriorityFeePerGas: bump(tx.maxPriorityFeePerGas) }
      : { gasPrice: bump(tx.gasPrice ?? 0n) };
  await submitBatch(ctx, batch, { nonce: tx.nonce, fees });
  return true;
}
