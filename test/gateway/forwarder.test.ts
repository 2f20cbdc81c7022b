import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import type { SignedCaptureEnvelope } from "../../src/client/sign-capture";
import { Forwarder } from "../../src/gateway/forwarder";
import { OutboxStore, type OutboxRow } from "../../src/gateway/outbox-store";
import { openDatabase } from "../../src/store/database";
import type { GatewayTables } from "../../src/store/schema";
import { epcisDocument, objectEvent } from "../support/captures";

const KEY = `0x${"ab".repeat(32)}` as const;
const DOMAIN = { chainId: 31337, verifyingContract: `0x${"11".repeat(20)}` as const };

function row(i: number): OutboxRow {
  return {
    id: `job-${i}`,
    client: "wms",
    document: JSON.stringify(epcisDocument([objectEvent([`F${i}`])])),
    behaviour: "rollback",
    status: "pending",
    envelope: null,
    digest: null,
    sent_to: "[]",
    relayer_index: 0,
    attempts: 0,
    next_attempt_at: 0,
    forwarded_at: null,
    errors: "[]",
    receipt: null,
    created_at: new Date(0).toISOString(),
    finished_at: null,
  };
}

/** A relayer that takes its time over each capture, as a loaded one does, and records what it got. */
function slowRelayer() {
  const received: string[] = [];
  let atOnce = 0;
  let most = 0;
  return {
    received,
    most: () => most,
    client: {
      async captureText(text: string, envelope: SignedCaptureEnvelope) {
        most = Math.max(most, ++atOnce);
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
        atOnce--;
        received.push(JSON.parse(text).epcisBody.eventList[0].epcList[0] + " " + envelope.nonce);
        return { captureID: envelope.nonce, duplicate: false };
      },
      async status() {
        return { status: "queued" } as never;
      },
    },
  };
}

describe("gateway: the forwarder", () => {
  it("sends each capture once, signed once, however the store's reads overlap the captures in flight", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trackroot-forwarder-"));
    const { db, engine } = openDatabase<GatewayTables>({ sqlitePath: join(dir, "outbox.sqlite") });
    const store = await OutboxStore.open(db, engine);
    await store.insert(Array.from({ length: 60 }, (_, i) => row(i)));
    const relayer = slowRelayer();
    const forwarder = new Forwarder({
      store,
      relayers: [{ url: "http://relayer.test", client: relayer.client }],
      signer: privateKeyToAccount(KEY),
      domain: DOMAIN,
      failoverMs: 60_000,
      pollMs: 10,
      concurrency: 3,
      maxAgeSeconds: 600,
      log: () => undefined,
    });
    try {
      // the store's small reads (3 x 8 rows) end mid-way through the captures in flight
      expect(await forwarder.tick()).to.equal(60);
    } finally {
      await db.destroy();
    }
    const serials = relayer.received.map((r) => r.split(" ")[0]);
    expect(new Set(serials).size).to.equal(60);
    expect(serials).to.have.length(60);
    expect(relayer.most()).to.be.at.most(3);
    expect(relayer.most()).to.equal(3);
  });
});
