/**
 * A fixed number of slots taken and given back in order of asking: how the forwarder bounds the
 * captures at the relayers at once while the next ones are signed meanwhile.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`slots ${size} is not a positive integer`);
    this.free = size;
  }

  /** Runs `task` in a slot, waiting for one to be free first. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
