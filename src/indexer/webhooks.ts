import { hmac } from "@noble/hashes/hmac";
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { rowChunks } from "../store/row-chunks";
import { anomalyJson, cloneAlertJson, enumerationAlertJson, suspectReportJson } from "./anomaly-json";
import type { IndexerStore } from "./indexer-store";

export interface WebhookOptions {
  store: IndexerStore;
  urls: readonly string[];
  /** the shared secret receivers check the HMAC with */
  secret: string;
  /** give up on a delivery after this many attempts */
  maxAttempts: number;
  /** the first retry's delay; each later one doubles it */
  backoffMs: number;
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => number;
  log?: (event: string, detail: Record<string, unknown>) => void;
}

/** The signature header a receiver checks: `t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  const mac = hmac(sha256, new TextEncoder().encode(secret), new TextEncoder().encode(`${timestamp}.${body}`));
  return `t=${timestamp},v1=${bytesToHex(mac)}`;
}

/**
 * Pushes every anomaly (from the ledger and from verification counts) to every configured
 * webhook: signed, delivered at least once, retried with exponential backoff. Each delivery's
 * state is stored, so a restart resumes rather than forgets or floods.
 */
export class WebhookDispatcher {
  constructor(private readonly options: WebhookOptions) {}

  /** Queues a delivery per webhook for each anomaly not yet queued. */
  async enqueue(): Promise<number> {
    const { store, urls } = this.options;
    const now = (this.options.now ?? Date.now)();
    let queued = 0;
    const ids = [
      ...(await store.db.selectFrom("anomalies").select("id").orderBy("ordinal").execute()),
      ...(await store.db.selectFrom("clone_alerts").select("id").orderBy("at").execute()),
      ...(await store.db.selectFrom("enumeration_alerts").select("id").orderBy("at").execute()),
      ...(await store.db.selectFrom("suspect_reports").select("id").orderBy("at").execute()),
    ].map((a) => a.id);
    for (const url of urls) {
      const known = new Set(
        (await store.db.selectFrom("webhook_deliveries").select("anomaly_id").where("url", "=", url).execute()).map(
          (d) => d.anomaly_id,
        ),
      );
      const fresh = ids.filter((id) => !known.has(id));
      const rows = fresh.map((id) => ({
        anomaly_id: id,
        url,
        status: "pending" as const,
        attempts: 0,
        next_attempt_at: now,
        last_error: "",
      }));
      for (const chunk of rowChunks(rows)) {
        await store.db
          .insertInto("webhook_deliveries")
          .values(chunk)
          .onConflict((oc) => oc.columns(["anomaly_id", "url"]).doNothing())
          .execute();
      }
      queued += fresh.length;
    }
    return queued;
  }

  /** Attempts the deliveries that are due; returns how many were delivered. */
  async deliverDue(limit = 100): Promise<number> {
    const { store } = this.options;
    const now = (this.options.now ?? Date.now)();
    const due = await store.db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", now)
      .orderBy("next_attempt_at")
      .limit(limit)
      .execute();
    let delivered = 0;
    for (const d of due) {
      const payload = await this.payload(d.anomaly_id);
      if (!payload) {
        // rolled back with a reorganisation before it went out
        await store.db
          .deleteFrom("webhook_deliveries")
          .where("anomaly_id", "=", d.anomaly_id)
          .where("url", "=", d.url)
          .execute();
        continue;
      }
      const body = JSON.stringify(payload);
      const error = await this.post(d.url, body, d.anomaly_id);
      const attempts = d.attempts + 1;
      const update = error
        ? {
            attempts,
            last_error: error,
            status: attempts >= this.options.maxAttempts ? ("failed" as const) : ("pending" as const),
            next_attempt_at: now + this.options.backoffMs * 2 ** (attempts - 1),
          }
        : { attempts, last_error: "", status: "delivered" as const };
      await store.db
        .updateTable("webhook_deliveries")
        .set(update)
        .where("anomaly_id", "=", d.anomaly_id)
        .where("url", "=", d.url)
        .execute();
      this.options.log?.(error ? "webhook.failed" : "webhook.delivered", {
        url: d.url,
        anomaly: d.anomaly_id,
        attempts,
        error,
      });
      if (!error) delivered++;
    }
    return delivered;
  }

  private async payload(id: string): Promise<Record<string, unknown> | undefined> {
    const a = await this.options.store.db.selectFrom("anomalies").selectAll().where("id", "=", id).executeTakeFirst();
    if (a) return { type: "trackroot.anomaly.v1", ...anomalyJson(a) };
    const c = await this.options.store.db
      .selectFrom("clone_alerts")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (c) return { type: "trackroot.anomaly.v1", ...cloneAlertJson(c) };
    const e = await this.options.store.db
      .selectFrom("enumeration_alerts")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (e) return { type: "trackroot.anomaly.v1", ...enumerationAlertJson(e) };
    const r = await this.options.store.db
      .selectFrom("suspect_reports")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return r ? { type: "trackroot.anomaly.v1", ...suspectReportJson(r) } : undefined;
  }

  /** Posts once; returns why it failed, or undefined on a 2xx. */
  private post(url: string, body: string, id: string): Promise<string | undefined> {
    const timestamp = Math.floor((this.options.now ?? Date.now)() / 1000);
    return postOnce(url, body, {
      headers: {
        "Content-Type": "application/json",
        "Trackroot-Webhook-Id": id,
        "Trackroot-Webhook-Signature": webhookSignature(this.options.secret, timestamp, body),
      },
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
    });
  }
}

/** One POST of a webhook body, redirects not followed; why it failed, or undefined on a 2xx. */
export async function postOnce(
  url: string,
  body: string,
  options: { headers: Record<string, string>; timeoutMs: number; fetch?: typeof fetch },
): Promise<string | undefined> {
  try {
    const res = await (options.fetch ?? fetch)(url, {
      method: "POST",
      headers: options.headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok ? undefined : `HTTP ${res.status}`;
  } catch (e) {
    return (e as Error).message;
  }
}
