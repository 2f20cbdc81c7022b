import { RateLimitedError } from "../core/errors";

export interface RateLimiterOptions {
  /** tokens (events) a key earns per second */
  ratePerSecond: number;
  /** most tokens a key can save up: the largest burst */
  burst: number;
  /** what a token stands for, in the refusal's message (default "events") */
  unit?: string;
  now?: () => number;
}

/**
 * A token bucket per key (a submitter's address, or a client's IP). Only verified submissions spend tokens, so
 * nobody can drain another participant's bucket by claiming its address; `check` refuses early,
 * before the expensive checks, a key whose bucket is already empty.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly options: RateLimiterOptions) {}

  /** Throws when `key` has nothing left right now; spends nothing. */
  check(key: string): void {
    const bucket = this.refill(key);
    if (bucket.tokens <= 0) this.refuse(key, bucket.tokens, 1);
  }

  /** Spends `cost` tokens of `key`, or throws RateLimitedError when it has too few. */
  take(key: string, cost: number): void {
    const bucket = this.refill(key);
    const need = Math.min(cost, this.options.burst);
    if (bucket.tokens < need) this.refuse(key, bucket.tokens, need);
    bucket.tokens -= cost;
  }

  /** Spends `cost` tokens of `key` whatever it has left (the bucket may go below zero); never throws. */
  spend(key: string, cost: number): void {
    this.refill(key).tokens -= cost;
  }

  private refill(key: string): { tokens: number; at: number } {
    const now = (this.options.now ?? Date.now)();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(
      this.options.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.options.ratePerSecond,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.forgetFull(now);
    return bucket;
  }

  private refuse(key: string, tokens: number, need: number): never {
    const seconds = Math.max(1, Math.ceil((need - tokens) / this.options.ratePerSecond));
    throw new RateLimitedError(
      `${key} is over its rate of ${this.options.ratePerSecond} ${this.options.unit ?? "events"}/s (burst ${this.options.burst}); retry in ${seconds} s`,
      seconds,
    );
  }

  /** Buckets that refilled completely carry no state worth keeping. */
  private forgetFull(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.options.ratePerSecond >= this.options.burst) this.buckets.delete(key);
    }
  }
}
