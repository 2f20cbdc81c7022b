import { readFile, rm, writeFile } from "node:fs/promises";
import { z } from "zod";

/**
 * The stack's children, recorded with their start times so that a later start can stop ones an
 * abrupt end of the stack left running (they live in their own process groups) without ever
 * signalling an unrelated process that reused a pid.
 */
const RecordSchema = z.array(z.object({ name: z.string(), pid: z.number().int().positive(), started: z.string() }));
type ProcessRecord = z.infer<typeof RecordSchema>;

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); undefined when it is gone. */
async function startTime(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) may hold spaces and parentheses: count from the last ')'
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

export async function recordProcesses(file: string, children: { name: string; pid: number }[]): Promise<void> {
  const record: ProcessRecord = [];
  for (const c of children) {
    const started = await startTime(c.pid);
    if (started) record.push({ name: c.name, pid: c.pid, started });
  }
  await writeFile(file, JSON.stringify(record, null, 2) + "\n");
}

/** Stops the recorded processes that still run (SIGTERM, then SIGKILL after `graceMs`); returns their names. */
export async function stopLeftovers(file: string, graceMs = 10_000): Promise<string[]> {
  let record: ProcessRecord;
  try {
    record = RecordSchema.parse(JSON.parse(await readFile(file, "utf8")));
  } catch {
    return []; // none recorded, or a record this code did not write: nothing to stop
  }
  const alive = [];
  for (const p of record) if ((await startTime(p.pid)) === p.started) alive.push(p);
  for (const p of alive) process.kill(p.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  for (const p of alive) {
    while ((await startTime(p.pid)) === p.started) {
      if (Date.now() > deadline) {
        process.kill(p.pid, "SIGKILL");
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await rm(file, { force: true });
  return alive.map((p) => p.name);
}
