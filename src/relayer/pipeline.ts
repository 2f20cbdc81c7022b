import type { Hex } from "viem";
import type { Ledger } from "../chain/ledger";
import type { ContentStore } from "../content/content-store";
import { commitmentTree } from "../core/custody/capture-tree";
import { batchContent } from "./batch-content";
import type { BatchQueue } from "./batch-queue";
import type { BatchRow, RelayerStore } from "./relayer-store";

export interface PipelineOptions {
  store: RelayerStore;
  content: ContentStore;
  ledger: Ledger;
  queue: BatchQueue;
  /** the relayer's participant id (its key signs the commitments) */
  relayer: number;
  /** most entries per batch */
  maxEntries: number;
  /** first retry delay after a failure; doubles up to 30 s */
  retryMs?: number;
  log?: (event: string, detail: Record<string, unknown>) => void;
  now?: () => number;
}

/**
 * The batcher, publisher, submitter and watcher, run one step at a time in sequence order:
 * a batch is built from queued entries (recorded with its sequence and the chain's head hash),
 * its content published, the commitment sent, and the batch marked committed only once the chain
 * shows it. Each step is recorded before the next starts, so a restart resumes at the right step,
 * and the chain's head decides whether a sent batch landed: nothing is committed twice.
 */
export class Pipeline {
  private running = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  private failures = 0;

  constructor(private readonly options: PipelineOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Something arrived: look again now rather than at the next tick. */
  poke(): void {
    this.wake?.();
  }

  /** Stops after the step in progress; with `flush`, first closes and commits what is queued. */
  async stop(options: { flush?: boolean } = {}): Promise<void> {
    if (options.flush && this.running) await this.drain();
    this.running = false;
    this.poke();
    await this.loop;
  }

  /** Runs until nothing is queued or unfinished. */
  async drain(): Promise<void> {
    for (;;) {
      const unfinished = await this.options.store.unfinishedBatches();
      if (unfinished.length > 0) await this.advance(unfinished[0]);
      else if (!(await this.build(true))) return;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const unfinished = await this.options.store.unfinishedBatches();
        if (unfinished.length > 0) await this.advance(unfinished[0]);
        else if (!(await this.build(false))) await this.sleep(Math.min(this.options.queue.dueIn(this.now()), 1000));
        this.failures = 0;
      } catch (e) {
        this.failures++;
        const delay = Math.min(30_000, (this.options.retryMs ?? 500) * 2 ** Math.min(this.failures - 1, 6));
        this.options.log?.("pipeline.retry", { error: (e as Error).message, delayMs: delay });
        await this.sleep(delay);
      }
    }
  }

  /** Closes a batch from the queue when it is due (or when `force`d and anything is queued). */
  private async build(force: boolean): Promise<boolean> {
    const { store, queue, ledger } = this.options;
    if (!force && !queue.ready(this.now())) return false;
    const entries = await store.queued(this.options.maxEntries);
    if (entries.length === 0) {
      queue.taken(0, this.now());
      return false;
    }
    const [head, hash] = await ledger.read(() => ledger.log.read.head([this.options.relayer]));
    const last = await store.lastBatch();
    const sequence = Math.max(Number(head), last?.sequence ?? 0) + 1;
    // the previous hash is filled in from the chain when the batch is sent (after its predecessor lands)
    const tree = commitmentTree(entries.map((e) => ({ kind: e.kind, digest: e.digest as Hex })));
    await store.createBatch(
      {
        sequence,
        root: tree.root,
        entry_count: entries.length,
        event_count: entries.reduce((n, e) => n + e.event_count, 0),
        previous_hash: sequence === Number(head) + 1 ? hash : "",
        created_at: new Date(this.now()).toISOString(),
      },
      entries.map((e) => e.digest),
    );
    const depth = await store.queueDepth();
    queue.taken(depth.events, this.now());
    this.options.log?.("batch.built", { sequence, entries: entries.length, root: tree.root });
    return true;
  }

  /** Moves the lowest unfinished batch one step on. */
  private async advance(batch: BatchRow): Promise<void> {
    const { store, ledger, content } = this.options;
    if (batch.status === "built") {
      const entries = await store.batchEntries(batch.sequence);
      const cid = await content.put(
        batchContent(
          {
            chainId: ledger.options.deployment.chainId,
            commitmentLog: ledger.log.address,
            relayer: this.options.relayer,
            sequence: batch.sequence,
            root: batch.root,
          },
          entries,
        ),
      );
      await store.updateBatch(batch.sequence, { status: "published", content_cid: cid });
      this.options.log?.("batch.published", { sequence: batch.sequence, cid });
      return;
    }
    const [head, headHash] = await ledger.read(() => ledger.log.read.head([this.options.relayer]));
    if (Number(head) >= batch.sequence) {
      // the watcher's job: the chain holds this sequence; it must be our root
      const c = await ledger.read(() => ledger.log.read.commitment([this.options.relayer, BigInt(batch.sequence)]));
      if (c.root !== batch.root) {
        throw new Error(`sequence ${batch.sequence} holds root ${c.root} on chain, this relayer built ${batch.root}`);
      }
      await store.updateBatch(batch.sequence, {
        status: "committed",
        block_number: c.blockNumber.toString(),
        commitment_hash: c.hash,
      });
      this.options.log?.("batch.committed", { sequence: batch.sequence, block: c.blockNumber.toString() });
      return;
    }
    if (Number(head) !== batch.sequence - 1) {
      throw new Error(
        `the chain's head for relayer ${this.options.relayer} is ${head}; batch ${batch.sequence} cannot follow it`,
      );
    }
    // published, or sent without landing (dropped, reverted, or the process died): send (again)
    const { hash } = await ledger.write(() =>
      ledger.log.simulate.commit([
        BigInt(batch.sequence),
        batch.root as Hex,
        batch.event_count,
        batch.content_cid as string,
        headHash,
      ]),
    );
    await store.updateBatch(batch.sequence, { status: "sent", transaction: hash, previous_hash: headHash });
    this.options.log?.("batch.sent", { sequence: batch.sequence, transaction: hash });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
