import { expect } from "chai";
import Sqlite from "better-sqlite3";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql, type Kysely, type Migration } from "kysely";
import { OutboxStore } from "../../src/gateway/outbox-store";
import { IndexerStore } from "../../src/indexer/indexer-store";
import { RelayerStore, type NewEntry } from "../../src/relayer/relayer-store";
import { openDatabase, type DatabaseOptions, type Engine } from "../../src/store/database";
import { GATEWAY_MIGRATIONS } from "../../src/store/gateway-migrations";
import { INDEXER_MIGRATIONS } from "../../src/store/indexer-migrations";
import { MigrationError, migrateToLatest, type DatabaseOwner, type Migrations } from "../../src/store/migrate";
import type { IndexerTables } from "../../src/store/indexer-schema";
import { relayerMigrations } from "../../src/store/relayer-migrations";
import type { GatewayTables, RelayerTables } from "../../src/store/schema";
import { ENGINES } from "../support/databases";

/** The schemas every release before numbered migrations made, frozen (see each file's header). */
const LEGACY = join(__dirname, "..", "fixtures", "schema-before-migrations");

/** A service's store opened on a database (which migrates it), and the database under it. */
interface Opened {
  db: Kysely<unknown>;
  close: () => Promise<void>;
}

async function opened<T>(
  options: DatabaseOptions,
  open: (db: Kysely<T>, engine: Engine) => Promise<{ close: () => Promise<void> }>,
): Promise<Opened> {
  const { db, engine } = openDatabase<T>(options);
  const store = await open(db, engine);
  return { db: db as Kysely<unknown>, close: () => store.close() };
}

/** Each database, opened as its service opens it, and its migrations. */
const DATABASES: {
  owner: DatabaseOwner;
  open: (options: DatabaseOptions) => Promise<Opened>;
  migrations: (engine: Engine) => Migrations;
}[] = [
  {
    owner: "relayer",
    open: (options) => opened<RelayerTables>(options, (db, engine) => RelayerStore.open(db, engine)),
    migrations: relayerMigrations,
  },
  {
    owner: "gateway",
    open: (options) => opened<GatewayTables>(options, (db, engine) => OutboxStore.open(db, engine)),
    migrations: () => GATEWAY_MIGRATIONS,
  },
  {
    owner: "indexer",
    open: (options) => opened<IndexerTables>(options, (db, engine) => IndexerStore.open(db, engine)),
    migrations: () => INDEXER_MIGRATIONS,
  },
];

/** A database built as the release before numbered migrations built it, from its frozen schema. */
async function legacyDatabase(owner: DatabaseOwner, options: DatabaseOptions, engine: Engine): Promise<void> {
  const ddl = readFileSync(join(LEGACY, `${owner}.${engine === "postgres" ? "postgres" : "sqlite"}.sql`), "utf8");
  if (engine === "sqlite") {
    const file = new Sqlite(options.sqlitePath as string);
    file.pragma("journal_mode = WAL");
    file.exec(ddl);
    file.close();
    return;
  }
  const { db } = openDatabase<unknown>(options);
  await sql.raw(ddl).execute(db);
  await db.destroy();
}

/** The service's own tables, the migrator's bookkeeping left out. */
async function tablesOf(db: Kysely<unknown>, owner: DatabaseOwner, engine: Engine) {
  // PostgreSQL's introspection lists every schema's tables: only the connection's own are this database's
  const schema =
    engine === "postgres"
      ? (await sql<{ name: string }>`select current_schema() as name`.execute(db)).rows[0].name
      : undefined;
  const tables = await db.introspection.getTables();
  return tables.filter((t) => !t.name.startsWith(`${owner}_migration`) && t.schema === schema);
}

/**
 * Fills every table with rows of every column (three each; an auto-incrementing key left to the
 * database, as the old code's inserts left it), the way the old release's writes would have.
 */
async function fill(db: Kysely<unknown>, owner: DatabaseOwner, engine: Engine): Promise<void> {
  for (const table of await tablesOf(db, owner, engine)) {
    for (let i = 1; i <= 3; i++) {
      const row: Record<string, unknown> = {};
      for (const c of table.columns) {
        if (c.isAutoIncrementing) continue;
        row[c.name] = /int|serial/i.test(c.dataType) ? i * 7 : `${table.name}.${c.name}.${i}`;
      }
      await db
        .insertInto(table.name as never)
        .values(row as never)
        .execute();
    }
  }
}

