import type { Kysely } from "kysely";
import type { Engine } from "./database";
import type { Migrations } from "./migrate";

/** The relayer's schema changes, oldest first (src/store/migrate.ts runs them). */
export function relayerMigrations(engine: Engine): Migrations {
  return {
    "0001_initial": { up: (db) => createInitialTables(db, engine) },
  };
}

/**
 * The schema of every release before numbered migrations. Each statement is "if not exists", so a
 * database those releases made takes this migration as already run and keeps its rows.
 */
async function createInitialTables(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable("entries")
    .ifNotExists()
    .addColumn("seq", engine === "postgres" ? "bigserial" : "integer", (c) =>
      engine === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn("digest", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("submitter", "text", (c) => c.notNull())
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("event_count", "integer", (c) => c.notNull())
    .addColumn("batch_sequence", "integer")
    .addColumn("received_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("entries_nonce")
    .ifNotExists()
    .unique()
    .on("entries")
    .columns(["submitter", "nonce"])
    .execute();
  await db.schema
    .createIndex("entries_queued")
    .ifNotExists()
    .on("entries")
    .columns(["batch_sequence", "seq"])
    .execute();
  await db.schema
    .createTable("entry_events")
    .ifNotExists()
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("event_hash", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("entry_events_pk", ["digest", "position"])
    .execute();
  await db.schema.createIndex("entry_events_hash").ifNotExists().on("entry_events").column("event_hash").execute();
  await db.schema
    .createTable("batches")
    .ifNotExists()
    .addColumn("sequence", "integer", (c) => c.primaryKey())
    .addColumn("root", "text", (c) => c.notNull())
    .addColumn("entry_count", "integer", (c) => c.notNull())
    .addColumn("event_count", "integer", (c) => c.notNull())
    .addColumn("previous_hash", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("content_cid", "text")
    .addColumn("transaction", "text")
    .addColumn("tx_nonce", "integer")
    .addColumn("sent_at", "text")
    .addColumn("block_number", "text")
    .addColumn("commitment_hash", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("handover_proposals")
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("from_participant", "integer", (c) => c.notNull())
    .addColumn("to_participant", "integer", (c) => c.notNull())
    .addColumn("handover_id", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("item_count", "integer", (c) => c.notNull())
    .addColumn("deadline", "bigint", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("proposed_by", "text", (c) => c.notNull())
    .addColumn("proposed_at", "text", (c) => c.notNull())
    .addColumn("acted_by", "text")
    .addColumn("acted_at", "text")
    .addColumn("reason", "text")
    .addColumn("act_signature", "text")
    .execute();
  await db.schema
    .createIndex("handover_proposals_sender_id")
    .ifNotExists()
    .unique()
    .on("handover_proposals")
    .columns(["from_participant", "handover_id"])
    .execute();
  for (const side of ["to_participant", "from_participant"] as const) {
    await db.schema
      .createIndex(`handover_proposals_${side}`)
      .ifNotExists()
      .on("handover_proposals")
      .columns([side, "status"])
      .execute();
  }
}
