import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { connect, type Db, type Dialect } from "../../src/db/connect.js";
import { migrateToLatest } from "../../src/db/migrate.js";

/**
 * A real, migrated database per test: a fresh SQLite file, or a fresh schema in the Postgres named
 * by TEST_POSTGRES_URL. Postgres tests are skipped only when that variable is unset; CI sets it.
 */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

export const dialects: Dialect[] = POSTGRES_URL ? ["sqlite", "postgres"] : ["sqlite"];

export interface TestDb {
  db: Db;
  url: string;
  schema?: string;
  cleanup(): Promise<void>;
}

/** `migrate: false` leaves the database empty, for tests that migrate it step by step. */
export async function openTestDb(dialect: Dialect | "sqlite-memory" = "sqlite", options: { migrate?: boolean } = {}): Promise<TestDb> {
  const migrate = options.migrate === false ? async () => [] : migrateToLatest;
  if (dialect === "sqlite-memory") {
    const db = connect(":memory:");
    await migrate(db.kysely);
    return { db, url: ":memory:", cleanup: () => db.close() };
  }
  if (dialect === "postgres") {
    if (!POSTGRES_URL) throw new Error("TEST_POSTGRES_URL is not set");
    const schema = `gk_test_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
    const admin = connect(POSTGRES_URL);
    await sql`create schema ${sql.id(schema)}`.execute(admin.kysely);
    await admin.close();
    const db = connect(POSTGRES_URL, { schema });
    await migrate(db.kysely);
    return {
      db,
      url: POSTGRES_URL,
      schema,
      async cleanup() {
        await db.close();
        const dropper = connect(POSTGRES_URL);
        await sql`drop schema ${sql.id(schema)} cascade`.execute(dropper.kysely);
        await dropper.close();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-test-"));
  const file = path.join(dir, "test.db");
  const db = connect(file);
  await migrate(db.kysely);
  return {
    db,
    url: file,
    async cleanup() {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
