import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "../../src/core/errors";
import { subscriptionDest } from "../../src/indexer/http/named-query-routes";
import { IndexerStore } from "../../src/indexer/indexer-store";
import { QueryStore, type SubscriptionRow } from "../../src/indexer/query-store";
import { GOVERNANCE } from "../../src/indexer/read-scope";
import { SubscriptionRunner } from "../../src/indexer/subscription-runner";
import { webhookSignature } from "../../src/indexer/webhooks";
import { openDatabase } from "../../src/store/database";
import type { IndexerTables } from "../../src/store/indexer-schema";
import { objectEvent } from "../support/captures";

const TOKEN = "subscriber-token-0123456789";

/** A fake subscriber: answers with the statuses given, in turn (then 200), and keeps what it got. */
function subscriber(statuses: number[] = []) {
  const got: { body: string; signature: string }[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    const status = statuses.shift() ?? 200;
    if (status === 200)
      got.push({
        body: String(init.body),
        signature: String((init.headers as Record<string, string>)["GS1-Signature"]),
      });
    return new Response(null, { status });
  }) as typeof globalThis.fetch;
  return { got, fetch };
}

describe("indexer: EPCIS query subscriptions", () => {
  let path: string;
  let serial = 0;
  const open = async () => {
    const { db, engine } = openDatabase<IndexerTables>({ sqlitePath: path });
    const store = await IndexerStore.open(db, engine);
    return { store, queries: new QueryStore(store), close: () => db.destroy() };
  };
  const addEvent = async (store: IndexerStore, bizStep: string) => {
    const event: { [k: string]: unknown } = { ...objectEvent([`S${++serial}`]), bizStep };
    await store.db
      .insertInto("capture_events")
      .values({
        digest: `0x${String(serial).padStart(64, "0")}`,
        position: 0,
        event_hash: `0x${String(serial).padStart(64, "1")}`,
        event_type: "ObjectEvent",
        event_time: String(event.eventTime),
        time_ms: Date.parse(String(event.eventTime)),
        biz_step: bizStep,
        disposition: "in_transit",
        read_point: "",
        action: "OBSERVE",
        event: JSON.stringify(event),
        block_number: serial,
      })
      .execute();
  };
  const subscription = (fields: Partial<SubscriptionRow>): SubscriptionRow => ({
    id: `sub-${++serial}`,
    query_name: "shipped",
    owner: GOVERNANCE,
    dest: "http://subscriber.test/callback",
    signature_token: TOKEN,
    stream: 1,
    schedule: "{}",
    report_if_empty: 0,
    initial_record_time: "",
    created_at: new Date(0).toISOString(),
    last_run_at: 0,
    last_notified_at: "",
    ...fields,
  });

  beforeEach(async () => {
    path = join(mkdtempSync(join(tmpdir(), "trackroot-subscriptions-")), "indexer.sqlite");
    const { queries, close } = await open();
    await queries.addQuery({
      name: "shipped",
      owner: GOVERNANCE,
      params: JSON.stringify({ EQ_bizStep: "shipping" }),
      created_at: "",
    });
    await close();
  });

  it("reports each matching event once, and a report made before a restart is still delivered after it", async () => {
    const first = await open();
    await addEvent(first.store, "shipping");
    await addEvent(first.store, "receiving");
    await first.queries.addSubscription(subscription({}));
    const down = subscriber([503]);
    const runner = new SubscriptionRunner({
      store: first.store,
      queries: first.queries,
      maxAttempts: 5,
      backoffMs: 0,
      timeoutMs: 1000,
      fetch: down.fetch,
    });
    expect(await runner.run()).to.equal(1);
    expect(await runner.deliverDue()).to.equal(0);
    expect(await runner.run(), "nothing new: no second report").to.equal(0);
    await first.close();

    // the process restarts: the stored report goes out, nothing is reported twice
    const second = await open();
    const up = subscriber();
    const again = new SubscriptionRunner({
      store: second.store,
      queries: second.queries,
      maxAttempts: 5,
      backoffMs: 0,
      timeoutMs: 1000,
      fetch: up.fetch,
    });
    expect(await again.run()).to.equal(0);
    expect(await again.deliverDue()).to.equal(1);
    expect(up.got).to.have.length(1);
    const t = Number(/t=(\d+)/.exec(up.got[0].signature)?.[1]);
    expect(up.got[0].signature).to.equal(webhookSignature(TOKEN, t, up.got[0].body));
    const events = JSON.parse(up.got[0].body).epcisBody.queryResults.resultsBody.eventList as { bizStep: string }[];
    expect(events.map((e) => e.bizStep)).to.deep.equal(["shipping"]);
    await addEvent(second.store, "shipping");
    expect(await again.run()).to.equal(1);
    expect(await again.deliverDue()).to.equal(1);
    expect(JSON.parse(up.got[1].body).epcisBody.queryResults.resultsBody.eventList).to.have.length(1);
    await second.close();
  });

  it("runs a schedule when it fires, reporting an empty result only when asked to", async () => {
    const { store, queries, close } = await open();
    let now = Date.parse("2026-12-01T01:04:59Z");
    await queries.addSubscription(
      subscription({
        id: "empty-ok",
        stream: 0,
        schedule: JSON.stringify({ minute: "5" }),
        report_if_empty: 1,
        created_at: new Date(now).toISOString(),
      }),
    );
    await queries.addSubscription(
      subscription({
        id: "quiet",
        stream: 0,
        schedule: JSON.stringify({ minute: "5" }),
        created_at: new Date(now).toISOString(),
      }),
    );
    const sink = subscriber();
    const runner = new SubscriptionRunner({
      store,
      queries,
      maxAttempts: 3,
      backoffMs: 0,
      timeoutMs: 1000,
      fetch: sink.fetch,
      now: () => now,
    });
    expect(await runner.run(), "not yet time").to.equal(0);
    now = Date.parse("2026-12-01T01:05:02Z");
    expect(await runner.run(), "fired: the one that reports an empty result").to.equal(1);
    expect(await runner.run(), "once per firing").to.equal(0);
    await runner.deliverDue();
    expect(JSON.parse(sink.got[0].body).epcisBody.queryResults).to.deep.include({ subscriptionID: "empty-ok" });
    await addEvent(store, "shipping");
    now = Date.parse("2026-12-01T02:05:01Z");
    expect(await runner.run(), "both report the new event").to.equal(2);
    await close();
  });

  it("gives up on a subscriber after the last attempt, keeping why", async () => {
    const { store, queries, close } = await open();
    await addEvent(store, "shipping");
    await queries.addSubscription(subscription({ id: "gone" }));
    const dead = subscriber([500, 500]);
    const runner = new SubscriptionRunner({
      store,
      queries,
      maxAttempts: 2,
      backoffMs: 0,
      timeoutMs: 1000,
      fetch: dead.fetch,
    });
    await runner.run();
    await runner.deliverDue();
    await runner.deliverDue();
    const [d] = await store.db.selectFrom("subscription_deliveries").selectAll().execute();
    expect(d).to.include({ status: "failed", attempts: 2, last_error: "HTTP 500" });
    await close();
  });
});

describe("indexer: a subscription's callback", () => {
  it("is an http(s) URL without credentials, within the configured origins when there are any", () => {
    const allowed = ["https://hooks.example.com"];
    const cases: [unknown, readonly string[], boolean][] = [
      ["https://hooks.example.com/epcis", allowed, true],
      ["https://hooks.example.com:8443/epcis", allowed, false],
      ["http://169.254.169.254/latest/meta-data", allowed, false],
      ["http://127.0.0.1:9000/cb", [], true],
      ["ftp://hooks.example.com/", [], false],
      ["https://user:pw@hooks.example.com/", [], false],
      ["not a url", [], false],
      [42, [], false],
    ];
    for (const [dest, origins, ok] of cases) {
      const call = () => subscriptionDest(dest, origins);
      if (ok) expect(call(), String(dest)).to.be.a("string");
      else expect(call, String(dest)).to.throw(ValidationError).with.property("field", "dest");
    }
  });
});
