import { expect } from "chai";
import fc from "fast-check";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { captureHeaders } from "../../src/client/sign-capture";
import { clientAddressOf } from "../../src/http/client-address";
import { RateLimiter } from "../../src/http/rate-limiter";
import { ReplayGuard } from "../../src/http/replay-guard";
import { BatchQueue } from "../../src/relayer/batch-queue";
import { relayerApp } from "../../src/relayer/http/app";
import { IntakeDesk } from "../../src/relayer/intake-desk";
import { HandoverMailbox } from "../../src/relayer/handover-mailbox";
import { ProposalStore } from "../../src/relayer/proposal-store";
import { RelayerMetrics } from "../../src/relayer/metrics";
import { RelayerStore } from "../../src/relayer/relayer-store";
import { openDatabase } from "../../src/store/database";
import type { RelayerTables } from "../../src/store/schema";
import { epcisDocument, objectEvent, signCapture } from "../support/captures";

const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const domain = { chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address };

/** Mutations of a request's text: what a careless or hostile client could send instead. */
const textMutation = fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.string({ unit: "binary", maxLength: 8 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    kind: fc.constant("value" as const),
    at: fc.nat(),
    text: fc.constantFrom(
      "1e400",
      "-0",
      "9007199254740993",
      `${"[".repeat(3000)}${"]".repeat(3000)}`,
      '{"a":1,"a":2}',
      '"\\ud800"',
      "null",
      "[]",
      "{}",
      '"%E0%A4%A"',
    ),
  }),
);
type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, m: TextMutation): string {
  const at = m.at % (text.length + 1);
  switch (m.kind) {
    case "truncate":
      return text.slice(0, at);
    case "insert":
      return text.slice(0, at) + m.text + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(at + m.length);
    case "value": {
      // replaces the value after a colon near `at`
      const colon = text.indexOf(":", at);
      if (colon < 0) return text + m.text;
      const end = text.slice(colon + 1).search(/[,}\]]/);
      return text.slice(0, colon + 1) + m.text + (end < 0 ? "" : text.slice(colon + 1 + end));
    }
  }
}

describe("relayer intake: properties over random requests", function () {
  this.timeout(120_000);
  let base: string;
  let close: () => Promise<void>;
  let bodyWork = 0;
  let valid: { text: string; headers: Record<string, string> };

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "trackroot-intake-props-"));
    const { db, engine } = openDatabase<RelayerTables>({ sqlitePath: join(dir, "relayer.sqlite") });
    const store = await RelayerStore.open(db, engine);
    const registry = {
      keyStanding: async (key: Address) =>
        key.toLowerCase() === privateKeyToAccount(KEY).address.toLowerCase()
          ? { participant: 1, kind: 2, active: true }
          : { participant: 0, kind: 0, active: false },
    };
    const desk = new IntakeDesk({
      domain,
      registry,
      maxAgeSeconds: 3600,
      maxSkewSeconds: 300,
      maxEvents: 1000,
      now: Date.now,
      store,
      queue: new BatchQueue({ maxEvents: 10_000, maxWaitMs: 60_000 }),
    });
    // counts every call that reads a capture's body: none may happen before authentication
    const accept = desk.acceptCapture.bind(desk);
    desk.acceptCapture = (...args) => {
      bodyWork++;
      return accept(...args);
    };
    const app = relayerApp({
      desk,
      mailbox: new HandoverMailbox({
        domain,
        registry,
        participants: { participantStanding: async () => null },
        proposals: new ProposalStore(store.db),
        desk,
        now: Date.now,
        maxSkewSeconds: 300,
        maxItems: 1000,
      }),
      store,
      metrics: new RelayerMetrics(),
      receipts: { store, registry, chainId: 31337, commitmentLog: domain.verifyingContract, relayer: 2 },
      readSkewSeconds: 300,
      health: [],
      bodyLimit: "1mb",
      clientAddress: clientAddressOf({ trustedProxies: [] }),
      authFailures: new RateLimiter({ ratePerSecond: 1e6, burst: 1e6 }),
      replays: new ReplayGuard({ maxEntries: 10_000, now: Date.now }),
      log: () => undefined,
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      await new Promise((r) => server.close(r));
      await store.close();
    };
    const doc = epcisDocument([objectEvent(["PROP1", "PROP2"]), objectEvent(["PROP3"], "2026-11-02T10:00:00.000Z")]);
    valid = { text: JSON.stringify(doc), headers: captureHeaders(await signCapture(doc, KEY, domain)) };
  });
  after(() => close?.());

  const post = (headers: Record<string, string>, body: string) =>
    fetch(`${base}/capture`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

  it("never reads the body of a capture whose envelope does not authenticate, whatever the body", async () => {
    const envelope = fc.record({
      header: fc.constantFrom(...Object.keys(valid.headers)),
      value: fc.oneof(fc.stringMatching(/^0x[0-9a-fA-F]{0,140}$/), fc.string({ maxLength: 80 })),
    });
    await fc.assert(
      fc.asyncProperty(envelope, fc.array(textMutation, { maxLength: 3 }), async (e, mutations) => {
        if (e.value === valid.headers[e.header]) return;
        const body = mutations.reduce(mutate, valid.text);
        const before = bodyWork;
        const res = await post({ ...valid.headers, [e.header]: e.value }, body);
        expect(res.status, `${e.header}: ${e.value}`).to.be.oneOf([400, 401, 403]);
        expect(bodyWork, "body read before authentication").to.equal(before);
      }),
      { numRuns: 150 },
    );
  });

  it("never answers 500 to a mutation of a valid signed capture, and bounds its answer", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(textMutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        const body = mutations.reduce(mutate, valid.text);
        const res = await post(valid.headers, body);
        const text = await res.text();
        expect(res.status, body.slice(0, 200)).to.be.oneOf([202, 400, 409, 413]);
        expect(text.length).to.be.lessThan(20_000);
      }),
      { numRuns: 200 },
    );
  });
});
