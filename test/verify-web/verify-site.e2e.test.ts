import { captureHeaders } from "../../src/client/sign-capture";
import { expect } from "chai";
import { openDatabase } from "../../src/store/database";
import type { IndexerTables } from "../../src/store/indexer-schema";
import type { AddressInfo } from "node:net";
import { CATALOGS } from "../../src/verify-web/client/i18n/locale";
import type { VerdictKey } from "../../src/verify-web/client/i18n/messages";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsQR from "jsqr";
import { parseCodesCsv } from "../../src/release/release-files";
import pino from "pino";
import { PNG } from "pngjs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { runCli } from "../../src/cli/main";
import type { JsonValue } from "../../src/core/epcis/event-hash";
import { parseIndexerConfig } from "../../src/indexer/config";
import { startIndexer, type RunningIndexer } from "../../src/indexer/main";
import { writeLabels } from "../../src/release/labels";
import { parseVerifySiteConfig } from "../../src/verify-web/config";
import { getFrom } from "../../src/stack/get-from";
import { startVerifySite, type RunningVerifySite } from "../../src/verify-web/main";
import { writeFakeCameraVideo } from "../support/fake-camera";
import { launchChromium } from "../support/browser";
import { epcisDocument, signCapture, signHandover, unit } from "../support/captures";
import { freePort, startHardhatNode } from "../support/chain-node";
import { ROOT } from "../support/child-process";
import { setupIndexerLedger } from "../support/indexer-ledger";
import { KEYS } from "../support/relayer-ledger";
import productVector from "../vectors/product-record.json";

const picture = Buffer.from(productVector.picture.base64, "base64");
/** the record as published with its picture: the vector's record naming the picture first */
const recordCid = productVector.picture.recordCid;
import { startRelayerProcess, type RelayerProcess } from "../support/relayer-process";

/** Shared by the site and the indexer, as npm start shares one: the site is the one proxy the indexer trusts. */
const SITE_PROXY_TOKEN = "site-to-indexer-proxy-token";

const GTIN = "10614141073464";
const SSCC = "https://id.gs1.org/00/106141412345678908";
const FACTORY = "geo:48.8566,2.3522";
const WAREHOUSE = "https://id.gs1.org/414/0614141000005";
const SHOTS = join(ROOT, "test-results", "verify-web");
const silent = pino({ level: "silent" });

/** Serials of a release's codes.csv, and the Digital Link printed for each. */
const releasedCodes = (csv: string) => parseCodesCsv(readFileSync(csv, "utf8"));

