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

/** A service process whose JSON log lines are kept, and whose end can be awaited. */
export interface LoggedProcess extends RunningProcess {
  /** its JSON log lines so far (a line that is not JSON as { line }) */
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** startNodeProcess, keeping the process's JSON log lines and a promise of its exit. */
export async function startLoggedProcess(options: Parameters<typeof startNodeProcess>[0]): Promise<LoggedProcess> {
  const logs: Record<string, unknown>[] = [];
  const running = await startNodeProcess({
    ...options,
    onLine: (line) => {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ line });
      }
      options.onLine?.(line);
    },
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (running.child.exitCode !== null || running.child.signalCode !== null) {
      resolve({ code: running.child.exitCode, signal: running.child.signalCode });
    }
    running.child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  return { ...running, logs, exited };
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
