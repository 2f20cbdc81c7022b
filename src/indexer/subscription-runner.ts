import { randomBytes } from "node:crypto";
import { parseEventQuery, type QueryParams } from "../core/epcis/event-query";
import { readQuerySchedule, scheduleFiredBetween } from "../core/epcis/query-schedule";
import type { IndexerStore } from "./indexer-store";
import type { QueryStore, SubscriptionRow } from "./query-store";
import { readScopeOf } from "./read-scope";
import { MAX_SCANNED_EVENTS, runStandardQuery } from "./standard-query";
import { postOnce, webhookSignature } from "./webhooks";
import { EPCIS_CONTEXT } from "../core/epcis/epcis-context-url";

export interface SubscriptionRunnerOptions {
  store: IndexerStore;
  queries: QueryStore;
  /** give up on a report after this many attempts */
  maxAttempts: number;
  /** the first retry's delay; each later one doubles it */
  backoffMs: number;
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => number;
  log?: (event: string, detail: Record<string, unknown>) => void;
}

/**
 * Runs the EPCIS query subscriptions: a stream reports each new matching event (new to it: every
 * event is reported once), a schedule reports what is new when it fires (and, with reportIfEmpty,
 * that nothing is). Each report is stored with the events it carries marked seen before it is sent,
 * then posted signed (GS1-Signature, HMAC-SHA256 keyed with the subscriber's signatureToken) and
 * retried with backoff: a restart resumes, never forgets or floods. A report is the owner's query
 * answered with the owner's read scope at the time, as GET /queries/{name}/events would answer it.
 */
export class SubscriptionRunner {
  constructor(private readonly options: SubscriptionRunnerOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Looks at every subscription once; returns how many reports it made. */
  async run(): Promise<number> {
    const { queries } = this.options;
    let made = 0;
    for (const sub of await queries.subscriptions()) {
      try {
        if (await this.runOne(sub)) made++;
      } catch (e) {
        this.options.log?.("subscription.error", { subscription: sub.id, error: (e as Error).message });
      }
    }
    return made;
  }

  private async runOne(sub: SubscriptionRow): Promise<boolean> {
    const { queries, store } = this.options;
    const second = Math.floor(this.now() / 1000);
    const scheduled = !sub.stream;
    if (scheduled) {
      // the loop looks every poll interval: a schedule that fired since the last run is due
      const after = sub.last_run_at || Math.floor(Date.parse(sub.created_at) / 1000);
      if (after >= second) return false;
      if (!scheduleFiredBetween(readQuerySchedule(JSON.parse(sub.schedule)), after, second)) return false;
    }
    const named = await queries.query(sub.query_name);
    if (!named) return false;
    const params = JSON.parse(named.params) as QueryParams;
    const q = parseEventQuery({ ...params, perPage: String(MAX_SCANNED_EVENTS) }, { maxPerPage: MAX_SCANNED_EVENTS });
    const page = await runStandardQuery(store, q, await readScopeOf(store.db, sub.owner), `subscription ${sub.id}`);
    const seen = await queries.seen(sub.id);
    const since = sub.initial_record_time ? Date.parse(sub.initial_record_time) : Number.NaN;
    const fresh = page.events
      .map((e, i) => ({ e, key: page.keys[i] }))
      .filter(({ e, key }) => {
        if (seen.has(key)) return false;
        if (Number.isNaN(since)) return true;
        const recorded = Date.parse(String(e.recordTime ?? e.eventTime));
        return Number.isNaN(recorded) || recorded >= since;
      });
    if (fresh.length === 0 && !(scheduled && sub.report_if_empty)) {
      if (scheduled) await queries.markRun(sub.id, second);
      return false;
    }
    const body = JSON.stringify({
      "@context": [EPCIS_CONTEXT],
      type: "EPCISQueryDocument",
      schemaVersion: "2.0",
      creationDate: new Date(this.now()).toISOString(),
      epcisBody: {
        queryResults: {
          queryName: sub.query_name,
          subscriptionID: sub.id,
          resultsBody: { eventList: fresh.map((f) => f.e) },
        },
      },
    });
    await queries.addReport(
      {
        id: randomBytes(12).toString("hex"),
        subscription_id: sub.id,
        body,
        status: "pending",
        attempts: 0,
        next_attempt_at: this.now(),
        last_error: "",
        created_at: this.now(),
      },
      fresh.map((f) => f.key),
      scheduled ? second : undefined,
    );
    return true;
  }

  /** Sends the reports that are due; returns how many were delivered. */
  async deliverDue(limit = 100): Promise<number> {
    const { queries } = this.options;
    let delivered = 0;
    for (const d of await queries.dueDeliveries(this.now(), limit)) {
      const sub = await queries.subscription(d.subscription_id);
      if (!sub) continue;
      const error = await this.post(sub, d.body);
      const attempts = d.attempts + 1;
      await queries.updateDelivery(
        d.id,
        error
          ? {
              attempts,
              last_error: error,
              status: attempts >= this.options.maxAttempts ? "failed" : "pending",
              next_attempt_at: this.now() + this.options.backoffMs * 2 ** (attempts - 1),
            }
          : { attempts, last_error: "", status: "delivered" },
        error ? undefined : { subscription: sub.id, at: new Date(this.now()).toISOString() },
      );
      this.options.log?.(error ? "subscription.failed" : "subscription.delivered", {
        subscription: sub.id,
        attempts,
        error,
      });
      if (!error) delivered++;
    }
    return delivered;
  }

  /** Posts once, signed with the subscriber's token; why it failed, or undefined on a 2xx. */
  private post(sub: SubscriptionRow, body: string): Promise<string | undefined> {
    const timestamp = Math.floor(this.now() / 1000);
    return postOnce(sub.dest, body, {
      headers: {
        "Content-Type": "application/ld+json",
        "GS1-EPCIS-Version": "2.0.0",
        "GS1-CBV-Version": "2.0.0",
        "GS1-Signature": webhookSignature(sub.signature_token, timestamp, body),
      },
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
    });
  }
}
