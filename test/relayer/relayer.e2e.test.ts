import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import { readDeployment } from "../../src/chain/deployment";
import { encryptKeystore } from "../../src/chain/keystore";
import { Ledger } from "../../src/chain/ledger";
import { runCli } from "../../src/cli/main";
import { EmbeddedContentStore } from "../../src/content/embedded-store";
import { BatchQueue } from "../../src/relayer/batch-queue";
import { CaptureDesk } from "../../src/relayer/capture-desk";
import { relayerApp } from "../../src/relayer/http/app";
import { Pipeline } from "../../src/relayer/pipeline";
import { RelayerStore } from "../../src/relayer/relayer-store";
import { openDatabase } from "../../src/store/database";
import type { RelayerTables } from "../../src/store/schema";
import { startHardhatNode } from "../support/chain-node";
import { epcisDocument, objectEvent, signCapture } from "../support/captures";
import { ENGINES } from "../support/databases";

// hardhat node accounts: #0 governs, #1 a custodian's scanner, #2 the relayer
const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const CUSTODIAN_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const RELAYER_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

describe("e2e: relayer intake and commitments against a separate hardhat node", function () {
  this.timeout(120_000);
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let deployment: Awaited<ReturnType<typeof readDeployment>>;
  const dir = mkdtempSync(join(tmpdir(), "trackroot-relayer-"));

  before(async () => {
    node = await startHardhatNode();
    writeFileSync(join(dir, "gov.json"), await encryptKeystore(GOVERNOR_KEY, "pw", 1024));
    const env = {
      TRACKROOT_RPC_URL: node.url,
      TRACKROOT_KEYSTORE: "gov.json",
      TRACKROOT_KEYSTORE_PASSWORD: "pw",
      TRACKROOT_DATA_DIR: "data",
      TRACKROOT_DEPLOYMENTS_DIR: "deployments",
    };
    const custodian = privateKeyToAccount(CUSTODIAN_KEY).address;
    const relayer = privateKeyToAccount(RELAYER_KEY).address;
    for (const argv of [
      ["deploy"],
      ["participant", "add", "--kind", "custodian", "--gln", "0614141000005", "--name", "3PL", "--key", custodian],
      ["participant", "add", "--kind", "relayer", "--gln", "0614141000012", "--name", "Relay", "--key", relayer],
    ]) {
      const err: string[] = [];
      const code = await runCli(argv, { io: { out: () => undefined, err: (l) => err.push(l) }, env, cwd: dir });
      expect(code, `${argv.join(" ")}: ${err.join("\n")}`).to.equal(0);
    }
    deployment = await readDeployment(join(dir, "deployments", "31337.json"));
  });
  after(() => node?.stop());

  for (const engine of ENGINES) {
    describe(`on ${engine.name}`, () => {
      let server: Server;
      let base: string;
      let store: RelayerStore;
      let pipeline: Pipeline;
      let ledger: Ledger;
      const domain = () => ({
        chainId: 31337,
        verifyingContract: deployment.contracts.CommitmentLog.address as `0x${string}`,
      });

      before(async () => {
        const { db, engine: kind } = openDatabase<RelayerTables>(await engine.options());
        store = await RelayerStore.open(db, kind);
        ledger = new Ledger({ rpcUrl: node.url, deployment, account: privateKeyToAccount(RELAYER_KEY) });
        const queue = new BatchQueue({ maxEvents: 1000, maxWaitMs: 200 });
        pipeline = new Pipeline({
          store,
          content: new EmbeddedContentStore(mkdtempSync(join(tmpdir(), "trackroot-relayer-content-"))),
          ledger,
          queue,
          relayer: 2,
          maxEntries: 100,
        });
        const desk = new CaptureDesk({
          domain: domain(),
          registry: {
            keyStanding: async (key) => {
              const [participant, kind, active] = await ledger.registry.read.keyStanding([key]);
              return { participant, kind, active };
            },
          },
          maxAgeSeconds: 3600,
          maxSkewSeconds: 300,
          now: () => Date.now(),
          store,
          queue,
          onQueued: () => pipeline.poke(),
        });
        const app = relayerApp({ desk, store, queue, bodyLimit: "64kb", log: () => undefined });
        server = app.listen(0, "127.0.0.1");
        await new Promise((resolve) => server.once("listening", resolve));
        base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
        pipeline.start();
      });
      after(async () => {
        await pipeline.stop();
        await new Promise((resolve) => server.close(resolve));
        await store.close();
      });

      const post = async (doc: unknown, headers: Record<string, string>) =>
        fetch(`${base}/capture`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: typeof doc === "string" ? doc : JSON.stringify(doc),
        });
      const envelopeHeaders = (e: { submitter: string; nonce: string; issuedAt: string; signature: string }) => ({
        "Trackroot-Submitter": e.submitter,
        "Trackroot-Nonce": e.nonce,
        "Trackroot-Issued-At": e.issuedAt,
        "Trackroot-Signature": e.signature,
      });

      it("acknowledges a signed capture, keeps one copy of 50 identical ones, and commits it once on-chain", async () => {
        const doc = epcisDocument([objectEvent([`${engine.name}1`, `${engine.name}2`])]);
        const headers = envelopeHeaders(await signCapture(doc, CUSTODIAN_KEY, domain()));
        const first = await post(doc, headers);
        expect(first.status).to.equal(202);
        const { captureID } = await first.json();
        const copies = await Promise.all(Array.from({ length: 50 }, () => post(doc, headers)));
        const ids = await Promise.all(copies.map(async (r) => (await r.json()).captureID));
        expect(copies.every((r) => r.status === 202)).to.equal(true);
        expect(new Set(ids)).to.deep.equal(new Set([captureID]));

        let status: { status: string; batch?: { sequence: number; root: string; transaction: string } } = {
          status: "",
        };
        for (let i = 0; i < 100 && status.status !== "committed"; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          status = await (await fetch(`${base}/capture/${captureID}`)).json();
        }
        expect(status.status).to.equal("committed");
        const [head] = await ledger.log.read.head([2]);
        const onChain = await ledger.log.read.commitment([2, BigInt(status.batch!.sequence)]);
        expect(onChain.root).to.equal(status.batch!.root);
        expect(onChain.eventCount).to.equal(1);
        expect(Number(head)).to.be.at.least(status.batch!.sequence);
        expect((await store.batchEntries(status.batch!.sequence)).map((e) => e.digest)).to.deep.equal([captureID]);
      });

      const refusals: { name: string; send: () => Promise<Response>; status: number; detail: RegExp }[] = [
        { name: "malformed JSON", send: () => post("{not json", {}), status: 400, detail: /JSON/i },
        {
          name: "an oversized body",
          send: async () => post(epcisDocument([objectEvent(Array.from({ length: 2000 }, (_, i) => `S${i}`))]), {}),
          status: 413,
          detail: /too large/i,
        },
        {
          name: "a capture without a signature",
          send: () => post(epcisDocument([objectEvent(["U1"])]), {}),
          status: 400,
          detail: /submitter: must be a 0x-prefixed 20-byte address/,
        },
        {
          name: "a capture signed by an unregistered key",
          send: async () => {
            const doc = epcisDocument([objectEvent(["U2"])]);
            return post(doc, envelopeHeaders(await signCapture(doc, `0x${"44".repeat(32)}`, domain())));
          },
          status: 401,
          detail: /not a registered key/,
        },
      ];
      for (const r of refusals) {
        it(`answers ${r.name} with a ${r.status} problem and stores nothing`, async () => {
          const before = await store.queueDepth();
          const res = await r.send();
          expect(res.status).to.equal(r.status);
          expect(res.headers.get("content-type")).to.match(/application\/problem\+json/);
          expect((await res.json()).detail).to.match(r.detail);
          expect(await store.queueDepth()).to.deep.equal(before);
        });
      }
    });
  }
});
