import { IntegrityError } from "../core/errors";
import type { ContentChecker } from "./content-checker";
import type { LifecycleProjector } from "./lifecycle-projector";
import type { IndexerMetrics } from "./metrics";
import type { Syncer } from "./syncer";
import type { WebhookDispatcher } from "./webhooks";
import type { SubscriptionRunner } from "./subscription-runner";

export interface IndexerLoopOptions {
  syncer: Syncer;
  checker: ContentChecker;
  lifecycle: LifecycleProjector;
  webhooks?: WebhookDispatcher;
  /** the EPCIS query subscriptions: reported and delivered beside indexing */
  subscriptions?: SubscriptionRunner;
  metrics?: IndexerMetrics;
  /** the wait between rounds once caught up, or after a failed round */
  pollMs: number;
  log?: (event: string, detail: Record<string, unknown>) => void;
}

/**
 * One indexing round after another: follow the chain, check the content it points at, apply the
 * lifecycle rules, push anomalies out. A failed round (node, content store or database away) is
 * logged and retried; an IntegrityError (the node contradicts itself) halts the loop, since
 * going on could project state that is wrong.
 */
export class IndexerLoop {
  private running = false;
  private wake?: () => void;
  private done?: Promise<void>;
  private delivering?: Promise<void>;
  private reporting: Promise<void> | undefined;
  /** why the loop halted, when it did */
  halted?: Error;

  constructor(private readonly options: IndexerLoopOptions) {}

  /** One round; true when it did anything (so another should follow at once). */
  async round(): Promise<boolean> {
    const { syncer, checker, lifecycle, webhooks } = this.options;
    const synced = (await syncer.step()) === "synced";
    const checked = await checker.runOnce();
    const applied = await lifecycle.runOnce();
    if (webhooks) {
      await webhooks.enqueue();
      // deliveries run beside indexing: a slow or dead receiver must not hold up the index
      this.delivering ??= webhooks
        .deliverDue()
        .then(
          () => undefined,
          (e: Error) => this.options.log?.("webhook.error", { error: e.message }),
        )
        .finally(() => (this.delivering = undefined));
    }
    const { subscriptions } = this.options;
    if (subscriptions) {
      this.reporting ??= (async () => {
        await subscriptions.run();
        await subscriptions.deliverDue();
      })()
        .catch((e: Error) => this.options.log?.("subscription.error", { error: e.message }))
        .finally(() => (this.reporting = undefined));
    }
    return !synced || checked > 0 || applied > 0;
  }

  /** Rounds until one does nothing: the head reached, all fetchable content checked and applied. */
  async catchUp(): Promise<void> {
    while (await this.round());
    await this.delivering;
    await this.reporting;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = (async () => {
      while (this.running) {
        let busy = false;
        try {
          busy = await this.round();
        } catch (e) {
          if (e instanceof IntegrityError) {
            this.halted = e;
            this.running = false;
            this.options.log?.("indexer.halted", { error: e.message });
            break;
          }
          this.options.metrics?.loopErrors.inc({ stage: (e as Error).name });
          this.options.log?.("indexer.retry", { error: (e as Error).message });
        }
        if (!busy && this.running) {
          this.options.log?.("indexer.idle", {});
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.options.pollMs);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    })();
  }

  /** Stops after the round in progress (a round's writes are each one transaction). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.done;
    await this.delivering;
    await this.reporting;
  }
}
