/**
 * The audit's speed on the benchmarks' ledger (1,000,000 codes released, 100,000 events), with the
 * indexer's catch-up on the same ledger as the anchor, and a screenshot of the HTML report:
 *   1. builds the ledger on a `hardhat node`, plus one commitment with three planted violations
 *      (a code commissioned outside every batch, a code commissioned twice, a custody break);
 *   2. runs `trackroot audit` as its own process from nothing to the head (target <= 60 s), which
 *      must exit 3 with exactly the planted violations;
 *   3. runs it again with --since the report's checkpoint (nothing new: the incremental floor);
 *   4. anchor: the indexer's rebuild (catch-up) of the same ledger into an empty SQLite database;
 *   5. opens the HTML report in Debian's headless chromium and saves its first page as a PNG.
 *   npm run bench:audit -- [--codes 1000000] [--events 100000]
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseIndexerConfig } from "../../src/indexer/config";
import { rebuildIndex } from "../../src/indexer/main";
import { launchChromium } from "../../test/support/browser";
import { epcisDocument, unit } from "../../test/support/captures";
import { startHardhatNode } from "../../test/support/chain-node";
import { ROOT } from "../../test/support/child-process";
import { KEYS } from "../../test/support/relayer-ledger";
import { buildBenchLedger } from "./bench-ledger";

const TARGET_S = 60;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

/** Runs the trackroot CLI as its own process; resolves with its exit code, output and wall time. */
function trackroot(argv: string[], cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; out: string; seconds: number }>((resolve, reject) => {
    const t = Date.now();
    const child = spawn(process.execPath, [join(ROOT, "bin", "trackroot.js"), ...argv], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? -1, out: out.trim(), seconds: (Date.now() - t) / 1000 }));
  });
}

async function main() {
  const codes = arg("--codes", 1_000_000);
  const events = arg("--events", 100_000);
  const dir = mkdtempSync(join(tmpdir(), "trackroot-bench-audit-"));
  const node = await startHardhatNode();
  try {
    const ledger = await buildBenchLedger(node.url, dir, codes, events);
    await ledger.commit([
      await ledger.captureEntry(
        epcisDocument([
          {
            type: "ObjectEvent",
            eventTime: "2026-11-20T08:00:00.000Z",
            eventTimeZoneOffset: "+00:00",
            epcList: [unit("COUNTERFEIT1"), unit(ledger.serials[0])],
            action: "ADD",
            bizStep: "commissioning",
            readPoint: { id: "https://id.gs1.org/414/0614141000005" },
          },
        ]),
        KEYS.governor,
      ),
      await ledger.handoverEntry([unit(ledger.serials[1])], KEYS.custodian, KEYS.pharmacy),
    ]);
    const env = {
      TRACKROOT_RPC_URL: node.url,
      TRACKROOT_DATA_DIR: "data",
      TRACKROOT_DEPLOYMENTS_DIR: "deployments",
    };
    const full = await trackroot(["audit", "--out", "audit"], dir, env);
    console.log(full.out.split("\n").slice(0, 6).join("\n"));
    const report = JSON.parse(readFileSync(join(dir, "audit", "audit-report.json"), "utf8"));
    const kinds = report.violations.map((v: { kind: string }) => v.kind).sort();
    const expected = ["commission_outside_release", "double_commission", "handover_by_non_holder"];
    if (full.code !== 3 || JSON.stringify(kinds) !== JSON.stringify(expected)) {
      throw new Error(
        `the audit exited ${full.code} with ${JSON.stringify(kinds)}; expected 3 with ${JSON.stringify(expected)}`,
      );
    }
    console.log(
      `audit, from nothing to block ${report.checkpoint.block}: ${report.totals.codesReleased} codes, ${report.totals.events} events, ${report.totals.commitments} commitments in ${full.seconds.toFixed(1)} s, process start to exit (target <= ${TARGET_S} s); exit ${full.code} with exactly the ${kinds.length} planted violations`,
    );
    const again = await trackroot(
      ["audit", "--since", join("audit", "audit-report.json"), "--out", "audit-2"],
      dir,
      env,
    );
    console.log(`audit --since the checkpoint (no new blocks): ${again.seconds.toFixed(1)} s, exit ${again.code}`);

    const t = Date.now();
    const { block } = await rebuildIndex(
      parseIndexerConfig(
        {
          TRACKROOT_RPC_URL: node.url,
          TRACKROOT_DEPLOYMENT: ledger.chain.deploymentPath,
          TRACKROOT_INDEXER_DB: join(dir, "indexer.sqlite"),
          TRACKROOT_CONTENT_DIR: join(dir, "data", "content"),
          TRACKROOT_LOG_LEVEL: "warn",
        },
        ROOT,
      ),
      () => undefined,
    );
    console.log(
      `anchor: the indexer's catch-up of the same ledger to block ${block}: ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );

    const shots = join(ROOT, "test-results", "audit");
    mkdirSync(shots, { recursive: true });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`file://${join(dir, "audit", "audit-report.html")}`);
      await page.screenshot({ path: join(shots, "report-first-page.png") });
      await page.screenshot({ path: join(shots, "report-full.png"), fullPage: true });
      console.log(`screenshots: ${join(shots, "report-first-page.png")}, report-full.png`);
    } finally {
      await browser.close();
    }
  } finally {
    await node.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
