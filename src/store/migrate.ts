import { Migrator, sql, type Kysely, type Migration } from "kysely";
import { TrackrootError } from "../core/errors";
import type { Engine } from "./database";

/**
 * A database's schema changes by name, run in the order of their names ("0001_initial",
 * "0002_..."), each once. A release adds migrations and never edits one that has shipped: a live
 * ledger has already run it.
 */
export type Migrations = Readonly<Record<string, Migration>>;

/** Which service's database: names its bookkeeping tables, so databases that share a server never mix them. */
export type DatabaseOwner = "relayer" | "gateway" | "indexer";

/** A database that could not be brought to this release's schema; nothing of the failed run was kept. */
export class MigrationError extends TrackrootError {
  override name = "MigrationError";
}

export interface MigrateOptions<T> {
  db: Kysely<T>;
  engine: Engine;
  owner: DatabaseOwner;
  migrations: Migrations;
}

/**
 * Brings `db` to the newest schema: every migration not yet run, all in one transaction (PostgreSQL
 * and SQLite both roll DDL back), under the migrator's lock, so two processes starting on one
 * database run each migration once. Answers the names it ran. A database that has run a migration
 * this release does not know (a newer release's) is refused, never guessed at.
 */
export async function migrateToLatest<T>(options: MigrateOptions<T>): Promise<string[]> {
  const { db, engine, owner, migrations } = options;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations }) },
    migrationTableName: `${owner}_migration`,
    migrationLockTableName: `${owner}_migration_lock`,
    // named, because Kysely looks for its tables in every schema of a PostgreSQL database: another
    // schema's would pass for this one's
    migrationTableSchema: engine === "postgres" ? await currentSchema(db) : undefined,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === "Error")?.migrationName;
    const message = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      failed
        ? `the ${owner}'s database: migration ${failed} failed, none of this run's migrations was kept: ${message}`
        : `the ${owner}'s database cannot be migrated: ${message}`,
      { cause: error },
    );
  }
  return results.map((r) => r.migrationName);
}

/** The schema a PostgreSQL connection creates tables in: the first of its search_path. */
async function currentSchema<T>(db: Kysely<T>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0].schema;
}
