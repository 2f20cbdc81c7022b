import type { Kysely } from "kysely";
import type { Migrations } from "./migrate";

/** The indexer's schema changes, oldest first (src/store/migrate.ts runs them). */
export const INDEXER_MIGRATIONS: Migrations = {
  "0001_initial": { up: createInitialTables },
};

/**
 * The schema of every release before numbered migrations. Each statement is "if not exists", so a
 * database those releases made takes this migration as already run and keeps its rows.
 */
async function createInitialTables(db: Kysely<unknown>): Promise<void> {
  await createSyncTables(db);
  await createRegistryTables(db);
  await createCustodyTables(db);
  await createLifecycleTables(db);
  await createPublicTables(db);
  await createQueryTables(db);
}

/** The chain as read: blocks, logs and the cursor. */
async function createSyncTables(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable("chain_blocks")
    .ifNotExists()
    .addColumn("number", "bigint", (c) => c.primaryKey())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("parent_hash", "text", (c) => c.notNull())
    .addColumn("timestamp", "bigint", (c) => c.notNull())
    .execute();
  await s
    .createTable("chain_logs")
    .ifNotExists()
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addColumn("log_index", "integer", (c) => c.notNull())
    .addColumn("transaction_hash", "text", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("topics", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("chain_logs_pk", ["block_number", "log_index"])
    .execute();
  await s
    .createTable("sync_state")
    .ifNotExists()
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addColumn("block_hash", "text", (c) => c.notNull())
    .execute();
}

/** Participants, production orders and released batches. */
async function createRegistryTables(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable("participants")
    .ifNotExists()
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("kind", "integer", (c) => c.notNull())
    .addColumn("gln", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .execute();
  await s
    .createTable("registry_events")
    .ifNotExists()
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addColumn("log_index", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("participant", "integer", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("registry_events_pk", ["block_number", "log_index"])
    .execute();
  await s
    .createTable("orders")
    .ifNotExists()
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("brand", "integer", (c) => c.notNull())
    .addColumn("producer", "integer", (c) => c.notNull())
    .addColumn("gtin", "text", (c) => c.notNull())
    .addColumn("planned", "bigint", (c) => c.notNull())
    .addColumn("lot", "text", (c) => c.notNull())
    .addColumn("expiry", "integer", (c) => c.notNull())
    .addColumn("erp_reference", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addColumn("transaction_hash", "text", (c) => c.notNull())
    .execute();
  await s
    .createTable("batches")
    .ifNotExists()
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("order_id", "integer", (c) => c.notNull())
    .addColumn("root", "text", (c) => c.notNull())
    .addColumn("count", "bigint", (c) => c.notNull())
    .addColumn("content_cid", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addColumn("transaction_hash", "text", (c) => c.notNull())
    .execute();
  await s
    .createTable("serial_events")
    .ifNotExists()
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addColumn("log_index", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("order_id", "integer")
    .addColumn("batch_id", "integer")
    .addColumn("quantity", "bigint")
    .addColumn("root", "text")
    .addColumn("cid", "text")
    .addPrimaryKeyConstraint("serial_events_pk", ["block_number", "log_index"])
    .execute();
}

/** Commitments and what they hold: captures, their events, handovers. */
async function createCustodyTables(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable("commitments")
    .ifNotExists()
    .addColumn("relayer", "integer", (c) => c.notNull())
    .addColumn("sequence", "bigint", (c) => c.notNull())
    .addColumn("root", "text", (c) => c.notNull())
    .addColumn("event_count", "integer", (c) => c.notNull())
    .addColumn("content_cid", "text", (c) => c.notNull())
    .addColumn("previous_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addColumn("transaction_hash", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("commitments_pk", ["relayer", "sequence"])
    .execute();
  await s
    .createTable("content_checks")
    .ifNotExists()
    .addColumn("subject", "text", (c) => c.primaryKey())
    .addColumn("cid", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .execute();
  await s
    .createTable("captures")
    .ifNotExists()
    .addColumn("digest", "text", (c) => c.primaryKey())
    .addColumn("relayer", "integer", (c) => c.notNull())
    .addColumn("sequence", "bigint", (c) => c.notNull())
    .addColumn("submitter", "text", (c) => c.notNull())
    .addColumn("participant", "integer", (c) => c.notNull())
    .addColumn("valid", "integer", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("event_count", "integer", (c) => c.notNull())
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addColumn("proof_data", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .execute();
  await s
    .createTable("capture_events")
    .ifNotExists()
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("event_hash", "text", (c) => c.notNull())
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("event_time", "text", (c) => c.notNull())
    .addColumn("time_ms", "bigint", (c) => c.notNull())
    .addColumn("biz_step", "text", (c) => c.notNull())
    .addColumn("disposition", "text", (c) => c.notNull())
    .addColumn("read_point", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("capture_events_pk", ["digest", "position"])
    .execute();
  await s.createIndex("capture_events_hash").ifNotExists().on("capture_events").column("event_hash").execute();
  await s
    .createTable("event_epcs")
    .ifNotExists()
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("epc", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("event_epcs_pk", ["digest", "position", "epc", "role"])
    .execute();
  await s.createIndex("event_epcs_epc").ifNotExists().on("event_epcs").column("epc").execute();
  await s
    .createTable("handovers")
    .ifNotExists()
    .addColumn("digest", "text", (c) => c.primaryKey())
    .addColumn("relayer", "integer", (c) => c.notNull())
    .addColumn("sequence", "bigint", (c) => c.notNull())
    .addColumn("handover_id", "text", (c) => c.notNull())
    .addColumn("sender", "text", (c) => c.notNull())
    .addColumn("receiver", "text", (c) => c.notNull())
    .addColumn("sender_participant", "integer", (c) => c.notNull())
    .addColumn("receiver_participant", "integer", (c) => c.notNull())
    .addColumn("event_time", "text", (c) => c.notNull())
    .addColumn("valid", "integer", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("proof_data", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .execute();
  await s
    .createTable("handover_items")
    .ifNotExists()
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("item", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("handover_items_pk", ["digest", "position"])
    .execute();
  await s.createIndex("handover_items_item").ifNotExists().on("handover_items").column("item").execute();
  await s
    .createTable("commitment_entries")
    .ifNotExists()
    .addColumn("relayer", "integer", (c) => c.notNull())
    .addColumn("sequence", "bigint", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("commitment_entries_pk", ["relayer", "sequence", "position"])
    .execute();
  await s.createIndex("commitment_entries_digest").ifNotExists().on("commitment_entries").column("digest").execute();
}

/** Each code's derived history and the anomalies the lifecycle rules report. */
async function createLifecycleTables(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable("code_leaves")
    .ifNotExists()
    .addColumn("leaf", "text", (c) => c.primaryKey())
    .addColumn("batch_id", "integer", (c) => c.notNull())
    .addColumn("rank", "integer", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .execute();
  await s
    .createTable("code_history")
    .ifNotExists()
    .addColumn("epc", "text", (c) => c.notNull())
    .addColumn("ordinal", "text", (c) => c.notNull())
    .addColumn("cause", "text", (c) => c.notNull())
    .addColumn("ref", "text", (c) => c.notNull())
    .addColumn("participant", "integer", (c) => c.notNull())
    .addColumn("time", "bigint", (c) => c.notNull())
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("commissioned", "integer", (c) => c.notNull())
    .addColumn("ended", "text", (c) => c.notNull())
    .addColumn("holder", "integer", (c) => c.notNull())
    .addColumn("parent", "text", (c) => c.notNull())
    .addColumn("last_time", "bigint", (c) => c.notNull())
    .addColumn("last_place", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("code_history_pk", ["epc", "ordinal"])
    .execute();
  await s.createIndex("code_history_parent").ifNotExists().on("code_history").column("parent").execute();
  await s
    .createTable("anomalies")
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("epc", "text", (c) => c.notNull())
    .addColumn("ref", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("ordinal", "text", (c) => c.notNull())
    .addColumn("time", "bigint", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .execute();
  await s.createIndex("anomalies_ordinal").ifNotExists().on("anomalies").column("ordinal").execute();
  await s
    .createTable("lifecycle_progress")
    .ifNotExists()
    .addColumn("relayer", "integer", (c) => c.notNull())
    .addColumn("sequence", "bigint", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("lifecycle_progress_pk", ["relayer", "sequence"])
    .execute();
}

/** The public surface's bookkeeping: verifications, lookups, reports, alerts and their webhooks. */
async function createPublicTables(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable("verifications")
    .ifNotExists()
    .addColumn("epc", "text", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("region", "text", (c) => c.notNull())
    .addColumn("client", "text", (c) => c.notNull())
    .execute();
  await s.createIndex("verifications_epc").ifNotExists().on("verifications").columns(["epc", "at"]).execute();
  await s
    .createTable("clone_alerts")
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("epc", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("verifications", "integer", (c) => c.notNull())
    .addColumn("regions", "integer", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .execute();
  await s
    .createTable("unknown_lookups")
    .ifNotExists()
    .addColumn("client", "text", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .execute();
  await s.createIndex("unknown_lookups_client").ifNotExists().on("unknown_lookups").columns(["client", "at"]).execute();
  await s
    .createTable("suspect_reports")
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("epc", "text", (c) => c.notNull())
    .addColumn("verdict", "text", (c) => c.notNull())
    .addColumn("bought_at", "text", (c) => c.notNull())
    .addColumn("what", "text", (c) => c.notNull())
    .addColumn("contact", "text", (c) => c.notNull())
    .addColumn("visitor", "text", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .execute();
  await s.createIndex("suspect_reports_epc").ifNotExists().on("suspect_reports").columns(["epc", "at"]).execute();
  await s
    .createTable("enumeration_alerts")
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("client", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("lookups", "integer", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .execute();
  await s
    .createTable("webhook_deliveries")
    .ifNotExists()
    .addColumn("anomaly_id", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
    .addColumn("last_error", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("webhook_deliveries_pk", ["anomaly_id", "url"])
    .execute();
}

/** EPCIS named queries and their subscriptions: the members' own state, kept across rebuilds. */
async function createQueryTables(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable("epcis_queries")
    .ifNotExists()
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("owner", "integer", (c) => c.notNull())
    .addColumn("params", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await s
    .createTable("epcis_subscriptions")
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("query_name", "text", (c) => c.notNull())
    .addColumn("owner", "integer", (c) => c.notNull())
    .addColumn("dest", "text", (c) => c.notNull())
    .addColumn("signature_token", "text", (c) => c.notNull())
    .addColumn("stream", "integer", (c) => c.notNull())
    .addColumn("schedule", "text", (c) => c.notNull())
    .addColumn("report_if_empty", "integer", (c) => c.notNull())
    .addColumn("initial_record_time", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_run_at", "bigint", (c) => c.notNull())
    .addColumn("last_notified_at", "text", (c) => c.notNull())
    .execute();
  await s
    .createTable("subscription_seen")
    .ifNotExists()
    .addColumn("subscription_id", "text", (c) => c.notNull())
    .addColumn("event_key", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("subscription_seen_pk", ["subscription_id", "event_key"])
    .execute();
  await s
    .createTable("subscription_deliveries")
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
    .addColumn("last_error", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
}

/** Derived tables (everything but the raw chain data), in the order a rollback or rebuild clears them. */
export const DERIVED_TABLES = [
  "lifecycle_progress",
  "anomalies",
  "code_history",
  "code_leaves",
  "commitment_entries",
  "handover_items",
  "handovers",
  "event_epcs",
  "capture_events",
  "captures",
  "content_checks",
  "commitments",
  "serial_events",
  "batches",
  "orders",
  "registry_events",
  "participants",
] as const;
