import type { Kysely } from "kysely";

/**
 * The weekly digest (src/engine/digest/): honors awarded once per community, week and honor;
 * the week's message and thread-reply counts, kept by the digest's event handler; questions and
 * when they first got a reply from someone else (the health figures); and an index on thanks by
 * time, so "most thanks received this week" reads one week's rows, not every member's.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("digest_honors")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("week", "text", (c) => c.notNull())
    .addColumn("honor", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("value", "integer", (c) => c.notNull())
    .addColumn("awarded_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("digest_honors_pk", ["community_id", "week", "honor"])
    .execute();
  await db.schema.createIndex("digest_honors_member").on("digest_honors").columns(["community_id", "member_id", "week"]).execute();

  await db.schema
    .createTable("health_weeks")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("week", "text", (c) => c.notNull())
    .addColumn("messages", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("replies", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("health_weeks_pk", ["community_id", "week"])
    .execute();

  await db.schema
    .createTable("health_questions")
    .addColumn("message_key", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("asked_at", "text", (c) => c.notNull())
    .addColumn("first_reply_at", "text")
    .execute();
  await db.schema.createIndex("health_questions_time").on("health_questions").columns(["community_id", "asked_at"]).execute();

  await db.schema.createIndex("thanks_community_time").on("thanks").columns(["community_id", "at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("thanks_community_time").ifExists().execute();
  for (const table of ["health_questions", "health_weeks", "digest_honors"]) await db.schema.dropTable(table).ifExists().execute();
}
