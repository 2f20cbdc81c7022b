import type { Kysely } from "kysely";
import type { Engine } from "./database";

/** Creates the gateway's outbox if absent; the same statements on SQLite and PostgreSQL. */
export async function migrateGateway(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable("gateway_captures")
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("client", "text", (c) => c.notNull())
    .addColumn("document", "text", (c) => c.notNull())
    .addColumn("behaviour", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("envelope", "text")
    .addColumn("digest", "text")
    .addColumn("sent_to", "text", (c) => c.notNull())
    .addColumn("relayer_index", "integer", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
    .addColumn("forwarded_at", "bigint")
    .addColumn("errors", "text", (c) => c.notNull())
    .addColumn("receipt", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  await db.schema
    .createIndex("gateway_captures_due")
    .ifNotExists()
    .on("gateway_captures")
    .columns(["status", "next_attempt_at"])
    .execute();
}
