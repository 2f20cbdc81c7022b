import Sqlite from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import { Pool, types } from "pg";
import { DurableSqliteDialect, walSync } from "./durable-sqlite";
import { TransactionalSqliteDialect } from "./transactional-sqlite-dialect";
import { WalCheckpointer } from "./wal-checkpointer";

/** int8 columns (block numbers, quantities) come back as numbers, as they do from SQLite; all fit in 2^53. */
const PG_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === types.builtins.INT8
      ? (value: string) => Number(value)
      : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

export interface DatabaseOptions {
  /** postgres://... : PostgreSQL; otherwise SQLite at `sqlitePath` */
  url?: string;
  sqlitePath?: string;
}

/** Which engine a database runs on: the few statements that differ branch on it, nothing else. */
export type Engine = "sqlite" | "postgres";

/**
 * One Kysely database over SQLite (better-sqlite3, WAL; a write is on disk before it returns, its
 * sync off the event loop: src/store/durable-sqlite.ts) or PostgreSQL (commits are durable by
 * default: fsync on, synchronous_commit on).
 */
export function openDatabase<T>(options: DatabaseOptions): { db: Kysely<T>; engine: Engine } {
  if (options.url && /^postgres(ql)?:\/\//.test(options.url)) {
    const pool = new Pool({ connectionString: options.url, max: 10, types: PG_TYPES });
    return { db: new Kysely<T>({ dialect: new PostgresDialect({ pool }) }), engine: "postgres" };
  }
  if (options.sqlitePath) mkdirSync(dirname(options.sqlitePath), { recursive: true });
  const sqlite = new Sqlite(options.sqlitePath ?? ":memory:");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  cacheStatements(sqlite);
  if (!options.sqlitePath)
    return { db: new Kysely<T>({ dialect: new TransactionalSqliteDialect({ database: sqlite }) }), engine: "sqlite" };
  // durable as under synchronous = FULL: the dialect syncs the WAL after each write, off the event loop
  sqlite.pragma("synchronous = NORMAL");
  // checkpoints off the event loop as well, the connection's own only a backstop
  sqlite.pragma(`wal_autocheckpoint = ${WalCheckpointer.BACKSTOP_PAGES}`);
  const wal = walSync(options.sqlitePath, new WalCheckpointer(options.sqlitePath));
  const dialect = new DurableSqliteDialect(sqlite, wal);
  return { db: new Kysely<T>({ dialect }), engine: "sqlite" };
}

/**
 * Reuses prepared statements: Kysely prepares every query it runs, and better-sqlite3's prepare
 * costs about as much as a small query. Safe here because every statement runs to completion
 * synchronously (no query streams rows).
 */
function cacheStatements(sqlite: Sqlite.Database, capacity = 1000): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Sqlite.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = prepare(source);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
      cache.set(source, statement);
    }
    return statement;
  }) as typeof sqlite.prepare;
}
