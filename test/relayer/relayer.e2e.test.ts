import { signedReadHeaders } from "../../src/client/signed-read";
import { disclosedEventLeafHash, saltHash } from "../../src/core/custody/event-disclosure";
import { eventParts } from "../../src/core/custody/disclosure-trees";
import { captureHeaders } from "../../src/client/sign-capture";
import Ajv2020 from "ajv/dist/2020";
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import type { Address, Hex } from "viem";
import { Ledger } from "../../src/chain/ledger";
import { EmbeddedContentStore } from "../../src/content/embedded-store";
import { captureDigest, handoverDigest, verifyCaptureSignature } from "../../src/core/custody/eip712";
import { eventHashBytes, toNiUri } from "../../src/core/epcis/event-hash";
import { itemLeafHash, itemSalt } from "../../src/core/custody/handover-items";
import { commitmentLeafHash } from "../../src/core/merkle/leaves";
import { verifyProof } from "../../src/core/merkle/verify";
import { BatchQueue } from "../../src/relayer/batch-queue";
import { relayerApp } from "../../src/relayer/http/app";
import { IntakeDesk } from "../../src/relayer/intake-desk";
import { HandoverMailbox } from "../../src/relayer/handover-mailbox";
import { ProposalStore } from "../../src/relayer/proposal-store";
import { RelayerMetrics } from "../../src/relayer/metrics";
import { Pipeline } from "../../src/relayer/pipeline";
import { RateLimiter } from "../../src/http/rate-limiter";
import { clientAddressOf } from "../../src/http/client-address";
import { ReplayGuard } from "../../src/http/replay-guard";

const METRICS_TOKEN = "relayer-e2e-metrics-token";

/** The same signature's twin: s replaced by n - s and v flipped, which recovers the same key. */
function highS(signature: string): string {
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = parseInt(signature.slice(130), 16);
  return `${signature.slice(0, 66)}${(n - s).toString(16).padStart(64, "0")}${(v === 27 ? 28 : 27).toString(16)}`;
}
import { RelayerStore } from "../../src/relayer/relayer-store";
import { openDatabase } from "../../src/store/database";
import type { RelayerTables } from "../../src/store/schema";
import { startHardhatNode } from "../support/chain-node";
import { epcisDocument, objectEvent, signCapture, signHandover, unit } from "../support/captures";
import { ENGINES } from "../support/databases";
import { KEYS, RELAYER_ID, setupRelayerLedger, type RelayerLedger } from "../support/relayer-ledger";

const envelopeHeaders = captureHeaders;

