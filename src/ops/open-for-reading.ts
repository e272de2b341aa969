import fs from "node:fs";
import { connect, type Db } from "../db/connect.js";
import { DatabaseStartError } from "../db/database-errors.js";
import { parseDatabaseUrl } from "../db/database-url.js";
import { migrateToLatest } from "../db/migrate.js";
import { appliedMigrations } from "./export/migrations-state.js";

/**
 * A database to read while the bot may be running on it (`npm run export`, `npm run import --
 * --dry-run`), as `npm run talks:ics` opens one: no writer lock, no migrations. It must be
 * migrated to this version already. A SQLite file that does not exist yet is not created: an
 * export refuses it, a dry run reads an empty stand-in in memory (every member would be new).
 */
export async function openForReading(url: string, o: { missing: "empty" | "refuse" } = { missing: "empty" }): Promise<{ db: Db; close(): Promise<void> }> {
  const target = parseDatabaseUrl(url);
  if ("error" in target) throw new DatabaseStartError(`DATABASE_URL: ${target.error}`);
  if (target.dialect === "sqlite" && target.file !== ":memory:" && !fs.existsSync(target.file)) {
    if (o.missing === "refuse") throw new DatabaseStartError(`there is no database at ${target.file} yet: nothing to export. Set DATABASE_URL to the bot's database.`);
    const db = connect(":memory:");
    await migrateToLatest(db.kysely);
    return { db, close: () => db.close() };
  }
  const db = connect(url);
  try {
    const state = await appliedMigrations(db.kysely);
    if (state.pending.length > 0) {
      throw new DatabaseStartError(`the database is not migrated to this version (${state.pending.length} migration${state.pending.length === 1 ? "" : "s"} pending): run npm run migrate first (this command only reads).`);
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  return { db, close: () => db.close() };
}
