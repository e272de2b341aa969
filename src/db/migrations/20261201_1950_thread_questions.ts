import type { Kysely } from "kysely";

// The question of every thread that got a reply (src/engine/knowledge/thread-questions.ts): its
// text, written when the first reply arrives while the bot still remembers the question, so a
// question solved days later — or after a restart — goes into the knowledge base with its words.
// One row per thread, not per message; deleted with the message, and with a member who is forgotten.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("thread_questions")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("question_key", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("author_id", "text", (c) => c.notNull())
    // 1: the platform said not every member can read where it was asked; null: it didn't say.
    .addColumn("restricted", "integer")
    .addColumn("at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("thread_questions_pk", ["community_id", "question_key"])
    .execute();
  await db.schema.createIndex("thread_questions_author").on("thread_questions").columns(["community_id", "author_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("thread_questions").ifExists().execute();
}
