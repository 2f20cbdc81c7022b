import { expect } from "chai";
import jsQR from "jsqr";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { PNG } from "pngjs";
import QRCode from "qrcode";
import { privateKeyToAccount } from "viem/accounts";
import { chainRootReader } from "../../src/chain/chain-roots";
import { Ledger } from "../../src/chain/ledger";
import { unitIdentifier } from "../../src/core/epcis/unit-identifier";
import { AI82_CHARS } from "../../src/core/gs1/ai82";
import { encodeSegment, formatDigitalLink } from "../../src/core/gs1/digital-link";
import { CANONICAL_ORIGIN } from "../../src/core/gs1/epc-uri";
import { encodeLeafFile } from "../../src/core/merkle/leaf-file";
import { codeLeafHashes } from "../../src/core/merkle/leaves";
import { MerkleTree } from "../../src/core/merkle/tree";
import type { DisclosedEventStep } from "../../src/core/proof/bundle";
import { verifyBundle } from "../../src/core/proof/verify-bundle";
import type { RunningIndexer } from "../../src/indexer/main";
import { parseVerifySiteConfig } from "../../src/verify-web/config";
import { codeOfPath, parseCodeInput, pathOfCode } from "../../src/verify-web/client/code-input";
import { startVerifySite, type RunningVerifySite } from "../../src/verify-web/main";
import { launchChromium } from "../support/browser";
import { epcisDocument } from "../support/captures";
import { startCaughtUpIndexer } from "../support/caught-up-indexer";
import { startHardhatNode } from "../support/chain-node";
import { setupIndexerLedger } from "../support/indexer-ledger";
import { KEYS } from "../support/relayer-ledger";

/** Shared by the site and the indexer, as npm start shares one: the site is the one proxy the indexer trusts. */
const SITE_PROXY_TOKEN = "site-to-indexer-proxy-token";

const GTIN = "10614141073464";
/** One serial per AI 82 character that is not a letter or a digit: "/", "?", "%" and the rest. */
const PUNCTUATION = [...AI82_CHARS].filter((c) => !/[A-Za-z0-9]/.test(c));
const SERIALS = PUNCTUATION.map((c, i) => `P${c}Q${i}`);

