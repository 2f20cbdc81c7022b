import type { Kysely } from "kysely";
import type { Migrations } from "./migrate";

/** The gateway's schema changes, oldest first (src/store/migrate.ts runs them). */
export const GATEWAY_MIGRATIONS: Migrations = {
  "0001_initial": { up: createInitialTables },
};

/**
 * The outbox as every release before numbered migrations made it. Each statement is "if not
 * exists", so a database those releases made takes this migration as already run and keeps its rows.
 */
async function createInitialTables(db: Kysely<unknown>): Promise<void> {
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
