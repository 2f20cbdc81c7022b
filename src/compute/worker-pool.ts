import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { CaptureSummary } from "../client/sign-capture";
import type { Hex } from "../core/bytes";
import type { CodesRequest, ComputeRequest, ComputeResponse, SubtreeRequest } from "./compute-worker";

/**
 * The bootstrap that lets a worker load .ts: the package's own loader (bin/register.js) by
 * absolute path, since an eval'd worker resolves modules from the working directory, which is the
 * user's, not this package's. Under mocha and hardhat (ts-node) the same loader serves: it only
 * transpiles.
 */
function tsWorkerSource(file: string): string {
  const register = join(__dirname, "..", "..", "bin", "register.js");
  return `require(${JSON.stringify(register)}); require(${JSON.stringify(file)});`;
}

export interface WorkerPoolOptions {
  /** worker threads; default one per core, at most 8 */
  size?: number;
}

interface Pending {
  resolve: (result: ComputeResponse["result"]) => void;
  reject: (error: Error) => void;
}

/**
 * A fixed set of compute threads, each with its own WebAssembly kernel, fed one request at a time.
 * Created once per process (starting a thread costs tens of milliseconds) and closed at shutdown.
 */
export class WorkerPool {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(options: WorkerPoolOptions = {}) {
    this.size = options.size ?? Math.min(availableParallelism(), 8);
    if (!Number.isInteger(this.size) || this.size < 1)
      throw new RangeError(`pool size ${this.size} is not a positive integer`);
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  /** Runs one request on the next free thread; resolves when the thread reports it done. */
  async run(request: CodesRequest | SubtreeRequest): Promise<void> {
    await this.request(request);
  }

  /** A capture document's events root and count under `salt`, hashed on a pool thread. */
  async captureSummary(text: string, salt: Hex): Promise<CaptureSummary> {
    const result = await this.request({ op: "capture_summary", text, salt });
    if (!result) throw new Error("compute worker: no capture summary");
    return result;
  }

  private async request(request: ComputeRequest): Promise<ComputeResponse["result"]> {
    if (this.closed) throw new Error("the worker pool is closed");
    const worker = await this.acquire();
    const id = this.nextId++;
    try {
      return await new Promise<ComputeResponse["result"]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        worker.postMessage({ ...request, id });
      });
    } finally {
      this.release(worker);
    }
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private spawn(): void {
    const file = join(__dirname, `compute-worker${__filename.endsWith(".ts") ? ".ts" : ".js"}`);
    // from the sources (tests, scripts, bin/*) the worker loads them as its parent does; a built tree runs the .js
    const worker = file.endsWith(".ts") ? new Worker(tsWorkerSource(file), { eval: true }) : new Worker(file);
    worker.unref();
    worker.on("message", (m: ComputeResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new Error(`compute worker: ${m.error}`));
      else p.resolve(m.result);
    });
    worker.on("error", (error: unknown) => {
      // what a worker throws arrives structured-cloned, not always as an Error: keep its message
      const message = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? "");
      for (const p of this.pending.values()) p.reject(new Error(`compute worker failed: ${message}`));
      this.pending.clear();
    });
    this.workers.push(worker);
    this.idle.push(worker);
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    return new Promise((resolve) => this.waiting.push(() => resolve(this.idle.pop() as Worker)));
  }

  private release(worker: Worker): void {
    this.idle.push(worker);
    this.waiting.shift()?.();
  }
}