/** Every row of every table, as sorted JSON, table by table. */
async function contentsOf(
  db: Kysely<unknown>,
  owner: DatabaseOwner,
  engine: Engine,
): Promise<Record<string, string[]>> {
  const contents: Record<string, string[]> = {};
  for (const table of await tablesOf(db, owner, engine)) {
    const rows = await db
      .selectFrom(table.name as never)
      .selectAll()
      .execute();
    contents[table.name] = rows.map((r) => JSON.stringify(r, Object.keys(r as object).sort())).sort();
  }
  return contents;
}

/** Tables, columns and indexes, in words that do not depend on where the database lives. */
async function schemaOf(db: Kysely<unknown>, owner: DatabaseOwner, engine: Engine): Promise<string[]> {
  const lines = (await tablesOf(db, owner, engine)).flatMap((t) =>
    t.columns.map(
      (c) =>
        `${t.name}.${c.name} ${c.dataType}${c.isNullable ? "" : " not null"}${c.isAutoIncrementing ? " auto" : ""}`,
    ),
  );
  const indexes =
    engine === "postgres"
      ? await sql<{
          line: string;
        }>`select tablename || ' ' || indexname || ' ' || replace(indexdef, current_schema() || '.', '') as line
          from pg_indexes where schemaname = current_schema() and tablename not like ${`${owner}_migration%`}`.execute(
          db,
        )
      : await sql<{ line: string }>`select tbl_name || ' ' || name || ' ' || coalesce(sql, '') as line
          from sqlite_master where type = 'index' and tbl_name not like ${`${owner}_migration%`}`.execute(db);
  return [...lines, ...indexes.rows.map((r) => r.line)].sort();
}

async function migrationsRun(db: Kysely<unknown>, owner: DatabaseOwner): Promise<string[]> {
  const rows = await db
    .selectFrom(`${owner}_migration` as never)
    .select("name" as never)
    .execute();
  return rows.map((r) => (r as { name: string }).name).sort();
}

