/* eslint-disable @typescript-eslint/no-explicit-any -- the gateway's answers are read field by field, as a client system would */
import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import { encryptKeystore } from "../../src/chain/keystore";
import { runCli } from "../../src/cli/main";
import { writeXmlDocument } from "../../src/core/epcis/xml-writer";
import { startHardhatNode } from "../support/chain-node";
import { epcisDocument, objectEvent, unit } from "../support/captures";
import { ENGINES } from "../support/databases";
import { launchChromium } from "../support/browser";
import { GATEWAY_TOKENS, startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { cliIn, KEYS, setupRelayerLedger, type RelayerLedger } from "../support/relayer-ledger";
import { relayerMetrics, startRelayerProcess, type RelayerProcess } from "../support/relayer-process";

/** hardhat's account 9: a second relayer, funded to pay for its commitments */
const SECOND_RELAYER = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6" as const;

/** A client system's call to a gateway. */
async function call(
  gateway: GatewayProcess,
  method: string,
  path: string,
  body?: unknown,
  token = GATEWAY_TOKENS.wms,
  contentType = "application/json",
) {
  const res = await fetch(new URL(path, gateway.url), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": contentType }),
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: res.status, location: res.headers.get("location"), json: (await res.json()) as Record<string, any> };
}

/** Polls a capture job until it is no longer running. */
async function finished(gateway: GatewayProcess, location: string, timeoutMs = 60_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await call(gateway, "GET", location)).json;
    if (!job.running) return job;
    if (Date.now() > deadline) throw new Error(`capture job ${location} still running: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The count of a relayer's accepted captures, from its metrics. */
async function acceptedCaptures(relayer: RelayerProcess): Promise<number> {
  const m = /trackroot_relayer_entries_accepted_total\{kind="capture"\} (\d+)/.exec(await relayerMetrics(relayer.url));
  return Number(m?.[1] ?? 0);
}

describe("e2e: the participant gateway, each party its own process with its own key", function () {
  this.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), "trackroot-gateway-"));
  const contentDir = join(dir, "content");
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let chain: RelayerLedger;
  let relayer: RelayerProcess;
  const running: { stop: () => Promise<void> }[] = [];
  const keystore = (name: string) => join(dir, `${name}.json`);
  const gateway = async (
    name: "custodian" | "pharmacy",
    env: Record<string, string> = {},
    relayerUrls = [relayer.url],
  ) => {
    const g = await startGatewayProcess({
      rpcUrl: node.url,
      deploymentPath: chain.deploymentPath,
      keystore: keystore(name),
      relayerUrls,
      env: { TRACKROOT_GATEWAY_DB: join(dir, `${name}-${Math.random().toString(36).slice(2)}.sqlite`), ...env },
    });
    running.push(g);
    return g;
  };

  /** The regulator's audit of the whole ledger: its totals. */
  async function audit(out: string): Promise<{ commitments: number; captures: number; events: number }> {
    const lines: string[] = [];
    const code = await runCli(["--json", "audit", "--out", join(dir, out), "--no-refusals"], {
      io: { out: (l) => lines.push(l), err: (l) => lines.push(l) },
      env: { TRACKROOT_RPC_URL: node.url, TRACKROOT_DEPLOYMENTS_DIR: "deployments", TRACKROOT_DATA_DIR: dir },
      cwd: dir,
    });
    expect(code, lines.join("\n")).to.be.oneOf([0, 3]);
    return JSON.parse(readFileSync(join(dir, out, "audit-report.json"), "utf8")).totals;
  }

  before(async () => {
    node = await startHardhatNode();
    chain = await setupRelayerLedger(node.url, dir);
    const second = privateKeyToAccount(SECOND_RELAYER).address;
    await cliIn(dir, node.url, [
      "participant",
      "add",
      "--kind",
      "relayer",
      "--gln",
      "0614141000050",
      "--name",
      "Relay Two",
      "--key",
      second,
    ]);
    writeFileSync(keystore("custodian"), await encryptKeystore(KEYS.custodian, "pw", 1024));
    writeFileSync(keystore("pharmacy"), await encryptKeystore(KEYS.pharmacy, "pw", 1024));
    writeFileSync(keystore("relayer2"), await encryptKeystore(SECOND_RELAYER, "pw", 1024));
    relayer = await startRelayerProcess({
      rpcUrl: node.url,
      chain,
      contentDir,
      env: { TRACKROOT_RELAYER_DB: join(dir, "relayer.sqlite"), TRACKROOT_BATCH_MAX_WAIT_MS: "100" },
    });
  });
  after(async () => {
    for (const r of running.reverse()) await r.stop().catch(() => undefined);
    await relayer?.stop();
    await node?.stop();
  });

  for (const engine of ENGINES) {
    it(`acknowledges a plain EPCIS document with a capture job, signs it, and reports it committed (${engine.name} outbox)`, async () => {
      const db = await engine.options();
      const g = await gateway("custodian", db.url ? { DATABASE_URL: db.url } : {});
      const posted = await call(g, "POST", "/capture", epcisDocument([objectEvent([`GW-${engine.name}-1`])]));
      expect(posted.status).to.equal(202);
      expect(posted.location).to.equal(`/capture/${posted.json.captureID}`);
      expect(posted.json).to.include({ running: true, success: true, captureErrorBehaviour: "rollback" });
      const job = await finished(g, posted.location!);
      expect(job).to.include({ running: false, success: true });
      expect(job.errors).to.deep.equal([]);
      expect(job.trackroot.status).to.equal("committed");
      expect(job.trackroot.receipt.batch.transaction).to.match(/^0x[0-9a-f]{64}$/);
      // signed by the custodian's key: the relayer's receipt names it
      const status = await fetch(new URL(`/capture/${job.trackroot.digest}`, relayer.url)).then((r) => r.json());
      expect(status.status).to.equal("committed");
      await g.stop();
    });
  }

  it("takes a capture in EPCIS XML, checked against GS1's XSD, and commits it; an XSD violation is refused naming its line", async () => {
    const g = await gateway("custodian");
    const xml = writeXmlDocument(epcisDocument([objectEvent(["GW-XML-1"]), objectEvent(["GW-XML-2"])]));
    const posted = await call(g, "POST", "/capture", xml, GATEWAY_TOKENS.wms, "application/xml");
    expect(posted.status, JSON.stringify(posted.json)).to.equal(202);
    expect(posted.json).to.not.have.property("notMapped");
    const job = await finished(g, posted.location!);
    expect(job.trackroot.status, JSON.stringify(job)).to.equal("committed");
    const invalid = xml.replace("<action>OBSERVE</action>", "<action>LOOK</action>");
    const refused = await call(g, "POST", "/capture", invalid, GATEWAY_TOKENS.wms, "application/xml");
    expect(refused.status, JSON.stringify(refused.json)).to.equal(400);
    expect(refused.json.errors[0].pointer).to.match(/^line \d+$/);
    expect(refused.json.errors[0].message).to.match(/XSD \(EPCIS 2\.0\).*action/);
    const notXml = await call(g, "POST", "/capture", "<epcis:EPCISDocument", GATEWAY_TOKENS.wms, "application/xml");
    expect(notXml.status).to.equal(400);
    const discovery = await fetch(new URL("/capture", g.url), { method: "OPTIONS" });
    expect(discovery.status).to.equal(204);
    expect(discovery.headers.get("gs1-epcis-version")).to.equal("2.0.0");
    expect(Number(discovery.headers.get("gs1-epcis-capture-limit"))).to.be.greaterThan(0);
    expect(Number(discovery.headers.get("gs1-epcis-capture-file-size-limit"))).to.be.greaterThan(1024);
    expect(discovery.headers.get("accept-post")).to.include("application/xml");
  });

  it("refuses a client without a token, hides one client's jobs from another, and names the field of a bad document", async () => {
    const g = await gateway("custodian");
    const doc = epcisDocument([objectEvent(["GW-2"])]);
    expect((await call(g, "POST", "/capture", doc, "not-a-token")).status).to.equal(401);
    const posted = await call(g, "POST", "/capture", doc);
    expect((await call(g, "GET", posted.location!, undefined, GATEWAY_TOKENS.pos)).status).to.equal(404);
    const bad = { ...doc, epcisBody: { eventList: [{ ...objectEvent(["GW-3"]), action: "SOMETIMES" }] } };
    const refused = await call(g, "POST", "/capture", bad);
    expect(refused.status, JSON.stringify(refused.json)).to.equal(400);
    expect(refused.json.errors[0].pointer, JSON.stringify(refused.json)).to.equal("/epcisBody/eventList/0/action");
    expect((await call(g, "POST", "/capture", "{not json")).status).to.equal(400);
    expect((await finished(g, posted.location!)).trackroot.status).to.equal("committed");
  });

  for (const engine of ENGINES) {
    it(`forwards exactly once a capture it acknowledged before being SIGKILLed, once restarted (${engine.name} outbox)`, async () => {
      const options = await engine.options();
      const db: Record<string, string> = options.url
        ? { DATABASE_URL: options.url }
        : { TRACKROOT_GATEWAY_DB: options.sqlitePath as string };
      const before = await acceptedCaptures(relayer);
      for (const halt of ["acknowledged", "sent"]) {
        const g = await gateway("custodian", { ...db, TRACKROOT_GATEWAY_HALT_AT: halt });
        const posted = await call(
          g,
          "POST",
          "/capture",
          epcisDocument([objectEvent([`C-${engine.name.slice(0, 2)}-${halt.slice(0, 4)}`])]),
        );
        expect(posted.status).to.equal(202);
        expect((await g.exited).signal).to.equal("SIGKILL");
        const restarted = await gateway("custodian", db);
        const job = await finished(restarted, posted.location!);
        expect(job.trackroot.status, JSON.stringify(job.errors)).to.equal("committed");
        await restarted.stop();
      }
      // two captures reached the relayer, however often they were sent
      expect((await acceptedCaptures(relayer)) - before).to.equal(2);
    });
  }

  it("acknowledges captures while the relayer is down and commits them once it is back", async () => {
    const port = Number(new URL(relayer.url).port);
    const g = await gateway("custodian");
    await relayer.stop();
    const posted = await call(g, "POST", "/capture", epcisDocument([objectEvent(["GW-OUTAGE"])]));
    expect(posted.status).to.equal(202);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await call(g, "GET", posted.location!)).json.trackroot.status).to.equal("pending");
    relayer = await startRelayerProcess({
      rpcUrl: node.url,
      chain,
      contentDir,
      env: { TRACKROOT_RELAYER_DB: join(dir, "relayer.sqlite"), TRACKROOT_BATCH_MAX_WAIT_MS: "100" },
      port,
    });
    const job = await finished(g, posted.location!);
    expect(job.trackroot.status).to.equal("committed");
  });

  it("fails over from a relayer that withholds, and the capture committed by both counts once", async () => {
    // the first relayer takes captures and sits on them; the second commits
    const withholding = await startRelayerProcess({
      rpcUrl: node.url,
      chain,
      contentDir,
      env: {
        TRACKROOT_RELAYER_DB: join(dir, "withholding.sqlite"),
        TRACKROOT_BATCH_MAX_WAIT_MS: "3600000",
        TRACKROOT_RELAYER_KEYSTORE: keystore("relayer2"),
        TRACKROOT_SHUTDOWN_FLUSH_MS: "30000",
      },
    });
    // another party's capture held there too (a batch of the failed-over capture alone would have
    // the other relayer's root, which the contract takes once)
    const other = await gateway("pharmacy", {}, [withholding.url]);
    const held = await call(other, "POST", "/capture", epcisDocument([objectEvent(["GW-HELD"])]));
    expect(held.status).to.equal(202);
    const g = await gateway("custodian", { TRACKROOT_GATEWAY_FAILOVER_MS: "1500" }, [withholding.url, relayer.url]);
    const posted = await call(g, "POST", "/capture", epcisDocument([objectEvent(["GW-FAILOVER"])]));
    const job = await finished(g, posted.location!);
    expect(job.trackroot.relayers).to.deep.equal([withholding.url, relayer.url]);
    expect(job.trackroot.receipt.relayerUrl).to.equal(relayer.url);
    const once = await audit("audit-1");
    // the withholding relayer commits what it holds on its way out: the capture is now on chain twice
    await withholding.stop();
    const twice = await audit("audit-2");
    expect(twice.commitments).to.equal(once.commitments + 1);
    // the held capture is new; the failed-over one, committed a second time, counts once
    expect({ captures: twice.captures, events: twice.events }).to.deep.equal({
      captures: once.captures + 1,
      events: once.events + 1,
    });
  });

  it("keeps a relayer going whose batch another relayer committed first (the same capture alone)", async () => {
    // the slow relayer batches after 10 s; the gateway passes it over after 1.5 s, the fast one commits
    const slow = await startRelayerProcess({
      rpcUrl: node.url,
      chain,
      contentDir,
      env: {
        TRACKROOT_RELAYER_DB: join(dir, "slow.sqlite"),
        TRACKROOT_BATCH_MAX_WAIT_MS: "10000",
        TRACKROOT_RELAYER_KEYSTORE: keystore("relayer2"),
      },
    });
    running.push(slow);
    const g = await gateway("custodian", { TRACKROOT_GATEWAY_FAILOVER_MS: "1500" }, [slow.url, relayer.url]);
    const posted = await call(g, "POST", "/capture", epcisDocument([objectEvent(["GW-ALONE"])]));
    const job = await finished(g, posted.location!);
    expect(job.trackroot.receipt.relayerUrl).to.equal(relayer.url);
    // the slow relayer's batch of that capture alone has the root the contract already holds
    for (const deadline = Date.now() + 30_000; !slow.logs.some((l) => l.event === "batch.committed_elsewhere"); ) {
      if (Date.now() > deadline) throw new Error("the slow relayer never noticed");
      await new Promise((r) => setTimeout(r, 200));
    }
    const status = await fetch(new URL(`/capture/${job.trackroot.digest}`, slow.url)).then((r) => r.json());
    expect(status).to.include({ status: "committed", committedElsewhere: true });
    // and it commits what comes next
    const next = await gateway("pharmacy", {}, [slow.url]);
    const after = await finished(
      next,
      (await call(next, "POST", "/capture", epcisDocument([objectEvent(["GW-NEXT"])]))).location!,
    );
    expect(after.trackroot.status).to.equal("committed");
  });

  it("carries a handover between two companies' gateways, accepted on the dock's page in a browser", async () => {
    const sender = await gateway("custodian");
    const receiver = await gateway("pharmacy");
    const items = [unit("GW-H1"), unit("GW-H2")];
    const proposed = await call(sender, "POST", "/handovers/proposals", { to: "3", items, shipmentRef: "DESADV-GW-1" });
    expect(proposed.status, JSON.stringify(proposed.json)).to.equal(201);
    const inbox = await call(receiver, "GET", "/handovers/inbox");
    expect(inbox.json.proposals.map((p: { id: string }) => p.id)).to.include(proposed.json.id);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${receiver.url}/`);
      await page.fill("#token", GATEWAY_TOKENS.wms);
      await page.click("#login button");
      await page.waitForSelector(`tr[data-id="${proposed.json.id}"]`);
      await page.click(`tr[data-id="${proposed.json.id}"] button`);
      await page.waitForSelector("#items li");
      expect(await page.$$eval("#items li", (lis) => lis.map((li) => li.textContent))).to.deep.equal(items);
      // a miscount is refused, naming the missing unit; the right count is accepted
      await page.fill("#received", items[0]);
      await page.click("#accept");
      await page.waitForFunction(() => document.getElementById("message")?.textContent?.startsWith("Not accepted"));
      expect(await page.textContent("#message")).to.include(items[1]);
      await page.fill("#received", items.join("\n"));
      await page.click("#accept");
      await page.waitForFunction(() => document.getElementById("message")?.textContent?.startsWith("Accepted"));
    } finally {
      await browser.close();
    }
    const sent = await call(sender, "GET", `/handovers/proposals/${proposed.json.id}`);
    expect(sent.json).to.include({ status: "accepted", captureID: proposed.json.id });
  });
});
