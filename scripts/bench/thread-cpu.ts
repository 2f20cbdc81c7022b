import { readdirSync, readFileSync } from "node:fs";

/** CPU time (ms) used so far by each thread of a process, by thread name and id (Linux /proc). */
export type ThreadCpu = Record<string, number>;

/** How long (ms) a thread has waited, runnable, for a core so far (Linux schedstat). */
function runqueueWait(pid: number, tid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[1]) / 1e6;
  } catch {
    return 0;
  }
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function threadCpu(pid: number): ThreadCpu {
  const out: ThreadCpu = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      // the fields after the command's closing parenthesis: utime and stime are the 12th and 13th
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1].split(" ");
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      out[`${name}/${tid}`] = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/**
 * Watches the CPU use of a few processes over a phase of a benchmark: `share()` tells, per process,
 * the busiest thread's share of one core and the whole process's, since the watch began.
 */
export function watchCpu(pids: Record<string, number>) {
  const start = Date.now();
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, threadCpu(pid)]));
  // the main thread's id is the process's
  const waited = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, runqueueWait(pid, pid)]));
  return {
    share(): Record<string, { busiestThread: number; process: number; mainWaitingForCore: number }> {
      const ms = Date.now() - start;
      return Object.fromEntries(
        Object.entries(pids).map(([k, pid]) => {
          const used = Object.entries(threadCpu(pid)).map(([t, v]) => v - (before[k][t] ?? 0));
          return [
            k,
            {
              busiestThread: Math.max(0, ...used) / ms,
              process: used.reduce((a, b) => a + b, 0) / ms,
              mainWaitingForCore: (runqueueWait(pid, pid) - waited[k]) / ms,
            },
          ];
        }),
      );
    },
  };
}
