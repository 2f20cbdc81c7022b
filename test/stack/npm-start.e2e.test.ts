import { CUSTODY_TYPES } from "../../src/core/custody/eip712";
import { GATEWAY_ROLES } from "../../src/stack/demo-flow";

const PARTICIPANT_HANDOVER_KEYS = CUSTODY_TYPES.ParticipantHandover.map((f) => f.name);
import { expect } from "chai";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import type { Address } from "viem";
import { captureHeaders, signCapture } from "../../src/client/sign-capture";
import { castAccount, DEMO_GTIN } from "../../src/stack/demo-cast";
import { epcisDocument, objectEvent } from "../support/captures";
import { launchChromium } from "../support/browser";
import { isAlive, ROOT } from "../support/child-process";

/** `npm start` as a newcomer runs it, in its own process group as a terminal would start it. */
function npmStart(args: string[]) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("TRACKROOT_") && k !== "DATABASE_URL"),
  );
  const child = spawn("npm", ["start", "--", ...args], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  // "close": npm and everything holding its output (the stack's own process) have exited
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 120 s:\n${out}\n${err}`)), 120_000);
    child.stdout.on("data", () => {
      if (/ready in [\d.]+ s/.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${signal ?? code}) before it was ready:\n${out}\n${err}`));
    });
  });
  return { child, ready, exited, output: () => `${out}\n${err}` };
}

/** A Ctrl-C in the terminal: SIGINT to the whole foreground process group. */
const ctrlC = (child: ChildProcess) => process.kill(-(child.pid as number), "SIGINT");

const printed = (out: string, label: string) => {
  const match = new RegExp(`^\\s+${label}\\s+(http\\S+)`, "m").exec(out);
  if (!match) throw new Error(`no ${label} line in:\n${out}`);
  return match[1];
};

/** A port whose next three are free too (the stack takes four in a row). */
async function freePortRun(): Promise<number> {
  for (;;) {
    // below Linux's ephemeral range (32768-60999): the stack's own outgoing connections take ports
    // from that range while it starts, and could take one of the gateways' before they listen
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    // the relayer, indexer and site take the next three ports, the four gateways the four after
    const next = [1, 2, 3, 4, 5, 6, 7];
    if ((await Promise.all(next.map((i) => portFree(base + i)))).every(Boolean)) return base;
  }
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });

