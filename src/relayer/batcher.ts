import { commitmentTree } from "../core/custody/capture-tree";
import type { Hex } from "../core/bytes";
import type { PipelineContext } from "./pipeline-context";
import type { EntryRow } from "./relayer-store";

/**
 * Closes a batch from the queue when it is due (or when `force`d and anything is queued): takes the
 * oldest entries, builds their commitment tree, and records the batch and its entries in one
 * transaction under the next sequence number. Returns whether a batch was built.
 */
export async function buildBatch(ctx: PipelineContext, force: boolean): Promise<boolean> {
  const { store, queue, ledger } = ctx;
  if (!force && !queue.ready(ctx.now())) return false;
  const queued = await store.queued(ctx.maxEntries);
  // the oldest entries, as many as fit in maxEvents (the first one always goes)
  const entries: EntryRow[] = [];
  let events = 0;
  for (const e of queued) {
    if (entries.length > 0 && events + e.event_count > ctx.maxEvents) break;
    entries.push(e);
    events += e.event_count;
  }
  if (entries.length === 0) {
    queue.taken(0, ctx.now());
    return false;
  }
  const [head] = await ledger.read(() => ledger.commitmentLog.read.head([ctx.relayer]));
  const last = await store.lastBatch();
  const sequence = Math.max(Number(head), last?.sequence ?? 0) + 1;
  const tree = commitmentTree(entries.map((e) => ({ kind: e.kind, digest: e.digest as Hex })));
  await store.createBatch(
    {
      sequence,
      root: tree.root,
      entry_count: entries.length,
      event_count: events,
      // the previous hash is read from the chain when the batch is sent, after its predecessor landed
      previous_hash: "",
      created_at: new Date(ctx.now()).toISOString(),
    },
    entries.map((e) => e.digest),
  );
  ctx.onStep?.("batch.built", sequence);
  const depth = await store.queueDepth();
  queue.taken(depth.events, ctx.now());
  ctx.metrics?.batchEvents.observe(events);
  ctx.metrics?.queueDepth.set(depth.events);
  ctx.log("batch.built", { sequence, entries: entries.length, events, root: tree.root });
  return true;
}
