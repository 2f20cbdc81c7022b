import { IntegrityError } from "../core/errors";
import { buildBatch } from "./batcher";
import type { PipelineContext } from "./pipeline-context";
import { publishBatch } from "./publisher";
import type { BatchRow } from "./relayer-store";
import { resubmitIfStuck, submitBatch } from "./submitter";
import { watchBatch } from "./watcher";

export interface PipelineOptions extends Omit<PipelineContext, "log" | "now" | "replaceAfterMs"> {
  log?: PipelineContext["log"];
  now?: () => number;
  replaceAfterMs?: number;
  /** first retry delay after a failure; doubles up to 30 s */
  retryMs?: number;
  /** how often to look at the chain while a transaction is pending */
  pollMs?: number;
}

/**
 * Runs the batcher, publisher, submitter and watcher one step at a time, lowest sequence first:
 * a batch is built from queued entries, its content published, its commitment sent, and it is
 * marked committed only once the chain shows it. Each step is recorded before the next starts,
 * and the chain's head decides whether a sent batch landed, so a restart resumes at the right step
 * and nothing is committed twice. A failure that may pass (a node or the content store out of
 * reach, a contract refusal a governor can lift, such as a revoked key) is retried with
 * exponential backoff; an IntegrityError (the chain holds another root under this relayer's
 * sequence, or a head it cannot follow) halts the pipeline, as it halts the indexer: retrying
 * would only hide it. A halted pipeline says why in `halted`, /health and the metrics; what is
 * queued stays stored for after the repair.
 */
export class Pipeline {
  private readonly ctx: PipelineContext;
  private running = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  private failures = 0;
  /** the permanent fault the pipeline stopped on, when it did */
  halted?: Error;

  constructor(private readonly options: PipelineOptions) {
    this.ctx = {
      ...options,
      log: options.log ?? (() => undefined),
      now: options.now ?? Date.now,
      replaceAfterMs: options.replaceAfterMs ?? 60_000,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Something arrived: look again now rather than at the next tick. */
  poke(): void {
    this.wake?.();
  }

  /**
   * Stops after the step in progress. With `flush`, first closes and commits what is queued,
   * giving up after `timeoutMs` (what is left stays stored and is committed after a restart).
   */
  async stop(options: { flush?: boolean; timeoutMs?: number } = {}): Promise<void> {
    this.running = false;
    this.poke();
    await this.loop;
    if (options.flush) {
      let expired = false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          expired = true;
          resolve();
        }, options.timeoutMs ?? 30_000);
      });
      // a halted pipeline has said why; what is left stays stored
      await Promise.race([this.drain(() => !expired).catch(() => undefined), timeout]);
      clearTimeout(timer);
    }
  }

  /** Runs until nothing is queued or unfinished (or `keepGoing` says stop). */
  async drain(keepGoing: () => boolean = () => true): Promise<void> {
    let failures = 0;
    while (keepGoing()) {
      try {
        const outcome = await this.step(true);
        if (outcome === "idle") return;
        if (outcome === "waiting") await delay(this.options.pollMs ?? 250);
        failures = 0;
      } catch (e) {
        this.fail("drain", e);
        if (this.halted) throw e;
        await delay(Math.min(5000, (this.options.retryMs ?? 500) * 2 ** Math.min(failures++, 4)));
      }
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const outcome = await this.step(false);
        if (outcome === "waiting") await this.sleep(this.options.pollMs ?? 250);
        if (outcome === "idle") await this.sleep(Math.min(this.ctx.queue.dueIn(this.ctx.now()), 1000));
        this.failures = 0;
      } catch (e) {
        this.fail("pipeline", e);
        if (this.halted) return;
        this.failures++;
        const wait = Math.min(30_000, (this.options.retryMs ?? 500) * 2 ** Math.min(this.failures - 1, 6));
        this.ctx.log("pipeline.retry", { error: (e as Error).message, retryInMs: wait });
        await this.sleep(wait);
      }
    }
  }

  /**
   * One step: the lowest unfinished batch moves on, or (with none) a batch is built when due, or
   * anything is queued and `force`. "waiting": a sent batch the chain does not show yet.
   */
  private async step(force: boolean): Promise<"moved" | "waiting" | "idle"> {
    const unfinished = await this.ctx.store.unfinishedBatches();
    if (unfinished.length > 0) return (await this.advance(unfinished[0])) ? "moved" : "waiting";
    return (await buildBatch(this.ctx, force)) ? "moved" : "idle";
  }

  /** Moves the lowest unfinished batch one step on; false when it is waiting on the chain. */
  private async advance(batch: BatchRow): Promise<boolean> {
    if (batch.status === "built") {
      await publishBatch(this.ctx, batch);
      return true;
    }
    // published or sent: the chain may already hold it (sent just before a crash, or mined since)
    if (await watchBatch(this.ctx, batch)) return true;
    if (batch.status === "published") {
      await submitBatch(this.ctx, batch);
      return true;
    }
    return resubmitIfStuck(this.ctx, batch);
  }

  /** Counts a failed step; a permanent one halts the pipeline and says so, once. */
  private fail(step: string, e: unknown): void {
    this.ctx.metrics?.chainErrors.inc({ step });
    if (!(e instanceof IntegrityError) || this.halted) return;
    this.halted = e;
    this.running = false;
    this.ctx.metrics?.halted.set(1);
    this.ctx.log("pipeline.halted", { error: this.halted.message });
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
