import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAlive } from "../support/child-process";
import { recordProcesses, stopLeftovers } from "../../src/stack/process-record";

describe("stack/process-record", () => {
  const dir = mkdtempSync(join(tmpdir(), "trackroot-pids-"));

  it("stops a recorded process that an abrupt end left running, and forgets the record", async () => {
    const child = spawn("sleep", ["60"], { detached: true, stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const file = join(dir, "pids.json");
    await recordProcesses(file, [{ name: "sleeper", pid: child.pid as number }]);
    expect(await stopLeftovers(file)).to.deep.equal(["sleeper"]);
    await exited;
    expect(isAlive(child.pid as number)).to.equal(false);
    expect(existsSync(file)).to.equal(false);
  });

  it("leaves alone a process whose pid matches but whose start time does not (a reused pid)", async () => {
    const child = spawn("sleep", ["60"], { detached: true, stdio: "ignore" });
    const file = join(dir, "reused.json");
    await recordProcesses(file, [{ name: "other", pid: child.pid as number }]);
    const record = JSON.parse(readFileSync(file, "utf8")) as { started: string }[];
    record[0].started = String(Number(record[0].started) - 1);
    writeFileSync(file, JSON.stringify(record));
    try {
      expect(await stopLeftovers(file)).to.deep.equal([]);
      expect(isAlive(child.pid as number)).to.equal(true);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("treats a missing or malformed record as nothing to stop", async () => {
    expect(await stopLeftovers(join(dir, "absent.json"))).to.deep.equal([]);
    writeFileSync(join(dir, "bad.json"), '[{"pid": "1"}]');
    expect(await stopLeftovers(join(dir, "bad.json"))).to.deep.equal([]);
  });
});
