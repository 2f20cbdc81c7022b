import type { Selectable } from "kysely";
import type { IndexerTables } from "../store/indexer-schema";
import type { IndexerStore } from "./indexer-store";

export type NamedQueryRow = Selectable<IndexerTables["epcis_queries"]>;
export type SubscriptionRow = Selectable<IndexerTables["epcis_subscriptions"]>;
export type DeliveryRow = Selectable<IndexerTables["subscription_deliveries"]>;

/** The indexer's named queries, their subscriptions and what each has reported. */
export class QueryStore {
  constructor(private readonly store: IndexerStore) {}

  private get db() {
    return this.store.db;
  }

  /** Adds a named query; false when the name is taken. */
  async addQuery(row: NamedQueryRow): Promise<boolean> {
    const done = await this.db
      .insertInto("epcis_queries")
      .values(row)
      .onConflict((oc) => oc.column("name").doNothing())
      .returning("name")
      .executeTakeFirst();
    return done !== undefined;
  }

  query(name: string): Promise<NamedQueryRow | undefined> {
    return this.db.selectFrom("epcis_queries").selectAll().where("name", "=", name).executeTakeFirst();
  }

  queries(owner: number): Promise<NamedQueryRow[]> {
    return this.db.selectFrom("epcis_queries").selectAll().where("owner", "=", owner).orderBy("name").execute();
  }

  /** Deletes a query with its subscriptions and their state, in one transaction. */
  async deleteQuery(name: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const subs = await tx.selectFrom("epcis_subscriptions").select("id").where("query_name", "=", name).execute();
      for (const { id } of subs) {
        await tx.deleteFrom("subscription_seen").where("subscription_id", "=", id).execute();
        await tx.deleteFrom("subscription_deliveries").where("subscription_id", "=", id).execute();
      }
      await tx.deleteFrom("epcis_subscriptions").where("query_name", "=", name).execute();
      await tx.deleteFrom("epcis_queries").where("name", "=", name).execute();
    });
  }

  async addSubscription(row: SubscriptionRow): Promise<void> {
    await this.db.insertInto("epcis_subscriptions").values(row).execute();
  }

  subscription(id: string): Promise<SubscriptionRow | undefined> {
    return this.db.selectFrom("epcis_subscriptions").selectAll().where("id", "=", id).executeTakeFirst();
  }

  subscriptions(queryName?: string): Promise<SubscriptionRow[]> {
    let q = this.db.selectFrom("epcis_subscriptions").selectAll().orderBy("created_at");
    if (queryName !== undefined) q = q.where("query_name", "=", queryName);
    return q.execute();
  }

  async deleteSubscription(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom("subscription_seen").where("subscription_id", "=", id).execute();
      await tx.deleteFrom("subscription_deliveries").where("subscription_id", "=", id).execute();
      await tx.deleteFrom("epcis_subscriptions").where("id", "=", id).execute();
    });
  }

  async seen(subscriptionId: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom("subscription_seen")
      .select("event_key")
      .where("subscription_id", "=", subscriptionId)
      .execute();
    return new Set(rows.map((r) => r.event_key));
  }

  /**
   * Records a report: its delivery (to be sent) and the events it carries as seen, together, so a
   * crash either reports them (once the delivery is retried) or never marked them.
   */
  async addReport(delivery: DeliveryRow, eventKeys: readonly string[], runAt?: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto("subscription_deliveries").values(delivery).execute();
      for (const key of eventKeys)
        await tx
          .insertInto("subscription_seen")
          .values({ subscription_id: delivery.subscription_id, event_key: key })
          .onConflict((oc) => oc.columns(["subscription_id", "event_key"]).doNothing())
          .execute();
      if (runAt !== undefined)
        await tx
          .updateTable("epcis_subscriptions")
          .set({ last_run_at: runAt })
          .where("id", "=", delivery.subscription_id)
          .execute();
    });
  }

  async markRun(id: string, runAt: number): Promise<void> {
    await this.db.updateTable("epcis_subscriptions").set({ last_run_at: runAt }).where("id", "=", id).execute();
  }

  dueDeliveries(now: number, limit: number): Promise<DeliveryRow[]> {
    return this.db
      .selectFrom("subscription_deliveries")
      .selectAll()
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", now)
      .orderBy("created_at")
      .limit(limit)
      .execute();
  }

  async updateDelivery(
    id: string,
    patch: Partial<Omit<DeliveryRow, "id">>,
    notifiedAt?: { subscription: string; at: string },
  ) {
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable("subscription_deliveries").set(patch).where("id", "=", id).execute();
      if (notifiedAt)
        await tx
          .updateTable("epcis_subscriptions")
          .set({ last_notified_at: notifiedAt.at })
          .where("id", "=", notifiedAt.subscription)
          .execute();
    });
  }
}
