import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../test/support/child-process";

/** What the load generator (scripts/bench/relayer-load.ts) reports of one run. */
export interface LoadResult {
  requests: number;
  durationMs: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

/** Sends each request of `file` once to `url`/capture from its own process, `rate` per second when given. */
export function load(url: string, file: string, connections: number, rate?: number): Promise<LoadResult> {
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
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").pop() as string))
        : reject(new Error(`load generator exited ${code}`)),
    );
  });
}
