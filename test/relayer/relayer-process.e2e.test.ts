import { captureHeaders } from "../../src/client/sign-capture";
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { Ledger } from "../../src/chain/ledger";
import { EmbeddedContentStore } from "../../src/content/embedded-store";
import { commitmentTree } from "../../src/core/custody/capture-tree";
import type { CommitmentDocument } from "../../src/core/custody/commitment-document";
import { startHardhatNode } from "../support/chain-node";
import { epcisDocument, objectEvent, signCapture } from "../support/captures";
import { ENGINES } from "../support/databases";
import { KEYS, RELAYER_ID, setupRelayerLedger, type RelayerLedger } from "../support/relayer-ledger";
import { relayerMetrics, startRelayerProcess, type RelayerProcess } from "../support/relayer-process";
import { TcpProxy } from "../support/tcp-proxy";

describe("e2e: the relayer process survives SIGKILL at every boundary, a chain outage and a stuck transaction", function () {
  this.timeout(300_000);
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let chain: RelayerLedger;
  let ledger: Ledger;
  const dir = mkdtempSync(join(tmpdir(), "trackroot-relayer-proc-"));
  const contentDir = join(dir, "content");
  let serial = 0;

  before(async () => {
    node = await startHardhatNode();
    chain = await setupRelayerLedger(node.url, dir);
    ledger = new Ledger({ rpcUrl: node.url, deployment: chain.deployment });
  });
  after(() => node?.stop());

  const startRelayer = (env: Record<string, string>): Promise<RelayerProcess> =>
    startRelayerProcess({
      rpcUrl: node.url,
      chain,
      contentDir,
      env: { TRACKROOT_BATCH_MAX_WAIT_MS: "100", TRACKROOT_KEY_CACHE_MS: "0", ...env },
    });

  async function capture(url: string, events = 2): Promise<string> {
    const doc = epcisDocument(Array.from({ length: events }, () => objectEvent([`P${++serial}`])));
    const e = await signCapture(doc, KEYS.custodian, chain.domain);
    const res = await fetch(`${url}/capture`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...captureHeaders(e),
      },
      body: JSON.stringify(doc),
    });
    expect(res.status, await res.clone().text()).to.equal(202);
    return (await res.json()).captureID;
  }

  async function statusOf(url: string, id: string): Promise<{ status: string; batch?: { transaction: string } }> {
    return (await fetch(`${url}/capture/${id}`)).json();
  }

  async function untilCommitted(url: string, ids: string[], timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const id of ids) {
      while ((await statusOf(url, id)).status !== "committed") {
        if (Date.now() > deadline) throw new Error(`capture ${id} not committed in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** Every entry digest in every commitment of the relayer on chain, read back from the content store. */
  async function committedOnChain(): Promise<string[]> {
    const store = new EmbeddedContentStore(contentDir);
    const [head] = await ledger.commitmentLog.read.head([RELAYER_ID]);
    const digests: string[] = [];
    for (let s = 1n; s <= head; s++) {
      const c = await ledger.commitmentLog.read.commitment([RELAYER_ID, s]);
      const content = JSON.parse(new TextDecoder().decode(await store.get(c.contentCid))) as CommitmentDocument;
      const root = commitmentTree(content.entries.map((e) => ({ kind: e.kind, digest: e.digest as Hex }))).root;
      expect(root, `commitment ${s}`).to.equal(c.root);
      expect(content.sequence).to.equal(Number(s));
      digests.push(...content.entries.map((e) => e.digest));
    }
    return digests;
  }

  function expectExactlyOnce(all: string[], acknowledged: string[]) {
    const counts = new Map<string, number>();
    for (const d of all) counts.set(d, (counts.get(d) ?? 0) + 1);
    for (const id of acknowledged) expect(counts.get(id) ?? 0, `capture ${id}`).to.equal(1);
    expect(
      [...counts.values()].every((n) => n === 1),
      "no entry committed twice",
    ).to.equal(true);
  }

  describe("against requests nobody signed", () => {
    let relayer: RelayerProcess;
    before(async () => {
      relayer = await startRelayer({
        TRACKROOT_RELAYER_DB: join(dir, "flood.sqlite"),
        TRACKROOT_AUTH_FAILURE_BURST: "30",
        TRACKROOT_AUTH_FAILURES_PER_MINUTE: "6",
      });
    });
    after(() => relayer?.stop());

    // 14,000 events without eventTime (3.5 MB) under a random submitter and a junk signature
    const flood = () => {
      const events = Array.from({ length: 14_000 }, (_, i) => {
        const { eventTime: _time, ...rest } = objectEvent([`F${i}`]);
        return rest;
      });
      return JSON.stringify(epcisDocument(events));
    };
    const junkHeaders = () => ({
      "content-type": "application/json",
      "Trackroot-Submitter": `0x${randomBytes(20).toString("hex")}`,
      "Trackroot-Nonce": `0x${randomBytes(32).toString("hex")}`,
      "Trackroot-Issued-At": String(Math.floor(Date.now() / 1000)),
      "Trackroot-Signature": `0x${randomBytes(32).toString("hex")}${"11".repeat(32)}1b`,
      "Trackroot-Events-Root": `0x${randomBytes(32).toString("hex")}`,
      "Trackroot-Event-Count": "10000",
      "Trackroot-Salt": `0x${randomBytes(32).toString("hex")}`,
    });

    it("refuses a 3.5 MB capture under a junk signature from its headers, with a small problem, and stays healthy", async () => {
      const body = flood();
      expect(body.length).to.be.greaterThan(3_000_000);
      const [refused, health] = await Promise.all([
        fetch(`${relayer.url}/capture`, { method: "POST", headers: junkHeaders(), body }),
        fetch(`${relayer.url}/health`),
      ]);
      expect(health.status).to.equal(200);
      expect(refused.status).to.equal(401);
      const text = await refused.text();
      // the signature was checked before any event was: one line about it, not 14,000 issues
      expect(JSON.parse(text).detail).to.match(/^signature: not 0x[0-9a-f]{40}'s EIP-712 Capture signature/);
      expect(text.length).to.be.lessThan(2_000);
      // a client's mistake is no error of the service: nothing logged at error level
      expect(relayer.logs.filter((l) => Number(l.level) >= 50)).to.deep.equal([]);
    });

    it("answers an address past its budget of failed authentications with 429 before reading its requests", async () => {
      let limited: Response | undefined;
      for (let i = 0; i < 40 && !limited; i++) {
        const res = await fetch(`${relayer.url}/capture`, { method: "POST", headers: junkHeaders(), body: "{}" });
        if (res.status === 429) limited = res;
        else expect(res.status).to.equal(401);
      }
      expect(limited, "a 429 within 40 failed authentications").to.not.equal(undefined);
      expect(Number(limited!.headers.get("retry-after"))).to.be.greaterThan(0);
      expect(((await limited!.json()) as { detail: string }).detail).to.match(/failed authentications/);
    });
  });

  for (const engine of ENGINES) {
    describe(`on ${engine.name}`, () => {
      let dbEnv: Record<string, string>;
      before(async () => {
        const o = await engine.options();
        dbEnv = o.url ? { DATABASE_URL: o.url } : { TRACKROOT_RELAYER_DB: o.sqlitePath as string };
      });

      const boundaries = [
        { name: "after the 202", halt: undefined },
        { name: "after building a batch", halt: "batch.built" },
        { name: "after publishing", halt: "batch.published" },
        { name: "after sending the transaction", halt: "tx.sent" },
        { name: "after the receipt but before the database update", halt: "commit.seen" },
      ];
      for (const b of boundaries) {
        it(`commits every acknowledged capture exactly once after a SIGKILL ${b.name}`, async () => {
          // the batch waits long enough for the three to be acknowledged first; one that is not (the
          // process died under it) is no promise, but must not be committed twice either
          const crashing = await startRelayer({
            ...dbEnv,
            TRACKROOT_BATCH_MAX_WAIT_MS: b.halt ? "3000" : "600000",
            ...(b.halt ? { TRACKROOT_RELAYER_HALT_AT: b.halt } : {}),
          });
          const sent = await Promise.allSettled([
            capture(crashing.url),
            capture(crashing.url),
            capture(crashing.url, 5),
          ]);
          const acknowledged = sent.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
          expect(acknowledged.length).to.be.greaterThan(0);
          if (!b.halt) crashing.child.kill("SIGKILL");
          const exit = await crashing.exited;
          expect(exit.signal).to.equal("SIGKILL");
          if (b.halt) expect(crashing.logs.some((l) => l.event === "halt" && l.step === b.halt)).to.equal(true);

          const restarted = await startRelayer(dbEnv);
          try {
            await untilCommitted(restarted.url, acknowledged);
          } finally {
            await restarted.stop();
          }
          expect((await restarted.exited).code).to.equal(0);
          expectExactlyOnce(await committedOnChain(), acknowledged);
        });
      }

      it("on SIGTERM stops taking requests, commits what is queued, and exits 0", async () => {
        const relayer = await startRelayer({ ...dbEnv, TRACKROOT_BATCH_MAX_WAIT_MS: "600000" });
        const acknowledged = [await capture(relayer.url), await capture(relayer.url)];
        relayer.child.kill("SIGTERM");
        expect((await relayer.exited).code).to.equal(0);
        expect(relayer.logs.some((l) => l.event === "relayer.stopped" && l.queuedEvents === 0)).to.equal(true);
        expectExactlyOnce(await committedOnChain(), acknowledged);
      });
    });
  }

  it("keeps acknowledging captures while the chain is unreachable and commits them once it is back", async () => {
    const proxy = await TcpProxy.start(Number(new URL(node.url).port));
    const relayer = await startRelayer({
      TRACKROOT_RPC_URL: proxy.url,
      TRACKROOT_RELAYER_DB: join(dir, "outage.sqlite"),
    });
    try {
      const before = await capture(relayer.url);
      await untilCommitted(relayer.url, [before]);
      await proxy.cut();
      const during = [await capture(relayer.url), await capture(relayer.url)];
      const health = await fetch(`${relayer.url}/health`);
      expect(health.status).to.equal(503);
      expect((await health.json()).checks.chain.status).to.equal("down");
      await new Promise((resolve) => setTimeout(resolve, 2000));
      for (const id of during) expect((await statusOf(relayer.url, id)).status).to.equal("queued");
      await proxy.restore();
      await untilCommitted(relayer.url, during, 60_000);
      const metrics = await relayerMetrics(relayer.url);
      expect(
        Number(/^trackroot_relayer_chain_errors_total\{step="pipeline"\} (\d+)/m.exec(metrics)?.[1]),
      ).to.be.greaterThan(0);
      expectExactlyOnce(await committedOnChain(), [before, ...during]);
    } finally {
      await relayer.stop();
      await proxy.cut();
    }
  });

  it("replaces a commitment transaction that stays pending, under the same nonce, and commits it once", async () => {
    const rpc = (method: string, params: unknown[] = []) =>
      fetch(node.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      }).then((r) => r.json());
    const relayer = await startRelayer({
      TRACKROOT_RELAYER_DB: join(dir, "stuck.sqlite"),
      TRACKROOT_TX_REPLACE_AFTER_MS: "1000",
    });
    const [headBefore] = await ledger.commitmentLog.read.head([RELAYER_ID]);
    await rpc("evm_setAutomine", [false]);
    try {
      const id = await capture(relayer.url);
      const deadline = Date.now() + 30_000;
      while (!relayer.logs.some((l) => l.event === "batch.replaced")) {
        if (Date.now() > deadline) throw new Error(`no replacement: ${JSON.stringify(relayer.logs.slice(-5))}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const sent = relayer.logs.find((l) => l.event === "batch.sent") as { transaction: Hex; nonce: number };
      const replaced = relayer.logs.find((l) => l.event === "batch.replaced") as { nonce: number; replaces: Hex };
      expect(replaced.nonce).to.equal(sent.nonce);
      expect(replaced.replaces).to.equal(sent.transaction);
      await rpc("evm_setAutomine", [true]);
      await rpc("evm_mine");
      await untilCommitted(relayer.url, [id]);
      const landed = (await statusOf(relayer.url, id)).batch!.transaction;
      expect(landed).to.not.equal(sent.transaction);
      const receipt = await ledger.publicClient.getTransactionReceipt({ hash: landed as Hex });
      expect(receipt.status).to.equal("success");
      const [headAfter] = await ledger.commitmentLog.read.head([RELAYER_ID]);
      expect(headAfter).to.equal(headBefore + 1n);
      expectExactlyOnce(await committedOnChain(), [id]);
    } finally {
      await rpc("evm_setAutomine", [true]);
      await relayer.stop();
    }
  });
});
