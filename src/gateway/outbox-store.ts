import type { Kysely, Selectable } from "kysely";
import type { Engine } from "../store/database";
import { GATEWAY_MIGRATIONS } from "../store/gateway-migrations";
import { migrateToLatest } from "../store/migrate";
import type { GatewayTables } from "../store/schema";

export type OutboxRow = Selectable<GatewayTables["gateway_captures"]>;
/** A row as the forwarder takes it: all but the document, read only when it is sent. */
export type DueRow = Omit<OutboxRow, "document">;

const DUE_COLUMNS = [
  "id",
  "client",
  "behaviour",
  "status",
  "envelope",
  "digest",
  "sent_to",
  "relayer_index",
  "attempts",
  "next_attempt_at",
  "forwarded_at",
  "errors",
  "receipt",
  "created_at",
  "finished_at",
] as const satisfies readonly (keyof DueRow)[];

/**
 * The gateway's durable outbox: a capture is stored (and on disk) before the client hears 202, and
 * stays until a relayer committed it or refused it for good. The forwarder takes what is due.
 */
export class OutboxStore {
  private constructor(
    readonly db: Kysely<GatewayTables>,
    readonly engine: Engine,
    /** the migrations this open ran (none when the database was already at this release's schema) */
    readonly migrated: readonly string[],
  ) {}

  static async open(db: Kysely<GatewayTables>, engine: Engine): Promise<OutboxStore> {
    const migrated = await migrateToLatest({ db, engine, owner: "gateway", migrations: GATEWAY_MIGRATIONS });
    return new OutboxStore(db, engine, migrated);
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

  /**
   * Captures to forward or to check on, whose time has come, oldest first; without their documents,
   * which a pass reads again and again for the rows it already holds.
   */
  due(now: number, limit: number): Promise<DueRow[]> {
    return this.db
      .selectFrom("gateway_captures")
      .select(DUE_COLUMNS)
      .where("status", "in", ["pending", "forwarded"])
      .where("next_attempt_at", "<=", now)
      .orderBy("next_attempt_at")
      .limit(limit)
      .execute();
  }

  /** The document of a capture, as it came in. */
  async document(id: string): Promise<string> {
    const row = await this.db
      .selectFrom("gateway_captures")
      .select("document")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    return row.document;
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
