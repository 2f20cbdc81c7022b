import type Sqlite from "better-sqlite3";
import { open, stat, type FileHandle } from "node:fs/promises";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import { TransactionalSqliteDialect } from "./transactional-sqlite-dialect";
import type { WalCheckpointer } from "./wal-checkpointer";
import { UnavailableError } from "../core/errors";

/** The disk under a SQLite file's write-ahead log. */
export interface WalSync {
  /** makes what SQLite wrote so far durable; resolves once it is on disk */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * SQLite as durable as `synchronous = FULL`, without stopping the event loop for the disk.
 *
 * better-sqlite3 runs every statement synchronously, so under FULL each commit's fsync of the WAL
 * (milliseconds, tens of them for a large group) blocks the whole process: nothing is parsed,
 * hashed or answered meanwhile. Here SQLite runs at `synchronous = NORMAL` (in WAL mode it stays
 * consistent, and it syncs around checkpoints itself), and after every statement that ends a
 * write (a commit, or a write outside a transaction) the WAL is fdatasync'ed on libuv's thread pool
 * before the caller hears back. A caller is answered only once its write is on disk, as under FULL;
 * the event loop is free during the sync.
 */
export class DurableSqliteDialect extends TransactionalSqliteDialect {
  constructor(
    private readonly sqlite: Sqlite.Database,
    private readonly wal: WalSync,
  ) {
    super({ database: sqlite });
  }

  override createDriver(): Driver {
    return new DurableSqliteDriver(super.createDriver(), this.sqlite, this.wal);
  }
}

/** The WAL of the SQLite file at `path`, opened on first use; each sync is told to `checkpointer`. */
export function walSync(path: string, checkpointer?: WalCheckpointer): WalSync {
  let handle: Promise<{ file: FileHandle; ino: number }> | undefined;
  const openWal = async () => {
    const file = await open(`${path}-wal`, "r");
    return { file, ino: (await file.stat()).ino };
  };
  return {
    async sync() {
      handle ??= openWal();
      try {
        const wal = await handle;
        await wal.file.datasync();
        // a log deleted and made anew (another connection was the last to close it) is another
        // file: the one on the path is the one that must be on disk
        if ((await stat(`${path}-wal`)).ino !== wal.ino) {
          handle = undefined;
          await wal.file.close();
          await (await (handle = openWal())).file.datasync();
        }
        checkpointer?.wrote();
      } catch (e) {
        handle = undefined;
        // no WAL yet: the statement wrote nothing (SQLite creates it before the first frame)
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
        // retryable, and nothing acknowledged: the caller answers 503; the path stays in the cause
        throw new UnavailableError("the database could not sync its log to disk", { cause: e });
      }
    },
    async close() {
      const current = handle;
      handle = undefined;
      await (await current?.catch(() => undefined))?.file.close();
      await checkpointer?.close();
    },
  };
}

class DurableSqliteDriver implements Driver {
  private readonly connections = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly sqlite: Sqlite.Database,
    private readonly wal: WalSync,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let durable = this.connections.get(connection);
    if (!durable) {
      durable = {
        executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
          const result = await connection.executeQuery<R>(query);
          if (!this.sqlite.inTransaction && writes(query)) await this.wal.sync();
          return result;
        },
        streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => connection.streamQuery<R>(query, chunkSize),
      };
      this.connections.set(connection, durable);
    }
    return durable;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  async destroy(): Promise<void> {
    await this.inner.destroy();
    await this.wal.close();
  }
}

/** Whether a statement may have changed the database: all but reads (and a rollback) do. */
function writes(query: CompiledQuery): boolean {
  if (query.query.kind === "SelectQueryNode") return false;
  return !/^\s*(select|rollback|begin)\b/i.test(query.sql);
}
