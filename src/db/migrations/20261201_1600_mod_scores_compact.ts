import { type Kysely, PostgresAdapter, sql } from "kysely";

/**
 * `mod_scores` is written once for every message, on the hot path. It had two columns nothing
 * reads (the channel and the text's hash: repeats are found in memory, recent-repeats.ts), and on
 * SQLite a text primary key on an ordinary table is two B-trees — the table by rowid and an index
 * by key — so every insert wrote both. Here it loses the two columns and, on SQLite, becomes a
 * WITHOUT ROWID table: one B-tree ordered by message key. Postgres has no rowid; it only drops the
 * columns.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema.alterTable("mod_scores").dropColumn("channel_key").execute();
    await db.schema.alterTable("mod_scores").dropColumn("text_hash").execute();
    return;
  }
  await db.schema
    .createTable("mod_scores_compact")
    .addColumn("message_key", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("q", "double precision", (c) => c.notNull())
    .addColumn("z", "double precision")
    .addColumn("counted", "integer", (c) => c.notNull())
    .addColumn("flagged", "integer", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("edit_at", "text")
    .addColumn("edit_key", "text")
    .modifyEnd(sql`without rowid`)
    .execute();
  await sql`insert into mod_scores_compact (message_key, community_id, member_id, q, z, counted, flagged, at, edit_at, edit_key)
    select message_key, community_id, member_id, q, z, counted, flagged, at, edit_at, edit_key from mod_scores`.execute(db);
  await db.schema.dropTable("mod_scores").execute();
  await db.schema.alterTable("mod_scores_compact").renameTo("mod_scores").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // Back to the first shape (an ordinary table; the two columns come back empty).
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema.alterTable("mod_scores").addColumn("channel_key", "text", (c) => c.notNull().defaultTo("")).execute();
    await db.schema.alterTable("mod_scores").addColumn("text_hash", "text", (c) => c.notNull().defaultTo("")).execute();
    return;
  }
  await db.schema
    .createTable("mod_scores_rowid")
    .addColumn("message_key", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("channel_key", "text", (c) => c.notNull())
    .addColumn("text_hash", "text", (c) => c.notNull())
    .addColumn("q", "double precision", (c) => c.notNull())
    .addColumn("z", "double precision")
    .addColumn("counted", "integer", (c) => c.notNull())
    .addColumn("flagged", "integer", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("edit_at", "text")
    .addColumn("edit_key", "text")
    .execute();
  await sql`insert into mod_scores_rowid (message_key, community_id, member_id, channel_key, text_hash, q, z, counted, flagged, at, edit_at, edit_key)
    select message_key, community_id, member_id, '', '', q, z, counted, flagged, at, edit_at, edit_key from mod_scores`.execute(db);
  await db.schema.dropTable("mod_scores").execute();
  await db.schema.alterTable("mod_scores_rowid").renameTo("mod_scores").execute();
}