describe("e2e: serials holding every AI 82 punctuation character, from release to the page and the audit", function () {
  this.timeout(240_000);
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let ledger: Awaited<ReturnType<typeof setupIndexerLedger>>;
  let indexer: RunningIndexer;
  let site: RunningVerifySite;
  const dir = mkdtempSync(join(tmpdir(), "trackroot-ai82-"));

  before(async () => {
    node = await startHardhatNode();
    ledger = await setupIndexerLedger(node.url, dir, 2);
    // order 2 released with these serials: the leaf file and the root, as the release publishes them
    await ledger.cli(
      "order",
      "create",
      "--gtin",
      GTIN,
      "--quantity",
      String(SERIALS.length),
      "--lot",
      "L2",
      "--erp-ref",
      "PO-2",
    );
    const tree = MerkleTree.fromLeafHashes(codeLeafHashes(BigInt(GTIN), SERIALS));
    const cid = await ledger.content.put(encodeLeafFile(tree));
    const brand = new Ledger({
      rpcUrl: node.url,
      deployment: ledger.chain.deployment,
      account: privateKeyToAccount(KEYS.governor),
    });
    await brand.write(() =>
      brand.publicClient.simulateContract({
        address: brand.serials.address,
        abi: brand.serials.abi,
        functionName: "releaseBatch",
        args: [2n, tree.root, BigInt(SERIALS.length), cid],
        account: brand.account,
      }),
    );
    // the line commissions them by the links printed on their labels
    const links = SERIALS.map((serial) => formatDigitalLink({ origin: CANONICAL_ORIGIN, gtin: GTIN, serial }));
    await ledger.commit([
      await ledger.captureEntry(
        epcisDocument([
          {
            type: "ObjectEvent",
            eventTime: "2026-11-01T08:00:00.000Z",
            eventTimeZoneOffset: "+00:00",
            epcList: links,
            action: "ADD",
            bizStep: "commissioning",
            disposition: "active",
            readPoint: { id: "https://id.gs1.org/414/0614141000005" },
          },
        ]),
        KEYS.governor,
      ),
    ]);
    indexer = await startCaughtUpIndexer({
      rpcUrl: node.url,
      deploymentPath: ledger.chain.deploymentPath,
      dir,
      env: { TRACKROOT_TRUSTED_PROXIES: "127.0.0.1,::1", TRACKROOT_PROXY_TOKEN: SITE_PROXY_TOKEN },
    });
    site = await startVerifySite(
      parseVerifySiteConfig(
        {
          TRACKROOT_RPC_URL: node.url,
          TRACKROOT_DEPLOYMENT: ledger.chain.deploymentPath,
          TRACKROOT_INDEXER_URL: indexer.url,
          TRACKROOT_INDEXER_PROXY_TOKEN: SITE_PROXY_TOKEN,
          TRACKROOT_VERIFY_PORT: "0",
        },
        dir,
      ),
      pino({ level: "silent" }),
    );
  });
  after(async () => {
    await site?.stop();
    await indexer?.stop();
    await node?.stop();
  });

  it("reads each serial back from its label's QR code, its Digital Link and the site's path", async () => {
    for (const serial of SERIALS) {
      const link = formatDigitalLink({ origin: site.url, gtin: GTIN, serial });
      const png = PNG.sync.read(await QRCode.toBuffer(link, { errorCorrectionLevel: "M", margin: 4, scale: 4 }));
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(decoded?.data, serial).to.equal(link);
      expect(parseCodeInput(decoded!.data)).to.deep.equal({ gtin: GTIN, serial });
      expect(codeOfPath(site.url, pathOfCode({ gtin: GTIN, serial }))).to.deep.equal({ gtin: GTIN, serial });
    }
  });

  it("proves each code genuine through the indexer, by its own identifier and no other", async () => {
    const reader = chainRootReader(new Ledger({ rpcUrl: node.url, deployment: ledger.chain.deployment }));
    for (const serial of SERIALS) {
      const res = await fetch(`${indexer.url}/v1/codes/${GTIN}/${encodeSegment(serial)}/proof`);
      expect(res.status, serial).to.equal(200);
      const bundle = await res.json();
      expect(bundle.code).to.deep.equal({ gtin: GTIN, serial });
      const [step] = bundle.custody as DisclosedEventStep[];
      expect(step.identifiers.map((d) => d.value)).to.deep.equal([unitIdentifier(GTIN, serial)]);
      const v = await verifyBundle(bundle, reader, { code: { gtin: GTIN, serial } });
      expect(v.verdict, `${serial}: ${JSON.stringify(v.checks.filter((c) => !c.ok))}`).to.equal("genuine");
      const view = await (await fetch(`${indexer.url}/v1/codes/${GTIN}/${encodeSegment(serial)}`)).json();
      expect(view.status, serial).to.equal("commissioned");
    }
    // "P?Q…" is one serial, never the code "P" with a query
    const truncated = await (await fetch(`${indexer.url}/v1/codes/${GTIN}/P/proof`)).json();
    expect(truncated.release).to.equal(null);
  });

  it("shows Genuine on the page opened at each code's printed link", async () => {
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext()).newPage();
      for (const serial of SERIALS) {
        await page.goto(formatDigitalLink({ origin: site.url, gtin: GTIN, serial }));
        const verdict = page.locator("[data-verdict]");
        await verdict.waitFor({ timeout: 30_000 });
        expect(await verdict.getAttribute("data-verdict"), serial).to.equal("genuine");
      }
    } finally {
      await browser.close();
    }
  });

  it("audits clean, with every one of them commissioned in its released batch", async () => {
    await ledger.cli("audit", "--out", join(dir, "audit"));
    const report = JSON.parse(readFileSync(join(dir, "audit", "audit-report.json"), "utf8"));
    expect(report.violations).to.deep.equal([]);
    const orders = report.brands.flatMap((b: { orders: { order: number }[] }) => b.orders);
    const order = orders.find((o: { order: number }) => o.order === 2);
    expect(order).to.include({ released: SERIALS.length, commissioned: SERIALS.length });
  });
});