describe("e2e: relayer API and commitments against a separate hardhat node", function () {
  this.timeout(120_000);
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let chain: RelayerLedger;
  const dir = mkdtempSync(join(tmpdir(), "trackroot-relayer-"));

  before(async () => {
    node = await startHardhatNode();
    chain = await setupRelayerLedger(node.url, dir);
  });
  after(() => node?.stop());

  for (const engine of ENGINES) {
    describe(`on ${engine.name}`, () => {
      let server: Server;
      let base: string;
      let store: RelayerStore;
      let pipeline: Pipeline;
      let ledger: Ledger;
      const domain = () => chain.domain;

      before(async () => {
        const { db, engine: kind } = openDatabase<RelayerTables>(await engine.options());
        store = await RelayerStore.open(db, kind);
        ledger = new Ledger({
          rpcUrl: node.url,
          deployment: chain.deployment,
          account: privateKeyToAccount(KEYS.relayer),
        });
        const queue = new BatchQueue({ maxEvents: 1000, maxWaitMs: 200 });
        const metrics = new RelayerMetrics();
        pipeline = new Pipeline({
          store,
          content: new EmbeddedContentStore(mkdtempSync(join(tmpdir(), "trackroot-relayer-content-"))),
          ledger,
          queue,
          relayer: RELAYER_ID,
          maxEntries: 100,
          maxEvents: 1000,
          metrics,
        });
        const registry = {
          keyStanding: async (key: Address) => {
            const [participant, kind, active] = await ledger.registry.read.keyStanding([key]);
            return { participant, kind, active };
          },
        };
        const desk = new IntakeDesk({
          domain: domain(),
          registry,
          maxAgeSeconds: 3600,
          maxSkewSeconds: 300,
          maxEvents: 1000,
          now: () => Date.now(),
          store,
          queue,
          limiter: new RateLimiter({ ratePerSecond: 10, burst: 100 }),
          metrics,
          onQueued: () => pipeline.poke(),
        });
        const mailbox = new HandoverMailbox({
          domain: domain(),
          registry,
          participants: {
            participantStanding: async (id) => {
              if (id > (await ledger.registry.read.participantCount())) return null;
              const p = await ledger.registry.read.participant([id]);
              return { kind: p.kind, active: p.active };
            },
          },
          proposals: new ProposalStore(store.db),
          desk,
          now: () => Date.now(),
          maxSkewSeconds: 300,
          maxItems: 1000,
        });
        const app = relayerApp({
          desk,
          mailbox,
          store,
          metrics,
          receipts: {
            store,
            registry,
            chainId: 31337,
            commitmentLog: ledger.commitmentLog.address,
            relayer: RELAYER_ID,
          },
          readSkewSeconds: 300,
          health: [{ name: "chain", check: async () => void (await ledger.publicClient.getBlockNumber()) }],
          bodyLimit: "64kb",
          clientAddress: clientAddressOf({ trustedProxies: [] }),
          authFailures: new RateLimiter({ ratePerSecond: 100, burst: 1000 }),
          replays: new ReplayGuard({ maxEntries: 1000, now: Date.now }),
          metricsToken: METRICS_TOKEN,
          log: () => undefined,
        });
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

      /** GET /receipts/{hash}, signed by `key` (the custodian's by default; null: unsigned) */
      const receiptOf = async (hash: string, key: Hex | null = KEYS.custodian) =>
        fetch(`${base}/receipts/${hash}`, {
          headers: key
            ? await signedReadHeaders({
                account: privateKeyToAccount(key),
                service: "trackroot-relayer",
                path: `/receipts/${hash}`,
              })
            : {},
        });

      const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${base}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: typeof body === "string" ? body : JSON.stringify(body),
        });
      const capture = async (doc: unknown, key: Hex = KEYS.custodian, options = {}) =>
        post("/capture", doc, envelopeHeaders(await signCapture(doc as never, key, domain(), options)));
      async function committed(id: string) {
        let status: { status: string; batch?: { sequence: number; root: string; transaction: string; block: number } } =
          { status: "" };
        for (let i = 0; i < 150 && status.status !== "committed"; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          status = await (await fetch(`${base}/capture/${id}`)).json();
        }
        expect(status.status, `capture ${id}`).to.equal("committed");
        return status as Required<typeof status>;
      }

      it("acknowledges a signed capture, keeps one copy of 50 identical ones, and commits it once on-chain", async () => {
        const doc = epcisDocument([objectEvent([`${engine.name}1`, `${engine.name}2`])]);
        const headers = envelopeHeaders(await signCapture(doc, KEYS.custodian, domain()));
        const first = await post("/capture", doc, headers);
        expect(first.status).to.equal(202);
        const { captureID, duplicate } = await first.json();
        expect(duplicate).to.equal(false);
        const copies = await Promise.all(Array.from({ length: 50 }, () => post("/capture", doc, headers)));
        const bodies = await Promise.all(copies.map((r) => r.json()));
        expect(copies.every((r) => r.status === 202)).to.equal(true);
        expect(new Set(bodies.map((b) => b.captureID))).to.deep.equal(new Set([captureID]));
        expect(bodies.every((b) => b.duplicate === true)).to.equal(true);

        const status = await committed(captureID);
        const onChain = await ledger.commitmentLog.read.commitment([RELAYER_ID, BigInt(status.batch.sequence)]);
        expect(onChain.root).to.equal(status.batch.root);
        expect((await store.batchEntries(status.batch.sequence)).map((e) => e.digest)).to.deep.equal([captureID]);
      });

      it("serves a receipt that the core's proof functions check against the chain's commitment", async () => {
        const events = [
          objectEvent([`${engine.name}R1`]),
          objectEvent([`${engine.name}R2`], "2026-11-01T11:00:00.000Z"),
        ];
        const doc = epcisDocument(events);
        const res = await capture(doc);
        const { captureID } = await res.json();
        const eventHash = eventHashBytes(events[1]);
        const pending = await receiptOf(eventHash);
        expect([200, 202]).to.include(pending.status);
        await committed(captureID);

        const receipt = await (await receiptOf(eventHash)).json();
        expect(receipt.status).to.equal("committed");
        expect(receipt.event).to.deep.equal(events[1]);
        const c = receipt.capture;
        const typed = { ...c, issuedAt: BigInt(c.issuedAt) };
        const leaf0 = disclosedEventLeafHash(eventParts(events[1], eventHash, receipt.salt, 1), saltHash(receipt.salt));
        expect(verifyProof(c.eventsRoot, leaf0, receipt.eventProof)).to.equal(true);
        expect(await verifyCaptureSignature(domain(), typed, receipt.signature)).to.equal(true);
        expect(captureDigest(domain(), typed)).to.equal(captureID);
        const leaf = commitmentLeafHash("capture", captureID);
        expect(verifyProof(receipt.commitment.root, leaf, receipt.captureProof)).to.equal(true);
        const onChain = await ledger.commitmentLog.read.commitment([RELAYER_ID, BigInt(receipt.commitment.sequence)]);
        expect(onChain.root).to.equal(receipt.commitment.root);
        expect(Number(onChain.blockNumber)).to.equal(receipt.commitment.block);
        const tx = await ledger.publicClient.getTransactionReceipt({ hash: receipt.commitment.transaction });
        expect(Number(tx.blockNumber)).to.equal(receipt.commitment.block);

        const unknown = await receiptOf(`0x${"00".repeat(32)}`);
        expect(unknown.status).to.equal(404);
      });

      it("serves a receipt only to a key of its submitter, never unsigned or to another participant", async () => {
        const events = [objectEvent([`${engine.name}RA`])];
        const { captureID } = await (await capture(epcisDocument(events))).json();
        await committed(captureID);
        const eventHash = eventHashBytes(events[0]);
        const unsigned = await receiptOf(eventHash, null);
        expect(unsigned.status).to.equal(401);
        expect(JSON.stringify(await unsigned.json())).to.not.include(`${engine.name}RA`);
        const other = await receiptOf(eventHash, KEYS.pharmacy);
        expect(other.status).to.equal(403);
        expect(JSON.stringify(await other.json())).to.not.include(`${engine.name}RA`);
        expect((await receiptOf(eventHash, KEYS.custodian)).status).to.equal(200);
        // a signature over another path is no signature for this one
        const headers = await signedReadHeaders({
          account: privateKeyToAccount(KEYS.custodian),
          service: "trackroot-relayer",
          path: `/receipts/0x${"11".repeat(32)}`,
        });
        expect((await fetch(`${base}/receipts/${eventHash}`, { headers })).status).to.equal(401);
      });

      it("keeps the valid events under GS1-Capture-Error-Behaviour: proceed and says which were left out", async () => {
        const good = objectEvent([`${engine.name}P1`]);
        const bad = { ...objectEvent([`${engine.name}P2`]), epcList: ["not-an-identifier"] };
        const doc = epcisDocument([good, bad]);
        const headers = envelopeHeaders(await signCapture(doc, KEYS.custodian, domain()));
        const refused = await post("/capture", doc, headers);
        expect(refused.status).to.equal(400);
        expect((await refused.json()).errors.map((e: { pointer: string }) => e.pointer)).to.include(
          "/epcisBody/eventList/1/epcList/0",
        );
        const res = await post("/capture", doc, { ...headers, "GS1-Capture-Error-Behaviour": "proceed" });
        expect(res.status).to.equal(202);
        const { captureID, rejectedEvents } = await res.json();
        expect(rejectedEvents[0].eventIndex).to.equal(1);
        // the status tells anyone how many were left out; why (quoting them) only a signed read of the submitter
        const open = await (await fetch(`${base}/capture/${captureID}`)).json();
        expect(open).to.include({ rejectedEventCount: 1 });
        expect(open).to.not.have.property("rejectedEvents");
        const read = (key: Hex) =>
          signedReadHeaders({
            account: privateKeyToAccount(key),
            service: "trackroot-relayer",
            path: `/capture/${captureID}`,
          });
        const status = await (
          await fetch(`${base}/capture/${captureID}`, { headers: await read(KEYS.custodian) })
        ).json();
        expect(status.rejectedEvents.map((e: { pointer: string }) => e.pointer)).to.include(
          "/epcisBody/eventList/1/epcList/0",
        );
        expect((await fetch(`${base}/capture/${captureID}`, { headers: await read(KEYS.pharmacy) })).status).to.equal(
          403,
        );
        await committed(captureID);
        expect((await receiptOf(eventHashBytes(good))).status).to.equal(200);
        expect((await receiptOf(eventHashBytes(bad))).status).to.equal(404);
      });

      it("commits a handover signed by both parties and proves its items and its inclusion", async () => {
        const items = [unit(`${engine.name}H1`), "https://id.gs1.org/00/106141412345678908"];
        const body = await signHandover(items, KEYS.custodian, KEYS.pharmacy, domain());
        const res = await post("/handovers", body);
        expect(res.status, JSON.stringify(await res.clone().json())).to.equal(202);
        const { captureID } = await res.json();
        const typed = {
          ...body.handover,
          eventTime: BigInt(body.handover.eventTime),
          deadline: BigInt(body.handover.deadline),
        } as Parameters<typeof handoverDigest>[1];
        expect(captureID).to.equal(handoverDigest(domain(), typed));
        expect((await (await post("/handovers", body)).json()).duplicate).to.equal(true);
        await committed(captureID);

        // either party of the handover may read it (here the receiver), and an auditor; no one else
        const receipt = await (await receiptOf(captureID, KEYS.pharmacy)).json();
        expect(receipt.kind).to.equal("handover");
        expect((await receiptOf(captureID, KEYS.auditor)).status).to.equal(200);
        expect((await receiptOf(captureID, KEYS.relayer)).status).to.equal(403);
        items.forEach((item, i) =>
          expect(
            verifyProof(body.handover.itemsRoot, itemLeafHash(item, itemSalt(body.salt, i)), receipt.itemProofs[i]),
          ).to.equal(true),
        );
        const leaf = commitmentLeafHash("handover", captureID);
        expect(verifyProof(receipt.commitment.root, leaf, receipt.proof)).to.equal(true);
        const check = await ledger.commitmentLog.read.verifyHandover([
          typed,
          body.senderSignature,
          body.receiverSignature,
          RELAYER_ID,
          BigInt(receipt.commitment.sequence),
          receipt.proof,
        ]);
        expect(check).to.equal(0); // HandoverCheck.Valid, by the contract itself
      });

      const now = () => Math.floor(Date.now() / 1000);
      const refusals: {
        name: string;
        send: () => Promise<Response>;
        status: number;
        detail: RegExp;
        /** submissions the case's setup has accepted on purpose */
        setupStores?: number;
      }[] = [
        { name: "malformed JSON", send: () => post("/capture", "{not json"), status: 400, detail: /submitter/ },
        {
          name: "malformed JSON under a valid signature",
          send: async () => {
            const doc = epcisDocument([objectEvent(["J1"])]);
            return post("/capture", "{not json", envelopeHeaders(await signCapture(doc, KEYS.custodian, domain())));
          },
          status: 400,
          detail: /body: is not JSON/,
        },
        {
          name: "a signed capture whose quantity is 1e400 (no 64-bit float carries it)",
          send: async () => {
            const doc = epcisDocument([
              {
                ...objectEvent([]),
                epcList: [],
                quantityList: [{ epcClass: "urn:epc:idpat:sgtin:0614141.107346.*", quantity: 7 }],
              },
            ]);
            const text = JSON.stringify(doc).replace('"quantity":7', '"quantity":1e400');
            return post("/capture", text, envelopeHeaders(await signCapture(doc, KEYS.custodian, domain())));
          },
          status: 400,
          detail:
            /^\/epcisBody\/eventList\/0\/quantityList\/0\/quantity: is a number a 64-bit float does not carry exactly/,
        },
        {
          name: "a signed capture naming one member twice",
          send: async () => {
            const doc = epcisDocument([objectEvent(["J2"])]);
            const text = JSON.stringify(doc).replace('"action":"OBSERVE"', '"action":"OBSERVE","action":"DELETE"');
            return post("/capture", text, envelopeHeaders(await signCapture(doc, KEYS.custodian, domain())));
          },
          status: 400,
          detail: /\/action: is given twice in one object/,
        },
        {
          name: "a signed capture nested 10,000 deep",
          send: async () => {
            const doc = epcisDocument([objectEvent(["J3"])]);
            const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
            const text = JSON.stringify({ ...doc, "ext:deep": "X" }).replace('"X"', deep);
            return post("/capture", text, envelopeHeaders(await signCapture(doc, KEYS.custodian, domain())));
          },
          status: 400,
          detail: /nests deeper than 64 levels/,
        },
        {
          name: "a handover nested 10,000 deep",
          send: () => post("/handovers", `${"[".repeat(10_000)}${"]".repeat(10_000)}`),
          status: 400,
          detail: /nests deeper than 4 levels/,
        },
        {
          name: "a signed event count over the limit (refused before the body is read)",
          send: async () => {
            const doc = epcisDocument([objectEvent(["J4"])]);
            const headers = envelopeHeaders(await signCapture(doc, KEYS.custodian, domain()));
            return post("/capture", doc, { ...headers, "Trackroot-Event-Count": "1001" });
          },
          status: 400,
          detail: /eventCount: a capture holds at most 1000 events/,
        },
        {
          name: "a signature in high-s form (the malleable twin of a valid one)",
          send: async () => {
            const doc = epcisDocument([objectEvent(["J5"])]);
            const headers = envelopeHeaders(await signCapture(doc, KEYS.custodian, domain()));
            return post("/capture", doc, { ...headers, "Trackroot-Signature": highS(headers["Trackroot-Signature"]) });
          },
          status: 401,
          detail: /low-s/,
        },
        {
          name: "a nonce reused in another hex case",
          send: async () => {
            const first = epcisDocument([objectEvent(["J6"])]);
            const headers = envelopeHeaders(
              await signCapture(first, KEYS.custodian, domain(), { nonce: `case-${engine.name}` }),
            );
            const upper = `0x${headers["Trackroot-Nonce"].slice(2).toUpperCase()}`;
            expect((await post("/capture", first, { ...headers, "Trackroot-Nonce": upper })).status).to.equal(202);
            return capture(epcisDocument([objectEvent(["J7"])]), KEYS.custodian, { nonce: `case-${engine.name}` });
          },
          status: 409,
          detail: /nonce: .* already used/,
          setupStores: 1,
        },
        {
          name: "an oversized body",
          send: () => capture(epcisDocument([objectEvent(Array.from({ length: 2000 }, (_, i) => `S${i}`))])),
          status: 413,
          detail: /too large/i,
        },
        {
          name: "a capture without a signature",
          send: () => post("/capture", epcisDocument([objectEvent(["U1"])])),
          status: 400,
          detail: /submitter: must be a 0x-prefixed 20-byte address/,
        },
        {
          name: "a schema-invalid event",
          send: () => capture(epcisDocument([{ ...objectEvent(["U2"]), action: "JUMP" }])),
          status: 400,
          detail: /\/epcisBody\/eventList\/0\/action/,
        },
        {
          name: "an eventID that does not match its hash",
          send: () => capture(epcisDocument([{ ...objectEvent(["U3"]), eventID: toNiUri(`0x${"ab".repeat(32)}`) }])),
          status: 400,
          detail: /eventID/,
        },
        {
          name: "a signature by another key than the named submitter",
          send: async () => {
            const doc = epcisDocument([objectEvent(["U4"])]);
            const envelope = await signCapture(doc, KEYS.pharmacy, domain());
            const claimed = privateKeyToAccount(KEYS.custodian).address;
            return post("/capture", doc, envelopeHeaders({ ...envelope, submitter: claimed }));
          },
          status: 401,
          detail: /signature: not 0x7099/,
        },
        {
          name: "an expired signature",
          send: () => capture(epcisDocument([objectEvent(["U5"])]), KEYS.custodian, { issuedAt: now() - 7200 }),
          status: 401,
          detail: /expired/,
        },
        {
          name: "a replayed nonce over another document",
          send: async () => {
            const first = epcisDocument([objectEvent(["U6"])]);
            expect((await capture(first, KEYS.custodian, { nonce: `replay-${engine.name}` })).status).to.equal(202);
            return capture(epcisDocument([objectEvent(["U7"])]), KEYS.custodian, { nonce: `replay-${engine.name}` });
          },
          status: 409,
          detail: /nonce: .* already used/,
          setupStores: 1,
        },
        {
          name: "a revoked key",
          send: () => capture(epcisDocument([objectEvent(["U8"])]), KEYS.revoked),
          status: 401,
          detail: /revoked/,
        },
        {
          name: "an unknown key",
          send: () => capture(epcisDocument([objectEvent(["U9"])]), KEYS.stranger),
          status: 401,
          detail: /not a registered key/,
        },
        {
          name: "a capture signed by the auditor's key (auditors record nothing)",
          send: () => capture(epcisDocument([objectEvent(["U9A"])]), KEYS.auditor),
          status: 403,
          detail: /\(auditor\); relayer and auditor keys record nothing/,
        },
        {
          name: "a capture signed by the relayer's own key",
          send: () => capture(epcisDocument([objectEvent(["U9B"])]), KEYS.relayer),
          status: 403,
          detail: /\(relayer\); relayer and auditor keys record nothing/,
        },
        {
          name: "a signature for another chain id",
          send: async () => {
            const doc = epcisDocument([objectEvent(["U10"])]);
            return post(
              "/capture",
              doc,
              envelopeHeaders(await signCapture(doc, KEYS.custodian, { ...domain(), chainId: 1 })),
            );
          },
          status: 401,
          detail: /on chain 31337/,
        },
        {
          name: "a signature for another contract",
          send: async () => {
            const doc = epcisDocument([objectEvent(["U11"])]);
            const other = {
              ...domain(),
              verifyingContract: chain.deployment.contracts.SerialRegistry.address as Address,
            };
            return post("/capture", doc, envelopeHeaders(await signCapture(doc, KEYS.custodian, other)));
          },
          status: 401,
          detail: /signature: not/,
        },
        {
          name: "a handover signed by the sender only",
          send: async () => {
            const body = await signHandover([unit("U12")], KEYS.custodian, KEYS.pharmacy, domain());
            return post("/handovers", { ...body, receiverSignature: undefined });
          },
          status: 400,
          detail: /\/receiverSignature: Required/,
        },
        {
          name: "a handover whose receiver signature is the sender's",
          send: async () => {
            const body = await signHandover([unit("U13")], KEYS.custodian, KEYS.pharmacy, domain());
            return post("/handovers", { ...body, receiverSignature: body.senderSignature });
          },
          status: 401,
          detail: /receiverSignature/,
        },
        {
          name: "a handover past its deadline",
          send: async () =>
            post(
              "/handovers",
              await signHandover([unit("U14")], KEYS.custodian, KEYS.pharmacy, domain(), { deadline: now() - 1 }),
            ),
          status: 400,
          detail: /deadline: passed/,
        },
        {
          name: "a submitter over its rate",
          send: async () => {
            const big = (tag: string) =>
              epcisDocument(Array.from({ length: 60 }, (_, i) => objectEvent([`${engine.name}${tag}${i}`])));
            expect((await capture(big("RA"), KEYS.pharmacy)).status).to.equal(202);
            return capture(big("RB"), KEYS.pharmacy);
          },
          status: 429,
          detail: /over its rate/,
          setupStores: 1,
        },
      ];
      const entryCount = async () =>
        Number(
          (
            await store.db
              .selectFrom("entries")
              .select((eb) => eb.fn.countAll<string>().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      for (const r of refusals) {
        it(`answers ${r.name} with a ${r.status} problem and stores nothing`, async () => {
          const before = await entryCount();
          const res = await r.send();
          expect(res.status).to.equal(r.status);
          expect(res.headers.get("content-type")).to.match(/application\/problem\+json/);
          expect((await res.json()).detail).to.match(r.detail);
          if (r.status === 429) expect(Number(res.headers.get("retry-after"))).to.be.greaterThan(0);
          // a refusal whose setup had a first submission accepted stores exactly that one
          expect(await entryCount()).to.equal(before + (r.setupStores ?? 0));
        });
      }

      it("answers a path with malformed percent-encoding with a 400 problem, not a 500", async () => {
        for (const path of ["/capture/%E0%A4%A", "/receipts/%ZZ", "/handovers/%"]) {
          const res = await fetch(`${base}${path}`);
          expect(res.status, path).to.equal(400);
          expect(res.headers.get("content-type")).to.match(/application\/problem\+json/);
        }
      });

      it("describes its API in an OpenAPI 3.1 document whose handover schema accepts a signed handover", async () => {
        const doc = await (await fetch(`${base}/openapi.json`)).json();
        expect(doc.openapi).to.equal("3.1.0");
        expect(Object.keys(doc.paths)).to.include.members([
          "/capture",
          "/handovers",
          "/capture/{id}",
          "/receipts/{hash}",
          "/handovers/proposals",
          "/handovers/proposals/{id}",
          "/handovers/proposals/{id}/accept",
          "/handovers/proposals/{id}/reject",
          "/handovers/proposals/{id}/withdraw",
          "/health",
          "/metrics",
        ]);
        const validate = new Ajv2020({ strict: false }).compile(doc.components.schemas.HandoverRequest);
        const body = await signHandover([unit("OA1")], KEYS.custodian, KEYS.pharmacy, domain());
        expect(validate(body), JSON.stringify(validate.errors)).to.equal(true);
        expect(validate({ ...body, senderSignature: "0x12" })).to.equal(false);
      });

      it("reports health and Prometheus metrics of what it accepted, refused and committed", async () => {
        const health = await fetch(`${base}/health`);
        expect(health.status).to.equal(200);
        expect((await health.json()).checks.chain.status).to.equal("ok");
        // not public: without the operator's token there is nothing to read
        expect((await fetch(`${base}/metrics`)).status).to.equal(401);
        expect(
          (await fetch(`${base}/metrics`, { headers: { Authorization: "Bearer someone-elses-token" } })).status,
        ).to.equal(401);
        const text = await (
          await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
        ).text();
        const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
        expect(value(/^trackroot_relayer_entries_accepted_total\{kind="capture"\} (\d+)/m)).to.be.greaterThan(2);
        expect(value(/^trackroot_relayer_entries_accepted_total\{kind="handover"\} (\d+)/m)).to.be.at.least(1);
        expect(value(/^trackroot_relayer_duplicates_total (\d+)/m)).to.be.at.least(50);
        expect(
          value(/^trackroot_relayer_entries_rejected_total\{route="POST \/capture",status="401"\} (\d+)/m),
        ).to.be.at.least(4);
        expect(value(/^trackroot_relayer_batch_events_count (\d+)/m)).to.be.at.least(1);
        expect(value(/^trackroot_relayer_commit_latency_seconds_count (\d+)/m)).to.be.at.least(1);
        expect(text).to.match(/^trackroot_relayer_queue_depth_events \d+/m);
      });
    });
  }
});
