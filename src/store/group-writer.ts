interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for a store's writes: items written while a transaction is on its way wait and go
 * together in the next (one fsync for the group). Each caller hears back only once the transaction
 * holding its item committed; when a group fails, its items are written one by one, so each gets
 * its own answer.
 */
export class GroupWriter<T> {
  private pending: Pending<T>[] = [];
  private running = false;

  constructor(
    private readonly write: (items: readonly T[]) => Promise<void>,
    private readonly maxGroup = 128,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // what arrives in this turn of the event loop joins the first group
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const group = this.pending.splice(0, this.maxGroup);
      try {
        await this.write(group.map((p) => p.item));
        for (const p of group) p.resolve();
      } catch (e) {
        if (group.length === 1) group[0].reject(e);
        else for (const p of group) await this.write([p.item]).then(p.resolve, p.reject);
      }
    }
    this.running = false;
  }
}