describe("npm start: the whole ledger in one command, as a newcomer runs it", function () {
  this.timeout(400_000);
  const dataDir = mkdtempSync(join(tmpdir(), "trackroot-start-"));
  let browser: Browser;
  let base: number;

  before(async () => {
    browser = await launchChromium();
    base = await freePortRun();
  });
  after(async () => {
    await browser?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function verdictOf(url: string): Promise<string | null> {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url);
      await page.locator("[data-verdict]").waitFor({ timeout: 30_000 });
      return await page.locator("[data-verdict]").getAttribute("data-verdict");
    } finally {
      await context.close();
    }
  }

  /** Every response the page received for `url` (URL, headers, body), as text. */
  async function pageTraffic(url: string): Promise<string> {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const bodies: Promise<string>[] = [];
      page.on("response", (r) =>
        bodies.push(
          r
            .body()
            .then((b) => `${r.url()}\n${JSON.stringify(r.headers())}\n${b.toString("utf8")}`)
            .catch(() => r.url()),
        ),
      );
      await page.goto(url);
      await page.locator("[data-verdict]").waitFor({ timeout: 30_000 });
      return (await Promise.all(bodies)).join("\n");
    } finally {
      await context.close();
    }
  }

  const recordedPids = () =>
    (JSON.parse(readFileSync(join(dataDir, "pids.json"), "utf8")) as { name: string; pid: number }[]).map((p) => p.pid);

  async function stopAndCheck(run: ReturnType<typeof npmStart>, pids: number[]) {
    expect(pids.every(isAlive), "every child runs before Ctrl-C").to.equal(true);
    ctrlC(run.child);
    // npm itself may end by the signal; the stack ends with 0 after saying so
    const { code, signal } = await run.exited;
    expect(code === 0 || signal === "SIGINT", `npm ended with ${signal ?? code}`).to.equal(true);
    expect(run.output()).to.match(/^stopped$/m);
    const left = pids.filter(isAlive);
    expect(left, `still running after Ctrl-C: ${left.join(", ")}\n${run.output()}`).to.deep.equal([]);
  }

  it("plays the demo, serves verdicts in a browser, audits to exactly the planted counterfeit, and stops every process on Ctrl-C", async () => {
    const run = npmStart(["--data-dir", dataDir, "--base-port", String(base)]);
    const out = await run.ready;
    const seconds = Number(/ready in ([\d.]+) s/.exec(out)?.[1]);
    console.log(`      first start ready in ${seconds} s`);
    expect(seconds).to.be.below(60);
    for (const label of ["chain", "relayer", "indexer", "verify site", ...GATEWAY_ROLES.map((r) => `gateway ${r}`)])
      expect(printed(out, label)).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pids = recordedPids();
    expect(pids).to.have.length(8);
    // each party its own process with its own key: no process of the stack is given two parties' keys
    for (const pid of pids) {
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      const keystores = new Set(
        [...environ.filter((v) => /^TRACKROOT_\w*KEYSTORE=/.test(v)).map((v) => v.split("=")[1]), cmdline]
          .join("\n")
          .match(/[^\s=]*\.keystore\.json/g) ?? [],
      );
      expect(
        keystores.size,
        `process ${pid} (${cmdline.replace(/\0/g, " ")}) holds ${[...keystores].join(", ")}`,
      ).to.be.at.most(1);
    }
    const gatewayKeys = pids.flatMap((pid) =>
      readFileSync(`/proc/${pid}/environ`, "utf8")
        .split("\0")
        .filter((v) => v.startsWith("TRACKROOT_GATEWAY_KEYSTORE=")),
    );
    expect(gatewayKeys.map((v) => /keys\/(\w+)\.keystore/.exec(v)?.[1]).sort()).to.deep.equal(
      [...GATEWAY_ROLES].sort(),
    );

    expect(await verdictOf(printed(out, "genuine"))).to.equal("genuine");
    expect(await verdictOf(printed(out, "recalled"))).to.equal("recalled");
    expect(await verdictOf(printed(out, "unknown"))).to.equal("unknown");
    const cloned = /cloned \(.*\) (http\S+)$/m.exec(out)?.[1] as string;
    expect(await verdictOf(cloned)).to.equal("suspicious");

    // the genuine unit travelled in a case on a pallet: nothing public names another code of its lot
    const released = readdirSync(join(dataDir, "release")).flatMap((order) =>
      readFileSync(join(dataDir, "release", order, "codes.csv"), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split(",")[1]),
    );
    const genuine = /\/21\/([^/?]+)$/.exec(printed(out, "genuine"))![1];
    const indexerUrl = printed(out, "indexer");
    const served: string[] = [];
    for (const path of [`/v1/codes/${DEMO_GTIN}/${genuine}/proof`, `/v1/codes/${DEMO_GTIN}/${genuine}`]) {
      const res = await fetch(`${indexerUrl}${path}`);
      expect(res.status).to.equal(200);
      const headers: string[] = [];
      res.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
      served.push(headers.join("\n"), await res.text());
    }
    const bundle = JSON.parse(served[1]);
    expect(bundle.custody.map((c: { kind: string }) => c.kind)).to.include.members(["disclosed_event", "handover"]);
    // every handover of the demo went propose, inbox, accept: addressed to participants (format 3)
    const handovers = bundle.custody.filter((c: { kind: string }) => c.kind === "handover");
    expect(handovers).to.have.length.at.least(2);
    for (const h of handovers) expect(h.handover).to.have.keys(PARTICIPANT_HANDOVER_KEYS);
    console.log(`      the genuine unit's proof bundle: ${served[1].length} bytes, ${bundle.custody.length} steps`);
    served.push(await pageTraffic(printed(out, "genuine")));
    const bytes = served.join("\n");
    const named = released.filter((serial) => bytes.includes(serial));
    expect(named, "serials of the lot in what was served").to.deep.equal([genuine]);

    const command = /^\s+(\.\/bin\/trackroot\.js .* audit .*)$/m.exec(out)?.[1];
    expect(command, out).to.be.a("string");
    const audit = spawnSync("bash", ["-c", command as string], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH },
    });
    expect(audit.status, audit.stdout + audit.stderr).to.equal(3);
    const reportPath = /--out (\S+)/.exec(command as string)?.[1] as string;
    const report = JSON.parse(readFileSync(resolve(ROOT, reportPath, "audit-report.json"), "utf8")) as {
      violations: { kind: string; evidence: { epc?: string } }[];
    };
    const counterfeit = /counterfeit .* (http\S+)$/m.exec(out)?.[1] as string;
    expect(report.violations.map((v) => v.kind)).to.deep.equal(["commission_outside_release"]);
    const serialOf = (link: string) => /\/21\/([^/]+)$/.exec(link)?.[1];
    expect(serialOf(report.violations[0].evidence.epc ?? ""))
      .to.equal(serialOf(counterfeit))
      .and.to.be.a("string");

    await stopAndCheck(run, pids);
  });

  it("starts again in seconds from the same data directory, keeping the ledger", async () => {
    const before = readFileSync(join(dataDir, "demo.json"), "utf8");
    const run = npmStart(["--data-dir", dataDir, "--base-port", String(base)]);
    const out = await run.ready;
    expect(out + run.output()).to.include("resuming from");
    const seconds = Number(/ready in ([\d.]+) s/.exec(out)?.[1]);
    console.log(`      second start ready in ${seconds} s`);
    expect(readFileSync(join(dataDir, "demo.json"), "utf8")).to.equal(before);
    expect(await verdictOf(printed(out, "genuine"))).to.equal("genuine");

    // an outsider's finding, replayed: keys that do not hold the genuine unit try to end its life
    const serial = decodeURIComponent(/\/21\/([^/?]+)$/.exec(printed(out, "genuine"))![1]);
    const deployment = JSON.parse(readFileSync(join(dataDir, "deployments", "31337.json"), "utf8")) as {
      chainId: number;
      contracts: { CommitmentLog: { address: Address } };
    };
    const domain = { chainId: deployment.chainId, verifyingContract: deployment.contracts.CommitmentLog.address };
    const sale = epcisDocument([
      { ...objectEvent([serial], new Date().toISOString()), bizStep: "retail_selling", disposition: "retail_sold" },
    ]);
    const sell = async (role: "auditor" | "north") =>
      fetch(`${printed(out, "relayer")}/capture`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...captureHeaders(await signCapture({ document: sale, account: castAccount(role), domain })),
        },
        body: JSON.stringify(sale),
      });
    // the auditor's key records nothing
    const byAuditor = await sell("auditor");
    expect(byAuditor.status).to.equal(403);
    expect(((await byAuditor.json()) as { detail: string }).detail).to.match(/relayer and auditor keys record nothing/);
    // a distributor that handed it on long ago may submit, but its sale changes nothing
    const byNorth = await sell("north");
    expect(byNorth.status).to.equal(202);
    const indexerUrl = printed(out, "indexer");
    for (let i = 0; ; i++) {
      const view = (await (
        await fetch(`${indexerUrl}/v1/codes/${DEMO_GTIN}/${encodeURIComponent(serial)}`)
      ).json()) as {
        status: string;
        history: { cause: string }[];
        anomalies: { kind: string; detail: string }[];
      };
      if (view.history.some((h) => h.cause === "refused")) {
        expect(view.status).to.not.equal("sold");
        expect(view.anomalies.map((a) => a.kind)).to.include("unauthorised_event");
        break;
      }
      if (i > 300) throw new Error("the indexer did not apply the refused sale within 60 s");
      await new Promise((r) => setTimeout(r, 200));
    }
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(printed(out, "genuine"));
      await page.locator("[data-verdict]").waitFor({ timeout: 30_000 });
      expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).to.equal("genuine");
      const journey = await page.locator(".timeline").innerText();
      expect(journey).to.match(/Not counted: sold/);
      expect(journey).to.match(/NorthLog Distribution \(custodian\) marked it sold; Corner Street Pharmacy held it/);
      // the product named as the brand published it, checked against the chain's CID
      const product = await page.locator("section[aria-labelledby=product-h]").innerText();
      expect(product).to.include("Ibuprofen Acme 400 mg").and.include("400 mg film-coated tablets");
      // and shown with its picture, checked against the CID the record names
      await page.locator(".product-picture img[alt='Ibuprofen Acme 400 mg']").waitFor();
    } finally {
      await context.close();
    }
    await stopAndCheck(run, recordedPids());
  });
});
