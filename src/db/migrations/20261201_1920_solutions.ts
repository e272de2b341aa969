import type { Kysely } from "kysely";

// Accepted answers (src/engine/knowledge/): one row per question that has, or had, a reply marked as
// its solution. Points move by ledger rows; this row says which award is in force, so a change or an
// unmark reverses exactly that one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("solved_questions")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("question_key", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("answer_key", "text", (c) => c.notNull())
    .addColumn("answer_author_id", "text", (c) => c.notNull())
    .addColumn("asker_id", "text", (c) => c.notNull())
    .addColumn("marked_by", "text", (c) => c.notNull())
    .addColumn("changed_at", "text", (c) => c.notNull())
    .addColumn("thread_place", "text", (c) => c.notNull())
    .addColumn("channel_key", "text", (c) => c.notNull())
    .addColumn("award_seq", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("award_key", "text")
    .addColumn("award_points", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("bounty_paid", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("solved_questions_pk", ["community_id", "question_key"])
    .execute();
  // A deleted message finds the question it is the accepted answer of.
  await db.schema.createIndex("solved_questions_answer").on("solved_questions").columns(["community_id", "answer_key"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("solved_questions").ifExists().execute();
}
