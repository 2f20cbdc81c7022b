import type { Kysely, Selectable } from "kysely";
import { ConflictError } from "../core/errors";
import type { Engine } from "../store/database";
import { relayerMigrations } from "../store/relayer-migrations";
import { migrateToLatest } from "../store/migrate";
import type { RelayerTables } from "../store/schema";
import { rowChunks } from "../store/row-chunks";
import { isUniqueViolation } from "../store/unique-violation";

export type EntryRow = Selectable<RelayerTables["entries"]>;
export type BatchRow = Selectable<RelayerTables["batches"]>;
/** An event of an entry: its place in the document and its CBV 2.0 hash. */
export interface EntryEvent {
  position: number;
  hash: string;
}
export type NewEntry = Omit<EntryRow, "seq" | "batch_sequence">;

/** An entry's batch sequence when another relayer's commitment holds it (the same root, committed first). */
export const COMMITTED_ELSEWHERE = 0;

/** The relayer's durable state: accepted entries, their events, and batches on their way on-chain. */
export class RelayerStore {
  private constructor(
    readonly db: Kysely<RelayerTables>,
    readonly engine: Engine,
    /** the migrations this open ran (none when the database was already at this release's schema) */
    readonly migrated: readonly string[],
  ) {}

  static async open(db: Kysely<RelayerTables>, engine: Engine): Promise<RelayerStore> {
    const migrated = await migrateToLatest({ db, engine, owner: "relayer", migrations: relayerMigrations(engine) });
    return new RelayerStore(db, engine, migrated);
  }

  /**
   * Stores an accepted entry and its event hashes in one transaction; when the commit returns it is
   * on disk. An entry already stored (same digest) is left as it is: `created` is false.
   */
  async insertEntry(entry: NewEntry, events: readonly EntryEvent[]): Promise<{ created: boolean }> {
    try {
      const [result] = await this.insertEntries([{ entry, events }]);
      return result;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // On PostgreSQL a copy racing the first one past the digest check trips (submitter, nonce),
      // the index ON CONFLICT does not arbitrate: once the first commits, the copy is a copy.
      if (await this.entry(entry.digest)) return { created: false };
      // the digest is new but its (submitter, nonce) is not: a nonce signed over twice
      throw new ConflictError(`nonce: ${entry.nonce} was already used by ${entry.submitter}`);
    }
  }

  /**
   * Stores several entries in one transaction (one fsync for all: group commit). All or none: when
   * one of them breaks a constraint, nothing is stored and the error is the database's.
   */
  insertEntries(list: readonly { entry: NewEntry; events: readonly EntryEvent[] }[]): Promise<{ created: boolean }[]> {
    return this.db.transaction().execute(async (tx) => {
      const results: { created: boolean }[] = [];
      for (const { entry, events } of list) {
        const inserted = await tx
          .insertInto("entries")
          .values({ ...entry, batch_sequence: null })
          .onConflict((oc) => oc.column("digest").doNothing())
          .returning("digest")
          .executeTakeFirst();
        results.push({ created: !!inserted });
        if (!inserted) continue;
        const rows = events.map((e) => ({ digest: entry.digest, position: e.position, event_hash: e.hash }));
        for (const chunk of rowChunks(rows)) await tx.insertInto("entry_events").values(chunk).execute();
      }
      return results;
    });
  }

  entry(digest: string): Promise<EntryRow | undefined> {
    return this.db.selectFrom("entries").selectAll().where("digest", "=", digest).executeTakeFirst();
  }

  /** Entries not yet in a batch, oldest first. */
  queued(limit: number): Promise<EntryRow[]> {
    return this.db
      .selectFrom("entries")
      .selectAll()
      .where("batch_sequence", "is", null)
      .orderBy("seq")
      .limit(limit)
      .execute();
  }

  async queueDepth(): Promise<{ entries: number; events: number }> {
    const row = await this.db
      .selectFrom("entries")
      .select((eb) => [eb.fn.countAll<string>().as("entries"), eb.fn.sum<string>("event_count").as("events")])
      .where("batch_sequence", "is", null)
      .executeTakeFirstOrThrow();
    return { entries: Number(row.entries), events: Number(row.events ?? 0) };
  }

  /** Records a built batch and assigns its entries to it, atomically. */
  async createBatch(
    batch: Omit<
      BatchRow,
      "status" | "content_cid" | "transaction" | "tx_nonce" | "sent_at" | "block_number" | "commitment_hash"
    >,
    digests: readonly string[],
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto("batches")
        .values({
          ...batch,
          status: "built",
          content_cid: null,
          transaction: null,
          tx_nonce: null,
          sent_at: null,
          block_number: null,
          commitment_hash: null,
        })
        .execute();
      for (let i = 0; i < digests.length; i += 5000) {
        await tx
          .updateTable("entries")
          .set({ batch_sequence: batch.sequence })
          .where("digest", "in", digests.slice(i, i + 5000))
          .where("batch_sequence", "is", null)
          .execute();
      }
    });
  }

  /**
   * A batch whose root another relayer committed first (the same entries, in the same order): its
   * entries are on chain already. They are marked so (batch sequence 0: in no commitment of ours)
   * and the batch is dropped, its sequence number free for the next.
   */
  async supersedeBatch(sequence: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable("entries")
        .set({ batch_sequence: COMMITTED_ELSEWHERE })
        .where("batch_sequence", "=", sequence)
        .execute();
      await tx.deleteFrom("batches").where("sequence", "=", sequence).execute();
    });
  }

  async updateBatch(sequence: number, patch: Partial<Omit<BatchRow, "sequence">>): Promise<void> {
    await this.db.updateTable("batches").set(patch).where("sequence", "=", sequence).execute();
  }

  batch(sequence: number): Promise<BatchRow | undefined> {
    return this.db.selectFrom("batches").selectAll().where("sequence", "=", sequence).executeTakeFirst();
  }

  /** Batches not yet committed, lowest sequence first: they go on-chain strictly in order. */
  unfinishedBatches(): Promise<BatchRow[]> {
    return this.db.selectFrom("batches").selectAll().where("status", "!=", "committed").orderBy("sequence").execute();
  }

  lastBatch(): Promise<BatchRow | undefined> {
    return this.db.selectFrom("batches").selectAll().orderBy("sequence", "desc").limit(1).executeTakeFirst();
  }

  /** A batch's entries in the order they were taken (their order in the batch content). */
  batchEntries(sequence: number): Promise<EntryRow[]> {
    return this.db.selectFrom("entries").selectAll().where("batch_sequence", "=", sequence).orderBy("seq").execute();
  }

  /** Where an event was captured: its entry and position. */
  eventLocation(eventHash: string): Promise<{ digest: string; position: number } | undefined> {
    return this.db
      .selectFrom("entry_events")
      .select(["digest", "position"])
      .where("event_hash", "=", eventHash)
      .orderBy("digest")
      .limit(1)
      .executeTakeFirst();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
