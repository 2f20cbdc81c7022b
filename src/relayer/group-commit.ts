import type { EntryEvent, NewEntry, RelayerStore } from "./relayer-store";

interface Pending {
  entry: NewEntry;
  events: readonly EntryEvent[];
  resolve: (r: { created: boolean }) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: entries accepted while a transaction is being written wait and go together in the
 * next one, so many acknowledgements share one fsync. Each caller still hears back only after the
 * transaction holding its entry committed. When a group fails (one entry's nonce was used before),
 * its entries are written one by one, so each gets its own answer.
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private running = false;

  constructor(
    private readonly store: RelayerStore,
    private readonly maxGroup = 128,
  ) {}

  insert(entry: NewEntry, events: readonly EntryEvent[]): Promise<{ created: boolean }> {
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, events, resolve, reject });
      if (!this.running) {
        this.running = true;
        // let the entries checked in this turn of the event loop join the first group
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const group = this.pending.splice(0, this.maxGroup);
      try {
        const results = group.length === 1 ? [await this.one(group[0])] : await this.store.insertEntries(group);
        group.forEach((p, i) => p.resolve(results[i]));
      } catch (e) {
        if (group.length === 1) group[0].reject(e);
        else for (const p of group) await this.one(p).then(p.resolve, p.reject);
      }
    }
    this.running = false;
  }

  private one(p: Pending): Promise<{ created: boolean }> {
    return this.store.insertEntry(p.entry, p.events);
  }
}
