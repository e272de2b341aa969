import { type Kysely, sql, SqliteAdapter } from "kysely";
import type { Database } from "../../db/schema.js";

/**
 * Erasing in SQLite takes more than DELETE and UPDATE: by default the old bytes of a changed or
 * deleted row stay in the file's free space, and an FTS5 index keeps a deleted entry's words in
 * its segments until they are merged (both measured: the member's name was still in the file, and
 * in `kb_fts_data`, after an ordinary forgetting). So on SQLite a forgetting runs with
 * `secure_delete` on (freed content is overwritten with zeros), merges the knowledge base's
 * full-text indexes if it deleted entries (`optimize`: ~0.2 s at 100 000 entries), and after it
 * has committed, checkpoints the write-ahead log into the file and truncates it, so the old page
 * images in the log go too. On Postgres none applies: old row versions are dead tuples that
 * (auto)vacuum reclaims (docs/forget-me.md).
 */
export function isSqlite(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** Runs `work` with `secure_delete` on (SQLite), restoring what it was. */
export async function withSecureDelete<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  if (!isSqlite(db)) return work();
  const before = (await sql<{ secure_delete: number }>`pragma secure_delete`.execute(db)).rows[0]?.secure_delete ?? 0;
  await sql`pragma secure_delete = on`.execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`pragma secure_delete = ${Number(before) ? "on" : "off"}`).execute(db);
  }
}

/** Merges the knowledge base's FTS5 indexes (the tables of migration 20261201_1910_kb_search), dropping deleted entries' words. */
export async function purgeFullTextIndex(db: Kysely<Database>): Promise<void> {
  if (!isSqlite(db)) return;
  await sql`insert into kb_fts(kb_fts) values('optimize')`.execute(db);
  await sql`insert into kb_fts_cjk(kb_fts_cjk) values('optimize')`.execute(db);
}

/**
 * After the forgetting committed: the log's pages into the file, and the log truncated. Best
 * effort — with a reader in the way it copies what it can, and the bot's checkpoints and the log's
 * reuse finish the job.
 */
export async function checkpointAway(db: Kysely<Database>): Promise<void> {
  if (!isSqlite(db)) return;
  try {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  } catch {
    // A busy database: the checkpointer's next passes do it.
  }
}
