import { SqliteAdapter, SqliteDialect, type DialectAdapter } from "kysely";

/**
 * SQLite rolls schema changes back with the transaction that made them; Kysely's adapter says it
 * does not, so its migrator would run each migration outside a transaction and a failed one would
 * leave half a schema. This adapter tells the truth.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Kysely's SQLite dialect whose migrations run in one transaction, as on PostgreSQL. */
export class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}
