import { RateLimitedError } from "../core/errors";

/**
 * Remembers which signed requests were already served, so each is usable once: an entry lives
 * until its signature's time window has passed, after which the timestamp check refuses it anyway.
 * Bounded: past `maxEntries` live entries a new request waits (429) rather than evicting one that
 * could then be replayed.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly options: { maxEntries: number; now: () => number }) {}

  /** Records `id` as used until `expiresAt` (ms); false when it was used already. */
  use(id: string, expiresAt: number): boolean {
    const now = this.options.now();
    if (this.seen.size >= this.options.maxEntries) this.sweep(now);
    const until = this.seen.get(id);
    if (until !== undefined && until > now) return false;
    if (this.seen.size >= this.options.maxEntries) {
      throw new RateLimitedError("too many signed requests in the time window; try again shortly", 1);
    }
    this.seen.set(id, expiresAt);
    return true;
  }

  private sweep(now: number): void {
    for (const [id, until] of this.seen) if (until <= now) this.seen.delete(id);
  }
}
