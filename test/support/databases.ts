import { Client } from "pg";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseOptions } from "../../src/store/database";

/** The PostgreSQL server these machines run (trust auth), or TRACKROOT_TEST_POSTGRES_URL. */
export const POSTGRES_URL = process.env.TRACKROOT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Both engines, each with a fresh place to write: a new SQLite file, or a new PostgreSQL schema
 * (selected through the connection's search_path) so runs never see each other's rows.
 */
export const ENGINES: { name: string; options: () => Promise<DatabaseOptions> }[] = [
  {
    name: "SQLite",
    options: async () => ({ sqlitePath: join(mkdtempSync(join(tmpdir(), "trackroot-db-")), "relayer.db") }),
  },
  {
    name: "PostgreSQL",
    options: async () => {
      const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      const client = new Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.end();
      const url = new URL(POSTGRES_URL);
      url.searchParams.set("options", `-c search_path=${schema}`);
      return { url: url.toString() };
    },
  },
];
