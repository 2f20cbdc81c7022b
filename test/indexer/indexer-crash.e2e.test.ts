import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatSscc } from "../../src/core/gs1/sscc";
import { IndexerStore } from "../../src/indexer/indexer-store";
import { openDatabase } from "../../src/store/database";
import type { IndexerTables } from "../../src/store/indexer-schema";
import { startHardhatNode } from "../support/chain-node";
import { epcisDocument, unit } from "../support/captures";
import { ROOT } from "../support/child-process";
import { setupIndexerLedger } from "../support/indexer-ledger";
import { cliIn, KEYS } from "../support/relayer-ledger";

const SSCC = (n: number) => `https://id.gs1.org/00/${formatSscc(1, "0614141", n)}`;

describe("e2e: the indexer as its own process, SIGKILLed at random points, resumes to the same state", function () {
  this.timeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), "trackroot-indexer-crash-"));
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let ledger: Awaited<ReturnType<typeof setupIndexerLedger>>;

  before(async () => {
    node = await startHardhatNode();
    ledger = await setupIndexerLedger(node.url, dir, 120);
    const s = ledger.serials;
    const { captureEntry, handoverEntry, commit } = ledger;
    // twenty commitments, each commissioning six units, packing them in a case and handing it over
    for (let i = 0; i < 20; i++) {
      const units = s.slice(i * 6, i * 6 + 6).map(unit);
      const time = new Date(Date.parse("2026-11-01T08:00:00Z") + i * 60_000).toISOString();
      const doc = epcisDocument([
        {
          type: "ObjectEvent",
          eventTime: time,
          eventTimeZoneOffset: "+00:00",
          epcList: units,
          action: "ADD",
          bizStep: "commissioning",
        },
        {
          type: "AggregationEvent",
          eventTime: time,
          eventTimeZoneOffset: "+00:00",
          parentID: SSCC(i),
          childEPCs: units,
          action: "ADD",
          bizStep: "packing",
        },
      ]);
      await commit([
        await captureEntry(doc, KEYS.governor),
        await handoverEntry([SSCC(i)], KEYS.governor, KEYS.custodian),
      ]);
    }
  });
  after(() => node?.stop());

  it("gives the clean rebuild's digest after SIGKILLs mid-sync, mid-check and mid-lifecycle", async () => {
    const env = {
      TRACKROOT_RPC_URL: node.url,
      TRACKROOT_DEPLOYMENT: ledger.chain.deploymentPath,
      TRACKROOT_INDEXER_DB: join(dir, "crashy.sqlite"),
      TRACKROOT_CONTENT_DIR: join(dir, "data", "content"),
      TRACKROOT_INDEXER_PORT: "0",
      TRACKROOT_POLL_MS: "20",
      // one block per getLogs, so there are many steps to land in
      TRACKROOT_LOG_RANGE: "1",
    };
    const kills: string[] = [];
    const progress = new Set<string>();
    for (let run = 0; run < 8; run++) {
      const target = 1 + Math.floor(Math.random() * 8);
      const outcome = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [join(ROOT, "bin", "trackroot-indexer.js")], {
          cwd: ROOT,
          stdio: ["ignore", "pipe", "pipe"],
          env: { ...process.env, ...env },
        });
        let seen = 0;
        let partial = "";
        let lastEvent = "";
        child.stdout.on("data", (d: Buffer) => {
          const lines = (partial + d.toString()).split("\n");
          partial = lines.pop() ?? "";
          for (const line of lines) {
            const event = String((JSON.parse(line) as { event?: string }).event ?? "");
            if (!/^(sync\.advanced|content\.checked|lifecycle\.applied)$/.test(event)) continue;
            lastEvent = event;
            if (++seen === target) child.kill("SIGKILL");
          }
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
        child.once("exit", (_code, signal) => {
          clearTimeout(timer);
          if (signal !== "SIGKILL") reject(new Error(`the indexer exited without being killed (${signal})`));
          else resolve(`after ${seen} steps (last ${lastEvent})`);
        });
      });
      kills.push(outcome);
      const { db, engine } = openDatabase<IndexerTables>({ sqlitePath: env.TRACKROOT_INDEXER_DB });
      const store = await IndexerStore.open(db, engine);
      const cursor = (await store.cursor())?.number ?? -1;
      const applied = (await store.db.selectFrom("lifecycle_progress").select("sequence").execute()).length;
      progress.add(`${cursor}/${applied}`);
      await store.close();
    }
    // the kills left the index in several different partial states
    expect(progress.size, kills.join("; ")).to.be.greaterThan(2);

    const cli = (...argv: string[]) => cliIn(dir, node.url, ["--json", ...argv]);
    const reference = JSON.parse(await cli("indexer", "rebuild", "--db", join(dir, "clean.sqlite"))) as {
      digest: string;
    };

    // a last run to the end, stopped cleanly
    const child = spawn(process.execPath, [join(ROOT, "bin", "trackroot-indexer.js")], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    let url = "";
    child.stdout.on("data", (d: Buffer) => {
      const m = /"url":"(http:[^"]+)"/.exec(d.toString());
      if (m) url = m[1];
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error("the indexer did not catch up");
      await new Promise((r) => setTimeout(r, 100));
      if (!url) continue;
      const h = (await (await fetch(`${url}/health`)).json()) as Record<string, number>;
      if (h.behind === 0 && h.pendingContent === 0 && h.pendingLifecycle === 0) break;
    }
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
    expect(child.exitCode).to.equal(0);
    const { db, engine } = openDatabase<IndexerTables>({ sqlitePath: env.TRACKROOT_INDEXER_DB });
    const store = await IndexerStore.open(db, engine);
    const digest = await store.digest();
    const packed = await store.db.selectFrom("code_history").select("epc").where("cause", "=", "packed").execute();
    await store.close();
    expect(packed).to.have.length(120);
    expect(digest, kills.join("; ")).to.equal(reference.digest);
  });
});
