import { expect } from "chai";
import Sqlite from "better-sqlite3";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kysely, sql } from "kysely";
import { DurableSqliteDialect, walSync, type WalSync } from "../../src/store/durable-sqlite";
import { openDatabase } from "../../src/store/database";

interface Tables {
  t: { x: number };
}

/** A disk whose syncs finish only when the test says so. */
function heldDisk() {
  const waiting: (() => void)[] = [];
  const wal: WalSync = {
    sync: () => new Promise<void>((resolve) => waiting.push(resolve)),
    close: async () => undefined,
  };
  return { wal, waiting, release: () => waiting.splice(0).forEach((r) => r()) };
}

async function database(wal: WalSync) {
  const dir = mkdtempSync(join(tmpdir(), "trackroot-durable-"));
  const sqlite = new Sqlite(join(dir, "db.sqlite"));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.exec("create table t (x integer)");
  return new Kysely<Tables>({ dialect: new DurableSqliteDialect(sqlite, wal) });
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe("store/DurableSqliteDialect", () => {
  it("answers a write outside a transaction only once the WAL is on disk", async () => {
    const disk = heldDisk();
    const db = await database(disk.wal);
    const insert = db.insertInto("t").values({ x: 1 }).execute();
    expect(await settled(insert)).to.equal(false);
    expect(disk.waiting).to.have.length(1);
    disk.release();
    await insert;
    await db.destroy();
  });

  it("syncs a transaction once, at its commit, and never for a read", async () => {
    const disk = heldDisk();
    const db = await database(disk.wal);
    const tx = db.transaction().execute(async (t) => {
      for (const x of [1, 2, 3]) await t.insertInto("t").values({ x }).execute();
      await t.selectFrom("t").selectAll().execute();
    });
    expect(await settled(tx)).to.equal(false);
    expect(disk.waiting).to.have.length(1);
    disk.release();
    await tx;
    const read = db.selectFrom("t").selectAll().execute();
    await sql`select count(*) from t`.execute(db);
    expect((await read).length).to.equal(3);
    expect(disk.waiting).to.have.length(0);
    await db.destroy();
  });

  it("lets the event loop run while the disk syncs", async () => {
    const disk = heldDisk();
    const db = await database(disk.wal);
    const insert = db.insertInto("t").values({ x: 1 }).execute();
    let ticked = false;
    await new Promise<void>((r) => setTimeout(() => r(void (ticked = true)), 5));
    expect(ticked).to.equal(true);
    expect(await settled(insert)).to.equal(false);
    disk.release();
    await insert;
    await db.destroy();
  });

  it("fails the write when the disk cannot sync, so nothing unsynced is acknowledged", async () => {
    const db = await database({
      sync: async () => {
        throw new Error("EIO");
      },
      close: async () => undefined,
    });
    let error: unknown;
    await db
      .insertInto("t")
      .values({ x: 1 })
      .execute()
      .catch((e) => (error = e));
    expect((error as Error).message).to.equal("EIO");
    await db.destroy();
  });

  it("syncs the real write-ahead log of a file, and treats a file with no WAL yet as nothing to sync", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trackroot-durable-"));
    await walSync(join(dir, "none.sqlite")).sync();
    const { db } = openDatabase<Tables>({ sqlitePath: join(dir, "db.sqlite") });
    await sql`create table t (x integer)`.execute(db);
    await db.insertInto("t").values({ x: 7 }).execute();
    expect(await db.selectFrom("t").selectAll().execute()).to.deep.equal([{ x: 7 }]);
    await db.destroy();
  });

  it("copies the log into the database file from its own thread, long before SQLite's own checkpoint would", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trackroot-durable-"));
    const path = join(dir, "db.sqlite");
    const { db } = openDatabase<{ t: { x: string } }>({ sqlitePath: path });
    await sql`create table t (x text)`.execute(db);
    const before = statSync(path).size;
    // about 600 pages: far below the connection's backstop of 16,384
    for (let i = 0; i < 20; i++)
      await db
        .insertInto("t")
        .values(Array.from({ length: 30 }, () => ({ x: "x".repeat(4000) })))
        .execute();
    for (const deadline = Date.now() + 5000; statSync(path).size < before + 2_000_000 && Date.now() < deadline; )
      await new Promise((r) => setTimeout(r, 50));
    expect(statSync(path).size).to.be.greaterThan(before + 2_000_000);
    await db.destroy();
  });
});
