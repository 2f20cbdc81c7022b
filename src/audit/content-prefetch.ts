import type { ContentStore } from "../content/content-store";
import { CannotAuditError } from "./cannot-audit-error";

export interface ContentPrefetchOptions {
  store: ContentStore;
  /** the CIDs in the order they will be asked for, each with what it is (for messages) */
  wanted: readonly { cid: string; what: string }[];
  /** how many fetches run ahead of the one being read */
  window?: number;
  attempts?: number;
  retryDelayMs?: number;
}

/**
 * Fetches content ahead of the replay, which reads it strictly in ledger order: the store's latency
 * overlaps the checking. Each item is tried a few times; one that cannot be had stops the audit,
 * naming the CID and what pointed at it (a gap cannot be audited around).
 */
export class ContentPrefetch {
  private pending = new Map<number, Promise<Uint8Array>>();
  private started = 0;

  constructor(private readonly options: ContentPrefetchOptions) {}

  /** The bytes of item `index` (asked in ascending order). */
  async take(index: number): Promise<Uint8Array> {
    const window = this.options.window ?? 8;
    while (this.started < Math.min(this.options.wanted.length, index + window)) this.start(this.started++);
    if (!this.pending.has(index)) this.start(index);
    const bytes = this.pending.get(index) as Promise<Uint8Array>;
    this.pending.delete(index);
    return bytes;
  }

  private start(index: number): void {
    const promise = this.fetch(this.options.wanted[index]);
    promise.catch(() => undefined); // read (and thrown) when taken
    this.pending.set(index, promise);
  }

  private async fetch(item: { cid: string; what: string }): Promise<Uint8Array> {
    const attempts = this.options.attempts ?? 3;
    let last: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.options.store.get(item.cid);
      } catch (e) {
        last = e;
        if (attempt < attempts) await new Promise((r) => setTimeout(r, (this.options.retryDelayMs ?? 250) * attempt));
      }
    }
    throw new CannotAuditError(
      `the content of ${item.what} (${item.cid}) could not be fetched after ${attempts} attempts: ${(last as Error).message}`,
    );
  }
}
