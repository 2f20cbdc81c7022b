import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");

/** A service in its own process, for tests that need the real thing. */
export interface RunningProcess {
  child: ChildProcess;
  stop: () => Promise<void>;
}

/**
 * Starts `node args...` and resolves once its stdout shows `ready`; rejects with what it printed
 * if it exits first or takes longer than `timeoutMs`.
 */
export async function startNodeProcess(options: {
  name: string;
  /** the program, when it is not node itself */
  command?: string;
  args: string[];
  ready: string;
  timeoutMs?: number;
  /** environment variables added to this process's */
  env?: Record<string, string>;
  /** every line the process prints on stdout, for the whole of its life */
  onLine?: (line: string) => void;
}): Promise<RunningProcess> {
  const child = spawn(options.command ?? process.execPath, options.args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
  });
  if (options.onLine) {
    let partial = "";
    child.stdout?.on("data", (d: Buffer) => {
      const lines = (partial + d.toString()).split("\n");
      partial = lines.pop() ?? "";
      lines.forEach((l) => options.onLine?.(l));
    });
  }
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const fail = (why: string) => {
      child.kill("SIGKILL");
      reject(new Error(`${options.name} ${why}: ${out}`));
    };
    const timer = setTimeout(() => fail("did not start"), options.timeoutMs ?? 60_000);
    const collect = (d: Buffer) => {
      out += d.toString();
      if (out.includes(options.ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with ${code}: ${out}`));
    });
  });
  return {
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Whether a process with this pid still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
