import { encodeCommitmentDocument } from "../core/custody/commitment-document";
import type { PipelineContext } from "./pipeline-context";
import type { BatchRow } from "./relayer-store";

/**
 * Publishes a built batch's content (every entry with its signatures) to the content store and
 * records its CID. Publishing twice is harmless: the same bytes give the same CID.
 */
export async function publishBatch(ctx: PipelineContext, batch: BatchRow): Promise<void> {
  const { store, ledger, content } = ctx;
  const entries = await store.batchEntries(batch.sequence);
  const cid = await content.put(
    encodeCommitmentDocument(
      {
        chainId: ledger.options.deployment.chainId,
        commitmentLog: ledger.commitmentLog.address,
        relayer: ctx.relayer,
        sequence: batch.sequence,
        root: batch.root,
      },
      entries,
    ),
  );
  ctx.onStep?.("batch.published", batch.sequence);
  await store.updateBatch(batch.sequence, { status: "published", content_cid: cid });
  ctx.log("batch.published", { sequence: batch.sequence, cid });
}