describe("e2e: the verification site in headless chromium against a chain node, a relayer and an indexer", function () {
  this.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), "trackroot-verify-web-"));
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let ledger: Awaited<ReturnType<typeof setupIndexerLedger>>;
  let relayer: RelayerProcess;
  let indexer: RunningIndexer;
  let site: RunningVerifySite;
  let liarSite: RunningVerifySite;
  let deadChainSite: RunningVerifySite;
  let liar: Server;
  let recordLiar: Server;
  let recordLiarSite: RunningVerifySite;
  let pictureLiar: Server;
  let pictureLiarSite: RunningVerifySite;
  /** what the picture liar does to the picture: one byte changed, or a page of script in its place */
  let pictureLie: "byte" | "html" = "byte";
  let hook: Server;
  const hooked: Record<string, unknown>[] = [];
  let browser: Browser;
  let s: string[];
  let qrCodes: { serial: string; url: string }[];
  let recalled: string;
  const contexts: BrowserContext[] = [];

  async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<string> {
    const res = await fetch(`${relayer.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).to.equal(202);
    return (await res.json()).captureID;
  }

  async function capture(events: { [k: string]: JsonValue }[], key: `0x${string}`): Promise<string> {
    const doc = epcisDocument(events);
    const e = await signCapture(doc, key, ledger.chain.domain);
    return post("/capture", doc, {
      ...captureHeaders(e),
    });
  }

  async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const siteConfig = (env: Record<string, string>) =>
    parseVerifySiteConfig(
      {
        TRACKROOT_RPC_URL: node.url,
        TRACKROOT_DEPLOYMENT: ledger.chain.deploymentPath,
        TRACKROOT_INDEXER_URL: indexer.url,
        TRACKROOT_INDEXER_PROXY_TOKEN: SITE_PROXY_TOKEN,
        TRACKROOT_VERIFY_PORT: "0",
        TRACKROOT_UPSTREAM_TIMEOUT_MS: "3000",
        ...env,
      },
      dir,
    );

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    node = await startHardhatNode();
    ledger = await setupIndexerLedger(node.url, dir, 20);
    s = ledger.serials;
    const sitePort = await freePort();
    const origin = `http://127.0.0.1:${sitePort}`;
    // the brand prints links to this site: its QR codes open the verification page directly
    writeFileSync(join(dir, "trackroot.config.json"), JSON.stringify({ linkOrigin: origin }));
    const { cli } = ledger;
    await cli(
      "order",
      "create",
      "--gtin",
      GTIN,
      "--quantity",
      "5",
      "--lot",
      "L2",
      "--expiry",
      "2028-06-30",
      "--erp-ref",
      "PO-2",
    );
    await cli("codes", "release", "--order", "2", "--count", "5", "--out", join(dir, "release2"));
    qrCodes = releasedCodes(join(dir, "release2", "codes.csv"));
    await cli("order", "create", "--gtin", GTIN, "--quantity", "3", "--lot", "L3", "--erp-ref", "PO-3");
    await cli("codes", "release", "--order", "3", "--count", "3", "--out", join(dir, "release3"));
    recalled = releasedCodes(join(dir, "release3", "codes.csv"))[0].serial;
    await cli("recall", "--batch", "3", "--reason", "contaminated lot");
    // the brand's product record for the GTIN: what the page names the product by
    // with its picture, which the record names by CID (the vector's record naming its picture)
    writeFileSync(join(dir, "product.json"), JSON.stringify(productVector.record));
    writeFileSync(join(dir, "picture.png"), picture);
    await cli("product", "set", GTIN, "product.json", "--image", "picture.png");

    const contentDir = join(dir, "data", "content");
    relayer = await startRelayerProcess({
      rpcUrl: node.url,
      chain: ledger.chain,
      contentDir,
      env: { TRACKROOT_BATCH_MAX_WAIT_MS: "100", TRACKROOT_RELAYER_DB: join(dir, "relayer.sqlite") },
    });
    const now = Date.now();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
    const unix = (hoursAgo: number) => Math.floor((now - hoursAgo * 3_600_000) / 1000);
    const event = (fields: { [k: string]: JsonValue }) => ({ eventTimeZoneOffset: "+00:00", ...fields });
    // the brand makes s0..s3 and packs s0 into a case; the case goes to the distributor, who receives it;
    // s1 goes to the pharmacy, which dispenses it
    const ids = [
      await capture(
        [
          event({
            type: "ObjectEvent",
            eventTime: at(50),
            epcList: [unit(s[0]), unit(s[1]), unit(s[2]), unit(s[3])],
            action: "ADD",
            bizStep: "commissioning",
            disposition: "active",
            readPoint: { id: FACTORY },
          }),
          event({
            type: "AggregationEvent",
            eventTime: at(49),
            parentID: SSCC,
            childEPCs: [unit(s[0])],
            action: "ADD",
            bizStep: "packing",
            readPoint: { id: FACTORY },
          }),
        ],
        KEYS.governor,
      ),
      await post(
        "/handovers",
        await signHandover([SSCC], KEYS.governor, KEYS.custodian, ledger.chain.domain, { eventTime: unix(24) }),
      ),
      await capture(
        [
          event({
            type: "ObjectEvent",
            eventTime: at(1),
            epcList: [SSCC],
            action: "OBSERVE",
            bizStep: "receiving",
            disposition: "in_progress",
            readPoint: { id: WAREHOUSE },
          }),
        ],
        KEYS.custodian,
      ),
      await post(
        "/handovers",
        await signHandover([unit(s[1])], KEYS.governor, KEYS.pharmacy, ledger.chain.domain, { eventTime: unix(2) }),
      ),
      await capture(
        [
          event({
            type: "ObjectEvent",
            eventTime: at(0.5),
            epcList: [unit(s[1])],
            action: "OBSERVE",
            bizStep: "dispensing",
            disposition: "dispensed",
            readPoint: { id: "geo:52.5200,13.4050" },
          }),
        ],
        KEYS.pharmacy,
      ),
    ];
    for (const id of ids) {
      await until(`capture ${id} committed`, async () => {
        const r = await (await fetch(`${relayer.url}/capture/${id}`)).json();
        return r.status === "committed";
      });
    }

    // the brand's webhook receiver: every anomaly and report the indexer pushes
    hook = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        hooked.push(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    indexer = await startIndexer(
      parseIndexerConfig(
        {
          TRACKROOT_RPC_URL: node.url,
          TRACKROOT_DEPLOYMENT: ledger.chain.deploymentPath,
          TRACKROOT_INDEXER_DB: join(dir, "indexer.sqlite"),
          TRACKROOT_CONTENT_DIR: contentDir,
          TRACKROOT_INDEXER_PORT: "0",
          TRACKROOT_POLL_MS: "100",
          // the site is the one proxy in front: the visitor's address is the one it saw
          TRACKROOT_TRUSTED_PROXIES: "127.0.0.1,::1",
          TRACKROOT_PROXY_TOKEN: SITE_PROXY_TOKEN,
          TRACKROOT_CLONE_MAX_VERIFICATIONS: "3",
          TRACKROOT_WEBHOOK_URLS: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
          TRACKROOT_WEBHOOK_SECRET: "site-e2e-webhook-secret",
          TRACKROOT_WEBHOOK_BACKOFF_MS: "100",
        },
        dir,
      ),
      silent,
    );
    await until("the indexer caught up", async () => {
      const h = await (await fetch(`${indexer.url}/health`)).json();
      return h.behind === 0 && h.pendingContent === 0 && h.pendingLifecycle === 0;
    });

    // a lying indexer: it passes bundles on with the first event moved a year back
    liar = createServer(async (req, res) => {
      const upstream = await fetch(`${indexer.url}${req.url}`);
      const bundle = await upstream.json();
      const first = bundle.custody?.find((c: { kind: string }) => c.kind === "disclosed_event");
      if (first) first.shown.eventTime = "2025-01-01T00:00:00.000Z";
      res.writeHead(upstream.status, { "content-type": "application/json" }).end(JSON.stringify(bundle));
    }).listen(0, "127.0.0.1");
    await new Promise((r) => liar.once("listening", r));
    const liarUrl = `http://127.0.0.1:${(liar.address() as { port: number }).port}`;
    // a server that passes everything on but the product record, whose name it changes
    recordLiar = createServer(async (req, res) => {
      const upstream = await fetch(`${indexer.url}${req.url}`);
      let body = await upstream.text();
      if (req.url?.startsWith("/v1/products/")) body = body.replace("Paracetamol Acme 500 mg", "Miracle Cure 500 mg");
      const headers: Record<string, string> = {};
      // the body may change length: what described the upstream's bytes is left out
      upstream.headers.forEach((value, name) => {
        if (!["content-length", "content-encoding", "transfer-encoding", "connection"].includes(name))
          headers[name] = value;
      });
      res.writeHead(upstream.status, headers).end(body);
    }).listen(0, "127.0.0.1");
    await new Promise((r) => recordLiar.once("listening", r));
    const recordLiarUrl = `http://127.0.0.1:${(recordLiar.address() as { port: number }).port}`;

    // a server that passes everything on but the product picture, which it changes
    pictureLiar = createServer(async (req, res) => {
      const upstream = await fetch(`${indexer.url}${req.url}`);
      const body = Buffer.from(await upstream.arrayBuffer());
      if (!req.url?.endsWith("/image")) {
        res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "" }).end(body);
      } else if (pictureLie === "byte") {
        body[body.length >> 1] ^= 0xff;
        res.writeHead(200, { "content-type": "image/png" }).end(body);
      } else res.writeHead(200, { "content-type": "text/html" }).end("<script>alert(document.domain)</script>");
    }).listen(0, "127.0.0.1");
    await new Promise((r) => pictureLiar.once("listening", r));
    const pictureLiarUrl = `http://127.0.0.1:${(pictureLiar.address() as { port: number }).port}`;

    site = await startVerifySite(siteConfig({ TRACKROOT_VERIFY_PORT: String(sitePort) }), silent);
    pictureLiarSite = await startVerifySite(siteConfig({ TRACKROOT_INDEXER_URL: pictureLiarUrl }), silent);
    liarSite = await startVerifySite(siteConfig({ TRACKROOT_INDEXER_URL: liarUrl }), silent);
    recordLiarSite = await startVerifySite(siteConfig({ TRACKROOT_INDEXER_URL: recordLiarUrl }), silent);
    deadChainSite = await startVerifySite(
      siteConfig({ TRACKROOT_RPC_URL: `http://127.0.0.1:${await freePort()}` }),
      silent,
    );
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await Promise.all([
      site?.stop(),
      liarSite?.stop(),
      recordLiarSite?.stop(),
      pictureLiarSite?.stop(),
      deadChainSite?.stop(),
    ]);
    liar?.close();
    recordLiar?.close();
    pictureLiar?.close();
    hook?.close();
    await indexer?.stop();
    await relayer?.stop();
    await node?.stop();
  });

  interface Visit {
    page: Page;
    verdict: string | null;
    title: string;
    text: string;
    /** every URL the page asked for */
    requests: string[];
    errors: string[];
    /** from navigation start to the verdict on screen */
    loadToVerdictMs: number;
    /** every response's URL, headers and body, as text */
    served: string;
  }

  /** The GS1 DataMatrix label the release prints for a code of the second order (lot L2). */
  async function dataMatrixLabel(serial: string): Promise<string> {
    const labels = join(dir, "labels-dm");
    await writeLabels({
      codesCsv: join(dir, "release2", "codes.csv"),
      dir: labels,
      format: "datamatrix",
      batch: { lot: "L2", expiry: "20280630" },
    });
    return join(labels, `${serial}.png`);
  }

  async function visit(
    url: string,
    options: { timezoneId?: string; shot?: string; locale?: string; viewport?: { width: number; height: number } } = {},
  ): Promise<Visit> {
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 390, height: 844 },
      ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
      ...(options.locale ? { locale: options.locale } : {}),
    });
    contexts.push(context);
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    // every byte the page was served, headers included, to check what a public answer discloses
    const served: Promise<string>[] = [];
    page.on("response", (r) =>
      served.push(
        r
          .body()
          .then((b) => `${r.url()}\n${JSON.stringify(r.headers())}\n${b.toString("utf8")}`)
          .catch(() => `${r.url()}\n${JSON.stringify(r.headers())}`),
      ),
    );
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
    });
    await page.goto(url);
    await page.locator("[data-verdict]").waitFor({ timeout: 30_000 });
    const loadToVerdictMs = await page.evaluate(
      () => performance.getEntriesByName("trackroot-verdict")[0]?.startTime ?? Number.NaN,
    );
    if (options.shot) await page.screenshot({ path: join(SHOTS, `${options.shot}.png`) });
    return {
      page,
      verdict: await page.locator("[data-verdict]").getAttribute("data-verdict"),
      title: (await page.locator(".verdict-title").textContent()) ?? "",
      text: await page.locator("#result").innerText(),
      requests,
      errors,
      loadToVerdictMs,
      served: (await Promise.all(served)).join("\n"),
    };
  }

  const codeUrl = (base: string, serial: string) => `${base}/01/${GTIN}/21/${serial}`;
  /** A page of each verdict (the suspicious one once its test has made it so). */
  const verdictPages = (): [VerdictKey, string][] => [
    ["genuine", codeUrl(site.url, s[0])],
    ["recalled", codeUrl(site.url, recalled)],
    ["sold", codeUrl(site.url, s[1])],
    ["unknown", codeUrl(site.url, "NOTREAL0001")],
    ["suspicious", codeUrl(site.url, s[2])],
    ["unverifiable", codeUrl(liarSite.url, s[0])],
  ];

  it("shows Genuine for a commissioned, packed and handed-over code, with the product, the journey and each check", async () => {
    const v = await visit(codeUrl(site.url, s[0]), { shot: "genuine" });
    expect(v.errors).to.deep.equal([]);
    expect(v.verdict).to.equal("genuine");
    // the commissioning listed four units: the page was served the one asked about, and no other
    expect(v.served).to.include(s[0]);
    for (const other of s.slice(1)) expect(v.served, `${other} was served`).to.not.include(other);
    expect(v.title).to.equal("Genuine");
    expect(v.text).to.include("Lot\nL1").and.include("Brand\nAcme");
    // the brand's product record, as the chain names it
    expect(v.text)
      .to.include("Name\nParacetamol Acme 500 mg")
      .and.include("Description\n500 mg tablets, 20 tablets in blister packs")
      .and.include("Contents\n20");
    // its links, to the brand's own pages, each under its label
    const links = v.page.locator("ul.product-links a");
    expect(await links.allInnerTexts()).to.deep.equal(["Patient leaflet", "Recall notices", "Contact the brand"]);
    expect(await v.page.locator('a[data-link-type="gs1:epil"]').getAttribute("href")).to.equal(
      productVector.record["gs1:epil"][0]["@id"],
    );
    // the journey: names from the chain's registry, places from the events
    expect(v.text).to.include("Made and coded").and.include("Packed").and.include("Acme → Distributor");
    expect(v.text).to.include("Received").and.include("site 0614141000005").and.include("48.857° N, 2.352° E");
    await v.page.locator("summary", { hasText: "How this was checked" }).click();
    const checks = await v.page.locator(".checks li").allInnerTexts();
    expect(checks.some((c) => /batch root on chain: batch 1 released in block \d+/.test(c))).to.equal(true);
    expect(checks.some((c) => /handover in commitment/.test(c))).to.equal(true);
    expect(checks.some((c) => c.includes(`version 1, ${recordCid}, as the chain names it`))).to.equal(true);
    expect(await v.page.locator(".checks li.failed").count()).to.equal(0);
    // the picture, after the verdict, from the bytes the page checked against the record's CID
    const img = v.page.locator(".product-picture img");
    await img.waitFor();
    expect(await img.getAttribute("alt")).to.equal("Paracetamol Acme 500 mg");
    expect(await img.getAttribute("src")).to.match(/^blob:/);
    expect(
      await img.evaluate((e: HTMLImageElement) => e.decode().then(() => [e.naturalWidth, e.naturalHeight])),
    ).to.deep.equal([240, 180]);
    await v.page.screenshot({ path: join(SHOTS, "genuine-with-picture.png"), fullPage: true });
    // nothing but this origin, no cookies
    expect(v.requests.every((u) => u.startsWith(site.url) || u.startsWith("data:") || u.startsWith("blob:"))).to.equal(
      true,
    );
    expect(v.requests.some((u) => u.startsWith(`${site.url}/rpc`))).to.equal(true);
    expect(await v.page.context().cookies()).to.deep.equal([]);
    console.log(`      load to verdict: ${v.loadToVerdictMs.toFixed(0)} ms (first visit, cold cache)`);
  });

  it("shows Genuine but recalled for a code of a recalled batch", async () => {
    const v = await visit(codeUrl(site.url, recalled), { shot: "recalled" });
    expect(v.verdict).to.equal("recalled");
    expect(v.title).to.equal("Genuine but recalled");
    expect(v.text).to.include("Lot\nL3");
  });

  it("shows Already sold or dispensed for a code the pharmacy dispensed", async () => {
    const v = await visit(codeUrl(site.url, s[1]), { shot: "sold" });
    expect(v.verdict).to.equal("sold");
    expect(v.title).to.equal("Already sold or dispensed");
    expect(v.text).to.include("Dispensed on").and.include("Acme → Pharmacy");
  });

  it("shows Unknown code for a well-formed code that no released batch holds", async () => {
    const v = await visit(codeUrl(site.url, "NOTREAL0001"), { shot: "unknown" });
    expect(v.verdict).to.equal("unknown");
    expect(v.title).to.equal("Unknown code");
    expect(v.text).to.include("may be counterfeit");
  });

  it("shows Suspicious once as many different visitors as the clone limit verified a code, and not for one visitor's repeats", async () => {
    // one visitor, three time zones, three visits: one person
    for (const timezoneId of ["Europe/Paris", "Asia/Tokyo", "America/New_York"]) {
      expect((await visit(codeUrl(site.url, s[2]), { timezoneId })).verdict).to.equal("genuine");
    }
    // two more visitors, each from an address of its own, through the site
    for (const from of ["127.0.0.2", "127.0.0.3"]) {
      expect((await getFrom(`${site.url}/v1/codes/${GTIN}/${s[2]}/proof`, from)).status).to.equal(200);
    }
    const third = await visit(codeUrl(site.url, s[2]), { shot: "suspicious" });
    expect(third.verdict).to.equal("suspicious");
    expect(third.title).to.equal("Suspicious");
    expect(third.text).to.include("checked by 3 different people");
  });

  it("shows Could not be verified when a lying indexer serves a tampered bundle", async () => {
    const v = await visit(codeUrl(liarSite.url, s[0]), { shot: "unverifiable-tampered" });
    expect(v.verdict).to.equal("unverifiable");
    expect(v.title).to.equal("Could not be verified");
    expect(v.text).to.include("The server's data and the ledger disagree").and.include("event in capture");
    expect(v.text).not.to.include("Where it has been");
  });

  it("shows no product details, and says so, when a server sends a product record the chain does not name", async () => {
    const v = await visit(codeUrl(recordLiarSite.url, s[0]), { shot: "genuine-record-mismatch" });
    expect(v.errors).to.deep.equal([]);
    // the code itself is proven: the verdict stands, the brand's words do not
    expect(v.verdict).to.equal("genuine");
    expect(v.text).to.include(CATALOGS.en.product.recordMismatch);
    expect(v.text).to.not.include("Miracle Cure").and.not.include("Paracetamol Acme");
    expect(await v.page.locator("ul.product-links").count()).to.equal(0);
    await v.page.locator("summary", { hasText: "How this was checked" }).click();
    const failed = await v.page.locator(".checks li.failed").allInnerTexts();
    expect(failed.join("\n")).to.include("product record").and.include(`the chain names ${recordCid}`);
  });

  it("shows no picture, and says so, when a server sends a picture one byte off the one the record names", async () => {
    pictureLie = "byte";
    const v = await visit(codeUrl(pictureLiarSite.url, s[0]));
    expect(v.errors).to.deep.equal([]);
    expect(v.verdict).to.equal("genuine");
    // the record checks out and is shown; its picture does not and is not
    expect(v.text).to.include("Name\nParacetamol Acme 500 mg");
    await v.page.locator('[data-picture="mismatch"]').waitFor();
    expect(await v.page.locator('[data-picture="mismatch"]').innerText()).to.equal(CATALOGS.en.product.pictureMismatch);
    expect(await v.page.locator(".product-picture img").count()).to.equal(0);
  });

  it("passes a picture on only as a picture: a page of script in its place is refused, never served from the site", async () => {
    pictureLie = "html";
    const res = await fetch(`${pictureLiarSite.url}/v1/products/${GTIN}/image`);
    expect(res.status).to.equal(503);
    expect(res.headers.get("content-type")).to.match(/^application\/problem\+json/);
    expect(await res.text())
      .to.include("no PNG, JPEG or WebP")
      .and.not.include("<script>");
    pictureLie = "byte";
  });

  it("serves the picture a GTIN's record names as published, 404 for a GTIN without a record", async () => {
    const res = await fetch(`${site.url}/v1/products/${GTIN}/image`);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.equal("image/png");
    expect(res.headers.get("x-content-type-options")).to.equal("nosniff");
    expect(Buffer.from(await res.arrayBuffer())).to.deep.equal(picture);
    expect((await fetch(`${site.url}/v1/products/04012345111118/image`)).status).to.equal(404);
  });

  it("serves a GTIN's product record as published, 404 for a GTIN without one and 400 naming a bad GTIN", async () => {
    const res = await fetch(`${site.url}/v1/products/${GTIN}/record`);
    expect(res.status).to.equal(200);
    expect(await res.text()).to.equal(productVector.picture.canonical);
    const none = await fetch(`${site.url}/v1/products/04012345111118/record`);
    expect(none.status).to.equal(404);
    expect(await none.text()).to.include("no product record was published for GTIN 04012345111118");
    const bad = await fetch(`${site.url}/v1/products/10614141073465/record`);
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.include("gtin");
  });

  it("shows Could not be verified when the chain cannot be reached", async () => {
    const v = await visit(codeUrl(deadChainSite.url, s[0]), { shot: "unverifiable-chain-down" });
    expect(v.verdict).to.equal("unverifiable");
    expect(v.text).to.include("The ledger could not be reached");
  });

  it("speaks the browser's language, German and Arabic (right to left) among them, for every verdict", async () => {
    const codes = verdictPages();
    for (const [lang, browserLocale] of [
      ["de", "de-DE"],
      ["ar", "ar-EG"],
    ] as const) {
      for (const [verdict, url] of codes) {
        const v = await visit(url, { locale: browserLocale, shot: `${verdict}-${lang}` });
        expect(v.errors).to.deep.equal([]);
        expect(v.verdict).to.equal(verdict);
        expect(v.title).to.equal(CATALOGS[lang].verdicts[verdict].title);
        expect(
          await v.page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
        ).to.deep.equal([lang, lang === "ar" ? "rtl" : "ltr"]);
        expect(await v.page.locator("#code-label").textContent()).to.equal(CATALOGS[lang].page.label);
      }
    }
    const german = await visit(codeUrl(site.url, s[0]), { locale: "de-AT" });
    expect(german.title).to.equal("Echt");
    expect(german.text).to.include("Name\nParacetamol Acme 500 mg Tabletten");
    expect(german.text).to.include("Wo es gewesen ist").and.include("Übergeben").and.include("Acme → Distributor");
    const arabic = await visit(codeUrl(site.url, s[1]), { locale: "ar" });
    // the brand's Arabic name, and its English description (it wrote none in Arabic) kept left to right
    expect(await arabic.page.locator('#result bdi[lang="ar"]').textContent()).to.equal(
      productVector.record["gs1:productName"][2]["@value"],
    );
    expect(await arabic.page.locator('#result bdi[lang="en"]').textContent()).to.equal(
      "500 mg tablets, 20 tablets in blister packs",
    );
    expect(arabic.title).to.equal("بِيع أو صُرف من قبل");
  });

  it("has no serious or critical accessibility violation (axe-core) on any verdict, in English, German and Arabic, on a phone and a desktop", async () => {
    const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    const pages: [VerdictKey, string][] = [...verdictPages(), ["unverifiable", codeUrl(deadChainSite.url, s[0])]];
    const found: string[] = [];
    let audited = 0;
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1280, height: 800 },
    ]) {
      for (const locale of ["en-US", "de-DE", "ar-EG"]) {
        for (const [verdict, url] of pages) {
          const v = await visit(url, { locale, viewport });
          expect(v.verdict).to.equal(verdict);
          // every disclosure open (the checks, the report form), so that what it shows is audited as well
          await v.page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
          // axe runs in the page through the browser's devtools channel, which the page's CSP does not govern
          await v.page.evaluate(axeSource);
          const result = await v.page.evaluate(async () => {
            type Result = { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] };
            const axe = (
              window as unknown as {
                axe: { run: (c: Document, o: unknown) => Promise<{ violations: Result[]; passes: Result[] }> };
              }
            ).axe;
            const { violations, passes } = await axe.run(document, { resultTypes: ["violations"] });
            return {
              passed: passes.length,
              violations: violations
                .filter((x) => x.impact === "serious" || x.impact === "critical")
                .map((x) => `${x.id} (${x.impact}: ${x.help}) at ${x.nodes.map((n) => n.target.join(" ")).join(", ")}`),
            };
          });
          // axe ran its rules here (contrast, names, landmarks, language...), not merely loaded
          expect(result.passed, `${verdict}, ${locale}: rules axe checked`).to.be.greaterThan(10);
          const violations = result.violations;
          found.push(...violations.map((x) => `${verdict}, ${locale}, ${viewport.width} px wide: ${x}`));
          audited++;
          await v.page.context().close();
        }
      }
    }
    expect(found).to.deep.equal([]);
    expect(audited).to.equal(2 * 3 * pages.length);
  });

  it("switches language from the page and keeps the choice in the address, the server answering in it", async () => {
    const v = await visit(codeUrl(site.url, s[0]), { locale: "en-GB" });
    expect(v.title).to.equal("Genuine");
    await v.page.selectOption("#language", "fr");
    expect(await v.page.locator(".verdict-title").textContent()).to.equal("Authentique");
    expect(await v.page.locator("#code-label").textContent()).to.equal("Code ou lien sur l’emballage");
    expect(new URL(v.page.url()).searchParams.get("lang")).to.equal("fr");
    await v.page.reload();
    await v.page.locator("[data-verdict]").waitFor();
    expect(await v.page.locator(".verdict-title").textContent()).to.equal("Authentique");
    // the HTML itself, before any script: the Accept-Language, or the choice in the address
    const page = async (path: string, accept: string) => {
      const res = await fetch(`${site.url}${path}`, { headers: { "Accept-Language": accept } });
      return { lang: res.headers.get("content-language"), html: await res.text() };
    };
    expect((await page("/", "pl-PL,pl;q=0.9")).html).to.include('<html lang="pl" dir="ltr">');
    expect((await page("/", "ar;q=0.9, en;q=0.1")).html).to.include('<html lang="ar" dir="rtl">');
    expect((await page("/?lang=zh", "de")).lang).to.equal("zh");
    expect((await page("/", "ja, ko")).lang).to.equal("en");
  });

  it("takes a visitor's report of a suspect pack on a doubtful verdict: kept as typed, with a salted hash only, and pushed to the webhooks", async () => {
    const genuine = await visit(codeUrl(site.url, s[0]));
    expect(await genuine.page.locator("#report").count()).to.equal(0);
    const v = await visit(codeUrl(site.url, "NOTREAL0002"), { shot: "unknown-report" });
    expect(v.verdict).to.equal("unknown");
    await v.page.fill("#report-where", "Market stall, Rue de Rivoli");
    await v.page.fill("#report-what", "The box was lighter than usual\nand the print was blurred.");
    await v.page.locator("#report-send").click();
    await v.page.locator("#report-status", { hasText: "Thank you" }).waitFor();
    const { db } = openDatabase<IndexerTables>({ sqlitePath: join(dir, "indexer.sqlite") });
    try {
      const rows = await db.selectFrom("suspect_reports").selectAll().execute();
      expect(rows.map((r) => [r.epc, r.verdict, r.bought_at, r.what, r.contact])).to.deep.equal([
        [
          `https://id.gs1.org/01/${GTIN}/21/NOTREAL0002`,
          "unknown",
          "Market stall, Rue de Rivoli",
          "The box was lighter than usual\nand the print was blurred.",
          "",
        ],
      ]);
      // nothing the visitor did not type: no address, only its salted hash
      expect(JSON.stringify(rows)).to.not.include("127.0.0.1");
      expect(rows[0].visitor).to.match(/^[0-9a-f]{16}$/);
    } finally {
      await db.destroy();
    }
    await until("the report reached the webhook", async () =>
      hooked.some((h) => h.kind === "suspect_report" && h.where === "Market stall, Rue de Rivoli"),
    );
    // what is wrong with a bad one is named; a visitor who floods is stopped
    const report = (body: unknown, type = "application/json") =>
      fetch(`${site.url}/v1/codes/${GTIN}/NOTREAL0002/reports`, {
        method: "POST",
        headers: { "content-type": type },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    const bad: [unknown, RegExp][] = [
      [{ verdict: "genuine", where: "x", what: "y" }, /^verdict: /],
      [{ verdict: "unknown", where: "", what: "y" }, /^where: is required/],
      [{ verdict: "unknown", where: "x", what: "y".repeat(2001) }, /^what: is at most 2000/],
      [{ verdict: "unknown", where: "x", what: "y", ip: "1.2.3.4" }, /^ip: is not a field/],
      ["{not json", /JSON/],
    ];
    for (const [body, detail] of bad) {
      const res = await report(body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(((await res.json()) as { detail: string }).detail).to.match(detail);
    }
    expect((await report({ verdict: "unknown", where: "x", what: "y" }, "text/plain")).status).to.equal(400);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await report({ verdict: "suspicious", where: "x", what: `y${i}` })).status);
    // one was sent from the page: four more fit in the hour, then 429
    expect(statuses).to.deep.equal([201, 201, 201, 201, 429, 429]);
  });

  it("opens the exact URL a printed QR code carries, on the Digital Link route", async () => {
    const labels = join(dir, "labels");
    await writeLabels({ codesCsv: join(dir, "release2", "codes.csv"), dir: labels, format: "png" });
    const png = PNG.sync.read(readFileSync(join(labels, `${qrCodes[0].serial}.png`)));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).to.equal(qrCodes[0].url);
    expect(decoded!.data.startsWith(`${site.url}/01/${GTIN}/`)).to.equal(true);
    const v = await visit(decoded!.data, { shot: "digital-link" });
    expect(v.verdict).to.equal("genuine");
    expect(v.text).to.include("Lot\nL2").and.include("Expiry\nJun 30, 2028");
    // the same code with another lot in its link: the pack does not match the release
    const relabelled = await visit(`${site.url}/01/${GTIN}/10/L9/21/${qrCodes[0].serial}`);
    expect(relabelled.verdict).to.equal("unverifiable");
    expect(relabelled.text).to.include("The lot on the pack (L9)");
  });

  it("reads a photo of a GS1 DataMatrix label, turned and shrunk, with its own decoder where the browser has none", async () => {
    const label = PNG.sync.read(readFileSync(await dataMatrixLabel(qrCodes[1].serial)));
    // a quarter turn and half the size, as a phone held sideways from further away takes it
    const turned = new PNG({ width: Math.floor(label.height / 2), height: Math.floor(label.width / 2) });
    for (let y = 0; y < turned.height; y++)
      for (let x = 0; x < turned.width; x++) {
        const from = ((label.height - 1 - x * 2) * label.width + y * 2) * 4;
        label.data.copy(turned.data, (y * turned.width + x) * 4, from, from + 4);
      }
    const photo = join(dir, "photo.png");
    writeFileSync(photo, PNG.sync.write(turned));
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    contexts.push(context);
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on("request", (r) => scripts.push(r.url()));
    await page.goto(`${site.url}/`);
    expect(scripts.some((u) => /decoder|wasm/.test(u))).to.equal(false);
    await page.setInputFiles("#photo", photo);
    await page.locator("[data-verdict]").waitFor({ timeout: 30_000 });
    expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).to.equal("genuine");
    expect(new URL(page.url()).pathname).to.equal(`/01/${GTIN}/10/L2/21/${qrCodes[1].serial}`);
    expect(scripts.some((u) => /zxing-reader\.[0-9a-f]+\.wasm$/.test(u))).to.equal(true);
    // a photo with no code in it says so
    const blank = new PNG({ width: 200, height: 200 });
    blank.data.fill(255);
    writeFileSync(join(dir, "blank.png"), PNG.sync.write(blank));
    await page.setInputFiles("#photo", join(dir, "blank.png"));
    await page.locator("#lookup-error", { hasText: "No code could be read" }).waitFor();
  });

  it("scans a GS1 DataMatrix label live from the camera with its own decoder where the browser has none", async () => {
    const video = join(dir, "camera.y4m");
    writeFakeCameraVideo(video, PNG.sync.read(readFileSync(await dataMatrixLabel(qrCodes[2].serial))));
    // a browser whose camera films the label, the visitor's permission given
    const filming = await launchChromium([
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    try {
      const context = await filming.newContext({ viewport: { width: 390, height: 844 }, permissions: ["camera"] });
      const page = await context.newPage();
      const fetched: string[] = [];
      page.on("request", (r) => fetched.push(r.url()));
      await page.goto(`${site.url}/`);
      // this chromium's BarcodeDetector reads nothing (no decoder on Linux): the page brings its own
      expect(
        await page.evaluate(async () => {
          const detector = (globalThis as { BarcodeDetector?: { getSupportedFormats(): Promise<string[]> } })
            .BarcodeDetector;
          return detector ? await detector.getSupportedFormats() : [];
        }),
      ).to.not.include("data_matrix");
      expect(fetched.some((u) => /decoder|wasm/.test(u))).to.equal(false);
      await page.locator("#scan").click();
      await page.locator("[data-verdict]").waitFor({ timeout: 30_000 });
      expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).to.equal("genuine");
      expect(new URL(page.url()).pathname).to.equal(`/01/${GTIN}/10/L2/21/${qrCodes[2].serial}`);
      expect(fetched.some((u) => /zxing-reader\.[0-9a-f]+\.wasm$/.test(u))).to.equal(true);
      // the camera is let go once the code is read
      expect(await page.locator("#camera").isHidden()).to.equal(true);
    } finally {
      await filming.close();
    }
  });

  it("takes a code typed with the keyboard alone, and names what is wrong with a bad one", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${site.url}/`);
    await page.keyboard.press("Tab"); // the header's link
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal("code");
    await page.keyboard.type("hello");
    await page.keyboard.press("Enter");
    expect(await page.locator("#lookup-error").textContent()).to.match(/expected a link/);
    expect(await page.locator("#code").getAttribute("aria-invalid")).to.equal("true");
    await page.fill("#code", `(01)${GTIN}(21)${s[3]}`);
    await page.keyboard.press("Enter");
    await page.locator("[data-verdict]").waitFor();
    expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).to.equal("genuine");
    expect(new URL(page.url()).pathname).to.equal(`/01/${GTIN}/21/${s[3]}`);
    expect(await page.locator("label[for=code]").textContent()).to.equal("Code or link on the pack");
  });

  it("downloads the proof file, and `trackroot verify --bundle` checks it against the chain", async () => {
    const v = await visit(codeUrl(site.url, s[0]));
    const [download] = await Promise.all([v.page.waitForEvent("download"), v.page.click("#download")]);
    const file = join(dir, "proof.json");
    await download.saveAs(file);
    expect(download.suggestedFilename()).to.equal(`trackroot-proof-${GTIN}-${s[0]}.json`);
    const verify = async (path: string) => {
      const out: string[] = [];
      const code = await runCli(["--json", "verify", "--bundle", path], {
        io: { out: (l) => out.push(l), err: (l) => out.push(l) },
        env: { TRACKROOT_RPC_URL: node.url, TRACKROOT_DEPLOYMENT: ledger.chain.deploymentPath },
        cwd: dir,
      });
      return { code, result: JSON.parse(out.join("\n")) };
    };
    const genuine = await verify(file);
    expect(genuine.code).to.equal(0);
    expect(genuine.result.verdict).to.equal("genuine");
    const bundle = JSON.parse(readFileSync(file, "utf8"));
    bundle.custody[0].shown.eventTime = "2025-01-01T00:00:00.000Z";
    writeFileSync(join(dir, "tampered.json"), JSON.stringify(bundle));
    const tampered = await verify(join(dir, "tampered.json"));
    expect(tampered.code).to.equal(3);
    expect(tampered.result.verdict).to.equal("unverifiable");
  });

  it("serves the page with a strict CSP, a script under 150 KB gzipped, and a read-only /rpc", async () => {
    const res = await fetch(`${site.url}/01/${GTIN}/21/${s[0]}`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).to.include("default-src 'none'").and.include("script-src 'self'").and.include("connect-src 'self'");
    expect(res.headers.get("set-cookie")).to.equal(null);
    const script = /src="(\/assets\/app\.[0-9a-f]+\.js)"/.exec(await res.text())![1];
    const js = await fetch(`${site.url}${script}`, { headers: { "accept-encoding": "gzip" } });
    expect(js.headers.get("content-encoding")).to.equal("gzip");
    expect(site.scriptBytes.gzip).to.be.lessThan(150 * 1024);
    console.log(
      `      page script: ${(site.scriptBytes.gzip / 1024).toFixed(1)} KB gzipped (${(site.scriptBytes.raw / 1024).toFixed(0)} KB raw)`,
    );

    const rpc = (body: unknown) =>
      fetch(`${site.url}/rpc`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const send = await rpc({ jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: ["0x00"] });
    expect(send.status).to.equal(400);
    expect((await send.json()).pointer).to.equal("rpc.method");
    const other = await rpc([
      { jsonrpc: "2.0", id: 1, method: "eth_chainId" },
      { jsonrpc: "2.0", id: 2, method: "eth_call", params: [{ to: "0x" + "11".repeat(20), data: "0x" }, "latest"] },
    ]);
    expect(other.status).to.equal(400);
    expect((await other.json()).pointer).to.equal("rpc[1].params[0].to");
    const chainId = await rpc({ jsonrpc: "2.0", id: 7, method: "eth_chainId" });
    expect((await chainId.json()).result).to.equal("0x7a69");
    const bad = await fetch(`${site.url}/v1/codes/123/ABC/proof`);
    expect(bad.status).to.equal(400);
  });

  it("charges /rpc per call, not per request, and answers deep JSON and bad percent-encoding with 400", async () => {
    const tight = await startVerifySite(
      siteConfig({ TRACKROOT_VERIFY_BURST: "50", TRACKROOT_VERIFY_RATE_PER_SECOND: "1" }),
      silent,
    );
    try {
      const post = (body: string) =>
        fetch(`${tight.url}/rpc`, { method: "POST", headers: { "content-type": "application/json" }, body });
      const batch = JSON.stringify(
        Array.from({ length: 30 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_chainId" })),
      );
      expect((await post(batch)).status).to.equal(200);
      // 30 calls spent of a burst of 50: a second batch of 30 is over the visitor's rate
      const second = await post(batch);
      expect(second.status).to.equal(429);
      expect(Number(second.headers.get("retry-after"))).to.be.greaterThan(0);
      const deep = await post(`${"[".repeat(10_000)}${"]".repeat(10_000)}`);
      expect(deep.status).to.equal(400);
      expect(((await deep.json()) as { detail: string }).detail).to.match(/nests deeper than 8 levels/);
      const percent = await fetch(`${tight.url}/v1/codes/${GTIN}/%E0%A4%A/proof`);
      expect(percent.status).to.equal(400);
    } finally {
      await tight.stop();
    }
  });
});
