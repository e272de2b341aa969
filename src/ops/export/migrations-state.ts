import { type Kysely, sql } from "kysely";
import { migrations } from "../../db/migrate.js";
import type { Database } from "../../db/schema.js";

/**
 * Which of this version's migrations the database has: an export names the newest in its file (a
 * restore refuses a file from a version it does not know), and refuses a database that is behind.
 * Read without migrating: exporting only reads, so it works while the bot runs.
 */
export async function appliedMigrations(db: Kysely<Database>): Promise<{ latest: string; pending: string[] }> {
  let applied = new Set<string>();
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    applied = new Set(rows.map((r) => r.name));
  } catch {
    // No bookkeeping table: a database nothing has migrated yet.
  }
  const known = Object.keys(migrations);
  return { latest: known.filter((m) => applied.has(m)).at(-1) ?? "", pending: known.filter((m) => !applied.has(m)) };
}