for (const engine of ENGINES) {
  describe(`store/migrateToLatest on ${engine.name}`, () => {
    for (const database of DATABASES) {
      it(`upgrades the ${database.owner}'s database made before numbered migrations in place, every row kept`, async () => {
        const options = await engine.options();
        const kind: Engine = options.url ? "postgres" : "sqlite";
        await legacyDatabase(database.owner, options, kind);
        const before = openDatabase<unknown>(options);
        await fill(before.db, database.owner, kind);
        const rows = await contentsOf(before.db, database.owner, kind);
        await before.db.destroy();
        expect(Object.values(rows).flat()).to.have.length.above(0);

        // the service starts on it: the store's open migrates
        const upgraded = await database.open(options);
        const after = upgraded.db;
        expect(await contentsOf(after, database.owner, kind)).to.deep.equal(rows);
        expect(await migrationsRun(after, database.owner)).to.deep.equal(Object.keys(database.migrations(kind)).sort());

        // the same schema as a database this release makes from nothing
        const fresh = await database.open(await engine.options());
        expect(await schemaOf(after, database.owner, kind)).to.deep.equal(
          await schemaOf(fresh.db, database.owner, kind),
        );
        await fresh.close();
        await upgraded.close();
      });
    }

    it("keeps the relayer's entry numbering going after an upgrade", async () => {
      const options = await engine.options();
      const kind: Engine = options.url ? "postgres" : "sqlite";
      await legacyDatabase("relayer", options, kind);
      const before = openDatabase<unknown>(options);
      await fill(before.db, "relayer", kind);
      await before.db.destroy();
      const opened = openDatabase<RelayerTables>(options);
      const store = await RelayerStore.open(opened.db, kind);
      const entry: NewEntry = {
        digest: `0x${"ab".repeat(32)}`,
        kind: "capture",
        submitter: "0x0000000000000000000000000000000000000001",
        nonce: "0x01",
        body: "{}",
        event_count: 0,
        received_at: new Date(0).toISOString(),
      };
      expect(await store.insertEntry(entry, [])).to.deep.equal({ created: true });
      expect((await store.entry(entry.digest))?.seq).to.equal(4);
      await store.close();
    });

    it("runs nothing on a database already at the newest schema", async () => {
      const { db, engine: kind } = openDatabase<unknown>(await engine.options());
      const migrations = relayerMigrations(kind);
      expect(await migrateToLatest({ db, engine: kind, owner: "relayer", migrations })).to.deep.equal(
        Object.keys(migrations),
      );
      expect(await migrateToLatest({ db, engine: kind, owner: "relayer", migrations })).to.deep.equal([]);
      await db.destroy();
    });

    it("adds a later migration's column to a filled database, rows kept and the new column at its default", async () => {
      const { db, engine: kind } = openDatabase<unknown>(await engine.options());
      await migrateToLatest({ db, engine: kind, owner: "gateway", migrations: GATEWAY_MIGRATIONS });
      await fill(db, "gateway", kind);
      const later: Migrations = {
        ...GATEWAY_MIGRATIONS,
        "0002_priority": {
          up: (tx) =>
            tx.schema
              .alterTable("gateway_captures")
              .addColumn("priority", "integer", (c) => c.notNull().defaultTo(0))
              .execute(),
        },
      };
      expect(await migrateToLatest({ db, engine: kind, owner: "gateway", migrations: later })).to.deep.equal([
        "0002_priority",
      ]);
      const rows = await db
        .selectFrom("gateway_captures" as never)
        .select(["id" as never, "priority" as never])
        .execute();
      expect(rows).to.have.length(3);
      expect(rows.map((r) => (r as { priority: number }).priority)).to.deep.equal([0, 0, 0]);
      await db.destroy();
    });

    it("keeps nothing of a run whose migration fails, and names the migration", async () => {
      const { db, engine: kind } = openDatabase<unknown>(await engine.options());
      const failing: Migration = {
        up: async (tx) => {
          await tx.schema.createTable("half_made").addColumn("id", "integer").execute();
          throw new Error("the disk is full");
        },
      };
      const error = await migrateToLatest({
        db,
        engine: kind,
        owner: "gateway",
        migrations: { ...GATEWAY_MIGRATIONS, "0002_fails": failing },
      }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(MigrationError);
      expect(String(error)).to.match(/migration 0002_fails failed.*the disk is full/);
      const names = (await tablesOf(db, "gateway", kind)).map((t) => t.name);
      expect(names).to.not.include("half_made");
      // 0001 ran in the same transaction: it is not kept either
      expect(names).to.not.include("gateway_captures");
      await db.destroy();
    });

    it("refuses a database a newer release has migrated, naming the migration it does not know", async () => {
      const options = await engine.options();
      const { db, engine: kind } = openDatabase<unknown>(options);
      await migrateToLatest({
        db,
        engine: kind,
        owner: "gateway",
        migrations: { ...GATEWAY_MIGRATIONS, "0002_from_the_future": { up: async () => undefined } },
      });
      const error = await OutboxStore.open(db as Kysely<GatewayTables>, kind).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(MigrationError);
      expect(String(error)).to.match(/gateway's database cannot be migrated.*0002_from_the_future/);
      await db.destroy();
    });

    // several instances share a PostgreSQL database; a SQLite file belongs to one process
    if (engine.name === "PostgreSQL")
      it("runs each migration once when several processes start on one database together", async () => {
        const options = await engine.options();
        const handles = Array.from({ length: 4 }, () => openDatabase<unknown>(options));
        const ran = await Promise.all(
          handles.map(({ db, engine: kind }) =>
            migrateToLatest({ db, engine: kind, owner: "indexer", migrations: INDEXER_MIGRATIONS }),
          ),
        );
        expect(ran.flat().sort()).to.deep.equal(Object.keys(INDEXER_MIGRATIONS));
        expect(await migrationsRun(handles[0].db, "indexer")).to.deep.equal(Object.keys(INDEXER_MIGRATIONS));
        for (const { db } of handles) await db.destroy();
      });

    it("keeps two services' bookkeeping apart in one database", async () => {
      const { db, engine: kind } = openDatabase<unknown>(await engine.options());
      await migrateToLatest({ db, engine: kind, owner: "gateway", migrations: GATEWAY_MIGRATIONS });
      await migrateToLatest({ db, engine: kind, owner: "relayer", migrations: relayerMigrations(kind) });
      expect(await migrationsRun(db, "gateway")).to.deep.equal(Object.keys(GATEWAY_MIGRATIONS));
      expect(await migrationsRun(db, "relayer")).to.deep.equal(Object.keys(relayerMigrations(kind)));
      await db.destroy();
    });
  });
}
