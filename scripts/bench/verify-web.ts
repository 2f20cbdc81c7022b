/**
 * The verification page's size and speed, on loopback: a `hardhat node`, the indexer and the site
 * in this process, Debian's headless chromium at 390x844.
 *   1. a ledger: 20 codes released; one code commissioned, packed into a case, the case handed over
 *      and received (four custody steps, each signed and committed);
 *   2. the page script, raw and gzipped (target < 150 KB gzipped);
 *   3. page load to verdict (navigation start to the verdict on screen) for that code, cold (a new
 *      browser context: nothing cached) and warm (a reload: the script cached), `--runs` each
 *      (target <= 300 ms); beside it, the anchor: fetching the proof bundle alone from the indexer.
 *   npm run bench:verify-web -- [--runs 30] [--anvil]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { parseIndexerConfig } from "../../src/indexer/config";
import { startIndexer } from "../../src/indexer/main";
import { parseVerifySiteConfig } from "../../src/verify-web/config";
import { startVerifySite } from "../../src/verify-web/main";
import { launchChromium } from "../../test/support/browser";
import { epcisDocument, unit } from "../../test/support/captures";
import { startAnvilNode, startHardhatNode } from "../../test/support/chain-node";
import { setupIndexerLedger } from "../../test/support/indexer-ledger";
import { KEYS } from "../../test/support/relayer-ledger";
import { measurePage, summary } from "./page-timing";

/** Shared by the site and the indexer, as npm start shares one: the site is the one proxy the indexer trusts. */
const SITE_PROXY_TOKEN = "site-to-indexer-proxy-token";

const GTIN = "10614141073464";
const SSCC = "https://id.gs1.org/00/106141412345678908";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const runs = arg("runs", 30);
  const dir = mkdtempSync(join(tmpdir(), "trackroot-bench-verify-"));
  // the chain node: hardhat's by default, anvil with --anvil (closer to a production client's call latency)
  const node = process.argv.includes("--anvil") ? await startAnvilNode() : await startHardhatNode();
  // whatever step fails, every process started is stopped (a node left behind skews later runs)
  const started: (() => Promise<unknown>)[] = [node.stop];
  try {
    await measure(node.url, dir, runs, started);
  } finally {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  }
}

async function measure(nodeUrl: string, dir: string, runs: number, started: (() => Promise<unknown>)[]): Promise<void> {
  const silent = pino({ level: "silent" });
  const ledger = await setupIndexerLedger(nodeUrl, dir, 20);
  const s = ledger.serials[0];
  const event = (fields: Record<string, unknown>) => ({
    eventTimeZoneOffset: "+00:00",
    readPoint: { id: "geo:48.8566,2.3522" },
    ...fields,
  });
  await ledger.commit([
    await ledger.captureEntry(
      epcisDocument([
        event({
          type: "ObjectEvent",
          eventTime: "2026-11-01T08:00:00.000Z",
          epcList: [unit(s)],
          action: "ADD",
          bizStep: "commissioning",
        }),
        event({
          type: "AggregationEvent",
          eventTime: "2026-11-01T09:00:00.000Z",
          parentID: SSCC,
          childEPCs: [unit(s)],
          action: "ADD",
          bizStep: "packing",
        }),
      ]),
      KEYS.governor,
    ),
    await ledger.handoverEntry([SSCC], KEYS.governor, KEYS.custodian),
  ]);
  await ledger.commit([
    await ledger.captureEntry(
      epcisDocument([
        event({
          type: "ObjectEvent",
          eventTime: new Date().toISOString(),
          epcList: [SSCC],
          action: "OBSERVE",
          bizStep: "receiving",
        }),
      ]),
      KEYS.custodian,
    ),
  ]);
  const indexer = await startIndexer(
    parseIndexerConfig(
      {
        TRACKROOT_RPC_URL: nodeUrl,
        TRACKROOT_DEPLOYMENT: ledger.chain.deploymentPath,
        TRACKROOT_INDEXER_DB: join(dir, "indexer.sqlite"),
        TRACKROOT_CONTENT_DIR: join(dir, "data", "content"),
        TRACKROOT_INDEXER_PORT: "0",
        TRACKROOT_POLL_MS: "100",
        TRACKROOT_TRUSTED_PROXIES: "127.0.0.1,::1",
        TRACKROOT_PROXY_TOKEN: SITE_PROXY_TOKEN,
        TRACKROOT_PUBLIC_RATE_PER_SECOND: "10000",
        TRACKROOT_PUBLIC_BURST: "10000",
        TRACKROOT_CLONE_MAX_VERIFICATIONS: "1000000",
        TRACKROOT_CLONE_MAX_REGIONS: "1000",
      },
      dir,
    ),
    silent,
  );
  started.push(indexer.stop);
  for (;;) {
    const h = await (await fetch(`${indexer.url}/health`)).json();
    if (h.behind === 0 && h.pendingContent === 0 && h.pendingLifecycle === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const site = await startVerifySite(
    parseVerifySiteConfig(
      {
        TRACKROOT_RPC_URL: nodeUrl,
        TRACKROOT_DEPLOYMENT: ledger.chain.deploymentPath,
        TRACKROOT_INDEXER_URL: indexer.url,
        TRACKROOT_INDEXER_PROXY_TOKEN: SITE_PROXY_TOKEN,
        TRACKROOT_VERIFY_PORT: "0",
        TRACKROOT_VERIFY_RATE_PER_SECOND: "10000",
        TRACKROOT_VERIFY_BURST: "10000",
      },
      dir,
    ),
    silent,
  );
  started.push(site.stop);
  const url = `${site.url}/01/${GTIN}/21/${s}`;
  const browser = await launchChromium();
  started.push(() => browser.close());
  console.log(
    `page script: ${(site.scriptBytes.gzip / 1024).toFixed(1)} KB gzipped, ${(site.scriptBytes.raw / 1024).toFixed(0)} KB raw (target < 150 KB gzipped)`,
  );
  const {
    cold,
    warm,
    anchor: fetches,
  } = await measurePage({
    browser,
    url,
    proofUrl: `${indexer.url}/v1/codes/${GTIN}/${s}/proof`,
    runs,
    verdicts: ["genuine"],
  });
  console.log(`load to verdict, cold (new context, nothing cached), ${runs} runs: ${summary(cold)}`);
  console.log(`load to verdict, warm (reload, script cached),       ${runs} runs: ${summary(warm)}`);
  console.log(`anchor: the proof bundle alone from the indexer,     ${runs} runs: ${summary(fetches)}`);
  console.log("target: load to verdict <= 300 ms");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
