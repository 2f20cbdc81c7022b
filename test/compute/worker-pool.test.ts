import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/child-process";

describe("WorkerPool", () => {
  it("starts its threads when the process runs from a directory outside the package", function () {
    this.timeout(60_000);
    // as `trackroot codes release` does when a brand runs it from its own folder
    const script = `
      require(${JSON.stringify(join(ROOT, "node_modules", "ts-node"))}).register({ transpileOnly: true, project: ${JSON.stringify(join(ROOT, "tsconfig.json"))} });
      const { WorkerPool } = require(${JSON.stringify(join(ROOT, "src", "compute", "worker-pool.ts"))});
      const { buildCodeBatch } = require(${JSON.stringify(join(ROOT, "src", "compute", "code-batch.ts"))});
      (async () => {
        const pool = new WorkerPool({ size: 2 });
        const batch = await buildCodeBatch({ gtin: 10614141073464n, count: 70000, pool });
        console.log(batch.tree.length);
        await pool.close();
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const run = spawnSync(process.execPath, ["-e", script], {
      cwd: mkdtempSync(join(tmpdir(), "trackroot-cwd-")),
      encoding: "utf8",
    });
    expect(run.stderr).to.equal("");
    expect(run.stdout.trim()).to.equal("70000");
  });
});
