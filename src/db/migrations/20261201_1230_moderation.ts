import type { Kysely } from "kysely";

/**
 * Content quality (issue 10): a running mean and variance of the quality score per community, the
 * score of every message (a hash, never the text), the review queue, member reports, what each
 * reporter's past reports were worth, and the append-only audit log.
 *
 * Portable SQL only (SQLite and Postgres): ids are made by the app, times are ISO text, real
 * numbers are `double precision` (SQLite reads it as REAL).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("mod_stats")
    .addColumn("community_id", "text", (c) => c.primaryKey())
    .addColumn("n", "integer", (c) => c.notNull())
    .addColumn("mean", "double precision", (c) => c.notNull())
    .addColumn("m2", "double precision", (c) => c.notNull())
    .addColumn("seen", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("mod_scores")
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
  await db.schema
    .createTable("mod_items")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("message_key", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("excerpt", "text", (c) => c.notNull())
    .addColumn("reasons", "text", (c) => c.notNull())
    .addColumn("q", "double precision")
    .addColumn("z", "double precision")
    .addColumn("auto_flag", "integer", (c) => c.notNull())
    .addColumn("report_weight", "double precision", (c) => c.notNull())
    .addColumn("reporters", "integer", (c) => c.notNull())
    .addColumn("queued", "integer", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("edited_at", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("decided_by", "text")
    .addColumn("decided_at", "text")
    .addColumn("decision_reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("mod_items_message").on("mod_items").columns(["community_id", "message_key"]).unique().execute();
  await db.schema.createIndex("mod_items_number").on("mod_items").columns(["community_id", "number"]).unique().execute();
  await db.schema.createIndex("mod_items_status").on("mod_items").columns(["community_id", "status", "number"]).execute();

  await db.schema
    .createTable("mod_reports")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("message_key", "text", (c) => c.notNull())
    .addColumn("reporter_id", "text", (c) => c.notNull())
    .addColumn("weight", "double precision", (c) => c.notNull())
    .addColumn("via", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("mod_reports_pk", ["message_key", "reporter_id"])
    .execute();

  await db.schema
    .createTable("mod_reporters")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("agreed", "integer", (c) => c.notNull())
    .addColumn("rejected", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("mod_reporters_pk", ["community_id", "member_id"])
    .execute();

  await db.schema
    .createTable("mod_audit")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("seq", "text", (c) => c.notNull())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("member_id", "text")
    .addColumn("message_key", "text")
    .addColumn("item_number", "integer")
    .addColumn("reason", "text")
    .addColumn("points_before", "integer")
    .addColumn("points_after", "integer")
    .execute();
  await db.schema.createIndex("mod_audit_member").on("mod_audit").columns(["community_id", "member_id", "seq"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["mod_audit", "mod_reporters", "mod_reports", "mod_items", "mod_scores", "mod_stats"]) await db.schema.dropTable(table).execute();
}
