import { Worker } from "node:worker_threads";

/**
 * Checkpoints a SQLite file's write-ahead log from a thread of its own, so that the service's
 * thread never copies the log into the database file nor waits for those syncs. SQLite's own
 * automatic checkpoint runs inside the commit that crosses its threshold: with random keys (event
 * hashes) a commit dirties many pages, the log crosses 1,000 pages every few commits, and the
 * service stalls for each copy. Here the service's connection checkpoints only as a backstop (a
 * log of `BACKSTOP_PAGES`), and this thread runs a passive checkpoint (it waits for no reader or
 * writer) at most every `intervalMs` while there are writes, and once more after they stop.
 */
export class WalCheckpointer {
  private worker: Worker | undefined;
  private running = false;
  private again = false;
  private last = 0;
  private trailing: NodeJS.Timeout | undefined;
  private closed = false;

  /** the service connection's own automatic checkpoint, kept only in case this thread falls behind */
  static readonly BACKSTOP_PAGES = 16_384;

  constructor(
    private readonly path: string,
    private readonly intervalMs = 250,
  ) {}

  /** Told after a write is on disk: a checkpoint is run now or soon. */
  wrote(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const wait = this.last + this.intervalMs - Date.now();
    if (wait > 0) {
      this.trailing ??= setTimeout(() => {
        this.trailing = undefined;
        this.wrote();
      }, wait).unref();
      return;
    }
    this.running = true;
    this.last = Date.now();
    this.thread().postMessage("checkpoint");
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.trailing);
    await this.worker?.terminate();
  }

  /** The thread, started at the first write (a database only read never needs one). */
  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path: this.path, driver: require.resolve("better-sqlite3") },
    });
    worker.unref();
    // a checkpoint that failed (a busy lock, a full disk) is the backstop's to do; writes go on
    worker.on("message", () => this.done());
    worker.on("error", () => {
      this.worker = undefined;
      this.done();
    });
    this.worker = worker;
    return worker;
  }

  private done(): void {
    this.running = false;
    if (this.again) {
      this.again = false;
      this.wrote();
    }
  }
}

// plain JavaScript, so that it runs the same from the sources and from a build
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Sqlite = require(workerData.driver);
const db = new Sqlite(workerData.path);
db.pragma("busy_timeout = 1000");
parentPort.on("message", () => {
  try {
    parentPort.postMessage({ ok: db.pragma("wal_checkpoint(PASSIVE)")[0] });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message) });
  }
});
`;
