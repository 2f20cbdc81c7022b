/**
 * When to close a batch, with no I/O: at `maxEvents` queued events, or `maxWaitMs` after the oldest
 * queued entry arrived, whichever comes first. The pipeline asks; intake tells it what arrived.
 */
export class BatchQueue {
  private events = 0;
  private oldest: number | undefined;

  constructor(private readonly options: { maxEvents: number; maxWaitMs: number }) {}

  /** Entries arrived (or were found queued at start). */
  added(events: number, at: number): void {
    this.events += events;
    this.oldest ??= at;
  }

  /** A batch of `events` was taken from the queue; `remaining` is what the store still holds. */
  taken(remaining: number, at: number): void {
    this.events = remaining;
    this.oldest = remaining > 0 ? at : undefined;
  }

  /** Whether a batch should close now. */
  ready(now: number): boolean {
    if (this.events === 0) return false;
    return this.events >= this.options.maxEvents || now - (this.oldest ?? now) >= this.options.maxWaitMs;
  }

  /** Milliseconds until the wait closes a batch (Infinity when nothing is queued). */
  dueIn(now: number): number {
    return this.oldest === undefined ? Infinity : Math.max(0, this.oldest + this.options.maxWaitMs - now);
  }
}
