import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import type { Kysely } from "kysely";
import type { Engine } from "../store/database";
import { DERIVED_TABLES, INDEXER_MIGRATIONS } from "../store/indexer-migrations";
import { migrateToLatest } from "../store/migrate";
import type { IndexerTables } from "../store/indexer-schema";
import type { BlockHeader, RawLog } from "../chain/chain-source";
import type { ContractAddresses } from "../chain/deployment";
import { projectLogs } from "./projector";

/** Each table's rows in a fixed order, for the state digest. */
const DIGEST_ORDER: Record<(typeof DERIVED_TABLES)[number], string[]> = {
  participants: ["id"],
  registry_events: ["block_number", "log_index"],
  orders: ["id"],
  batches: ["id"],
  serial_events: ["block_number", "log_index"],
  commitments: ["relayer", "sequence"],
  content_checks: ["subject"],
  captures: ["digest"],
  capture_events: ["digest", "position"],
  event_epcs: ["digest", "position", "epc", "role"],
  handovers: ["digest"],
  handover_items: ["digest", "position"],
  commitment_entries: ["relayer", "sequence", "position"],
  code_leaves: ["leaf"],
  code_history: ["epc", "ordinal"],
  anomalies: ["id"],
  lifecycle_progress: ["relayer", "sequence"],
};

/** The indexer's database: raw blocks and logs, the cursor, and the state derived from them. */
export class IndexerStore {
  private constructor(
    readonly db: Kysely<IndexerTables>,
    readonly engine: Engine,
    /** the migrations this open ran (none when the database was already at this release's schema) */
    readonly migrated: readonly string[],
  ) {}

  static async open(db: Kysely<IndexerTables>, engine: Engine): Promise<IndexerStore> {
    const migrated = await migrateToLatest({ db, engine, owner: "indexer", migrations: INDEXER_MIGRATIONS });
    return new IndexerStore(db, engine, migrated);
  }

  /** The last block fully processed, or undefined before the first. */
  async cursor(): Promise<{ number: number; hash: string } | undefined> {
    const row = await this.db.selectFrom("sync_state").selectAll().where("id", "=", 1).executeTakeFirst();
    return row ? { number: Number(row.block_number), hash: row.block_hash } : undefined;
  }

  /**
   * Records one block: its header, its logs, what they derive, and the cursor, in one transaction,
   * so a crash leaves either all of the block or none of it.
   */
  async applyBlock(header: BlockHeader, logs: readonly RawLog[], contracts: ContractAddresses): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto("chain_blocks")
        .values({
          number: header.number,
          hash: header.hash,
          parent_hash: header.parentHash,
          timestamp: header.timestamp,
        })
        .onConflict((oc) => oc.column("number").doUpdateSet({ hash: header.hash, parent_hash: header.parentHash }))
        .execute();
      if (logs.length > 0) {
        await tx
          .insertInto("chain_logs")
          .values(
            logs.map((l) => ({
              block_number: l.blockNumber,
              log_index: l.logIndex,
              transaction_hash: l.transactionHash,
              address: l.address,
              topics: JSON.stringify(l.topics),
              data: l.data,
            })),
          )
          .execute();
        await projectLogs(tx, contracts, logs);
      }
      await tx
        .insertInto("sync_state")
        .values({ id: 1, block_number: header.number, block_hash: header.hash })
        .onConflict((oc) => oc.column("id").doUpdateSet({ block_number: header.number, block_hash: header.hash }))
        .execute();
    });
  }

  /** How far indexing has got: the cursor, and what is still pending or found, as counts. */
  async progress(): Promise<{
    block: number | null;
    pendingContent: number;
    pendingLifecycle: number;
    anomalies: number;
  }> {
    const count = async (query: { execute: () => Promise<{ n: number | string | bigint }[]> }) =>
      Number((await query.execute())[0]?.n ?? 0);
    const pendingContent = await count(
      this.db
        .selectFrom("content_checks")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "=", "pending"),
    );
    const commitments = await count(this.db.selectFrom("commitments").select((eb) => eb.fn.countAll<number>().as("n")));
    const applied = await count(
      this.db.selectFrom("lifecycle_progress").select((eb) => eb.fn.countAll<number>().as("n")),
    );
    const anomalies = await count(this.db.selectFrom("anomalies").select((eb) => eb.fn.countAll<number>().as("n")));
    return {
      block: (await this.cursor())?.number ?? null,
      pendingContent,
      pendingLifecycle: commitments - applied,
      anomalies,
    };
  }

  /** Stored block headers from the highest down (the candidates for a common ancestor). */
  blocksDescending(limit: number): Promise<{ number: number; hash: string }[]> {
    return this.db
      .selectFrom("chain_blocks")
      .select(["number", "hash"])
      .orderBy("number", "desc")
      .limit(limit)
      .execute();
  }

  /** Forgets everything above `ancestor` (raw and derived) and moves the cursor back to it. */
  async rollbackTo(ancestor: { number: number; hash: string } | undefined): Promise<void> {
    const above = ancestor?.number ?? -1;
    await this.db.transaction().execute(async (tx) => {
      for (const table of DERIVED_TABLES) await tx.deleteFrom(table).where("block_number", ">", above).execute();
      await tx.deleteFrom("chain_logs").where("block_number", ">", above).execute();
      await tx.deleteFrom("chain_blocks").where("number", ">", above).execute();
      if (ancestor) {
        await tx.updateTable("sync_state").set({ block_number: ancestor.number, block_hash: ancestor.hash }).execute();
      } else {
        await tx.deleteFrom("sync_state").execute();
      }
    });
  }

  /**
   * A digest of the whole derived state (not the raw data, not retry counters): two indexers that
   * saw the same chain and content agree on it, whatever the engine, however often they stopped.
   */
  async digest(): Promise<string> {
    const h = sha256.create();
    for (const table of [...DERIVED_TABLES].sort()) {
      let query = this.db.selectFrom(table).selectAll() as unknown as {
        orderBy: (c: string) => typeof query;
        execute: () => Promise<Record<string, unknown>[]>;
      };
      for (const column of DIGEST_ORDER[table]) query = query.orderBy(column);
      const rows = await query.execute();
      h.update(new TextEncoder().encode(`${table}\n`));
      for (const row of rows) {
        const { attempts: _attempts, ...stable } = row;
        const line = Object.keys(stable)
          .sort()
          .map((k) => `${k}=${stable[k] === null ? "" : String(stable[k])}`)
          .join("\t");
        h.update(new TextEncoder().encode(`${line}\n`));
      }
    }
    return `0x${bytesToHex(h.digest())}`;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
