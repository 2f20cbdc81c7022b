import { rm } from "node:fs/promises";
import type { ChildService } from "./child-service";
import { recordProcesses } from "./process-record";

/**
 * The stack's processes: each recorded at spawn (so a Ctrl-C during start, or a later start after a
 * crash, can stop them), stopped together, services first and the chain last.
 */
export class StackProcesses {
  private readonly children: ChildService[] = [];
  private readonly spawned: { name: string; pid: number }[] = [];
  private stopping = false;
  private resolveStopped: (code: number) => void = () => undefined;
  /** settles with the exit code once the stack has stopped: 0 when asked to, 1 when a service died */
  readonly stopped = new Promise<number>((resolve) => (this.resolveStopped = resolve));

  constructor(
    private readonly pidsFile: string,
    private readonly say: (line: string) => void,
  ) {}

  /** Records a process as it is spawned. */
  onSpawn = (name: string) => async (pid: number) => {
    this.spawned.push({ name, pid });
    await recordProcesses(this.pidsFile, this.spawned);
  };

  /** Keeps a started service, to be stopped with the rest. */
  async started(child: Promise<ChildService>): Promise<ChildService> {
    const c = await child;
    this.children.push(c);
    return c;
  }

  /** Rewrites the record with only what still runs (the parties' CLI runs have ended). */
  async recordRunning(): Promise<void> {
    await recordProcesses(this.pidsFile, this.spawned);
  }

  /** Stops everything when any service exits on its own, saying which and where its log is. */
  watch(shown: (path: string) => string): void {
    for (const c of this.children) {
      void c.exited.then(({ code, signal }) => {
        if (this.stopping) return;
        this.say(`${c.name} exited unexpectedly (${signal ?? `code ${code}`}); its log: ${shown(c.logFile)}`);
        void this.shutdown(1);
      });
    }
  }

  async shutdown(code: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.say("stopping: gateways, relayer, indexer, site, then the chain (its state is saved)");
    await this.stopAll();
    this.say("stopped");
    this.resolveStopped(code);
  }

  /** A start that failed: whatever started is stopped, nothing is reported as a stop. */
  async abort(): Promise<void> {
    this.stopping = true;
    await this.stopAll();
  }

  private async stopAll(): Promise<void> {
    // services first (the relayer commits its queue while the chain still runs), the chain last
    const [chain, ...services] = this.children;
    await Promise.all(services.reverse().map((c) => c.stop()));
    await chain?.stop();
    await rm(this.pidsFile, { force: true });
  }
}
