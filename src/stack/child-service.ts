import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";

/** A process the local stack started: its pid, how it ended, and a clean way to stop it. */
export interface ChildService {
  name: string;
  pid: number;
  logFile: string;
  /** resolves when the process has exited, however it ended */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs` */
  stop: (graceMs?: number) => Promise<void>;
}

/**
 * Starts a process in its own process group (so a terminal's Ctrl-C reaches only the stack, which
 * then stops its children in order), with stdout and stderr appended to `logFile`, and resolves
 * once its output contains `ready`. Rejects with the end of its log when it exits first or is slow.
 */
export async function startChildService(options: {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  logFile: string;
  ready: string;
  timeoutMs: number;
  /** told the pid as soon as the process exists, before it is ready */
  onSpawn?: (pid: number) => Promise<void>;
}): Promise<ChildService> {
  const log = createWriteStream(options.logFile, { flags: "a" });
  await new Promise((resolve) => log.once("open", resolve));
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", () => resolve({ code: null, signal: null }));
  });
  if (child.pid !== undefined) await options.onSpawn?.(child.pid);
  const closedLog = exited.then(() => new Promise<void>((resolve) => log.end(resolve)));
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });

  const tail = async () =>
    (await readFile(options.logFile, "utf8").catch(() => "")).trimEnd().split("\n").slice(-12).join("\n");
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      void tail().then((t) => reject(new Error(`${options.name} did not start in ${options.timeoutMs} ms:\n${t}`)));
    }, options.timeoutMs);
    const watch = (d: Buffer) => {
      seen = (seen + d.toString()).slice(-4096);
      if (seen.includes(options.ready)) {
        clearTimeout(timer);
        child.stdout.off("data", watch);
        resolve();
      }
    };
    child.stdout.on("data", watch);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} could not be started: ${e.message}`));
    });
    void exited.then(async ({ code, signal }) => {
      clearTimeout(timer);
      await closedLog;
      reject(new Error(`${options.name} exited (${signal ?? `code ${code}`}) before it was ready:\n${await tail()}`));
    });
  });

  return {
    name: options.name,
    pid: child.pid as number,
    logFile: options.logFile,
    exited,
    stop: async (graceMs = 15_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await closedLog;
    },
  };
}
