import type { Kysely, Selectable } from "kysely";
import type { Engine } from "../store/database";
import { migrateGateway } from "../store/gateway-migrations";
import type { GatewayTables } from "../store/schema";

export type OutboxRow = Selectable<GatewayTables["gateway_captures"]>;

/**
 * The gateway's durable outbox: a capture is stored (and on disk) before the client hears 202, and
 * stays until a relayer committed it or refused it for good. The forwarder takes what is due.
 */
export class OutboxStore {
  private constructor(
    readonly db: Kysely<GatewayTables>,
    readonly engine: Engine,
  ) {}

  static async open(db: Kysely<GatewayTables>, engine: Engine): Promise<OutboxStore> {
    await migrateGateway(db as Kysely<unknown>, engine);
    return new OutboxStore(db, engine);
  }

  /** Stores new captures in one transaction. */
  async insert(rows: readonly OutboxRow[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const row of rows) await tx.insertInto("gateway_captures").values(row).execute();
    });
  }

  get(id: string): Promise<OutboxRow | undefined> {
    return this.db.selectFrom("gateway_captures").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** Captures to forward or to check on, whose time has come, oldest first. */
  due(now: number, limit: number): Promise<OutboxRow[]> {
    return this.db
      .selectFrom("gateway_captures")
      .selectAll()
      .where("status", "in", ["pending", "forwarded"])
      .where("next_attempt_at", "<=", now)
      .orderBy("next_attempt_at")
      .limit(limit)
      .execute();
  }

  async update(id: string, patch: Partial<Omit<OutboxRow, "id">>): Promise<void> {
    await this.db.updateTable("gateway_captures").set(patch).where("id", "=", id).execute();
  }

  /** Several rows' changes in one transaction (one fsync for all). */
  async updateMany(changes: readonly { id: string; patch: Partial<Omit<OutboxRow, "id">> }[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const { id, patch } of changes)
        await tx.updateTable("gateway_captures").set(patch).where("id", "=", id).execute();
    });
  }

  /** How many captures are waiting to be forwarded, and how many to be committed. */
  async depth(): Promise<{ pending: number; forwarded: number }> {
    const rows = await this.db
      .selectFrom("gateway_captures")
      .select((eb) => ["status", eb.fn.countAll<string>().as("n")])
      .where("status", "in", ["pending", "forwarded"])
      .groupBy("status")
      .execute();
    const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    return { pending: n("pending"), forwarded: n("forwarded") };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
