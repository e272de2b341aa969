import type { Kysely } from "kysely";

// The knowledge base (src/engine/knowledge/): one row per solved question from a public channel —
// the question (its title or first message) and the accepted answer, with links — written when an
// answer is accepted and deleted when it is unaccepted, or the question or answer is deleted,
// removed or forgotten. The full-text index over it comes with migration 20261201_1910_kb_search.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("kb_entries")
    .addColumn("community_id", "text", (c) => c.notNull())
    // The question's natural key: its starter message (`discord:msg:<thread id>`, `slack:<team>:<channel>:<ts>`).
    .addColumn("question_key", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("question_text", "text", (c) => c.notNull())
    .addColumn("answer_text", "text", (c) => c.notNull())
    .addColumn("question_link", "text", (c) => c.notNull())
    .addColumn("answer_link", "text", (c) => c.notNull())
    .addColumn("answer_key", "text", (c) => c.notNull())
    .addColumn("channel_key", "text", (c) => c.notNull())
    .addColumn("asker_id", "text", (c) => c.notNull())
    .addColumn("answer_author_id", "text", (c) => c.notNull())
    .addColumn("solved_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("kb_entries_pk", ["community_id", "question_key"])
    .execute();
  // Deleting a message takes out the entry it is the answer of.
  await db.schema.createIndex("kb_entries_answer").on("kb_entries").columns(["community_id", "answer_key"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("kb_entries").ifExists().execute();
}
