import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../test/support/child-process";

/** The line the generator prints when it begins to send. */
export const STARTED = "load: sending";

/** What the load generator (scripts/bench/relayer-load.ts) reports of one run. */
export interface LoadResult {
  requests: number;
  /** when the generator sent its first request (ms since the epoch), after its own start-up */
  startedAt: number;
  durationMs: number;
  /** the generator's own CPU time while it sent (it shares the machine with what it measures) */
  cpuMs: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

/**
 * Sends each request of `file` once to `url`/capture from its own process, `rate` per second when
 * given; `onStart` is told when the first request goes out (after the generator's own start-up).
 */
export function load(
  url: string,
  file: string,
  connections: number,
  rate?: number,
  onStart?: () => void,
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const args = [
      "-r",
      "ts-node/register/transpile-only",
      join(ROOT, "scripts", "bench", "relayer-load.ts"),
      url,
      file,
    ];
    const child = spawn(process.execPath, [...args, String(connections), ...(rate ? [String(rate)] : [])], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (onStart && out.includes(STARTED)) {
        onStart();
        onStart = undefined;
      }
    });
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").pop() as string))
        : reject(new Error(`load generator exited ${code}`)),
    );
  });
}
