import type { Kysely } from "kysely";

// Member feedback (src/engine/feedback/): what a member sent with `/feedback send`, the card it
// became for organizers, and how it ended (answered, with the answer the member was sent, or
// closed). Ids are made in the app and times are ISO-8601 UTC text, as everywhere.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("feedback")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    // What organizers and the member read and type (`/feedback answer 3`): 1, 2, 3 … per community.
    .addColumn("number", "integer", (c) => c.notNull())
    // The `/feedback send` interaction's natural key: a replay finds this row and sends nothing more.
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("member_name", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    // The outbox dedupe key of the organizers' card: edits name it.
    .addColumn("card_key", "text", (c) => c.notNull())
    // open | answered | closed; moved only from `open`, by a conditional update.
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("answer", "text")
    .addColumn("reason", "text")
    .addColumn("decided_by", "text")
    .addColumn("decided_by_name", "text")
    // The interaction that answered or closed it: its replay gets the same answer, not a refusal.
    .addColumn("decided_key", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("decided_at", "text")
    .execute();
  await db.schema.createIndex("feedback_key").on("feedback").columns(["community_id", "key"]).unique().execute();
  await db.schema.createIndex("feedback_number").on("feedback").columns(["community_id", "number"]).unique().execute();
  // `/feedback mine` and the daily limit read one member's rows by time.
  await db.schema.createIndex("feedback_member").on("feedback").columns(["community_id", "member_id", "created_at"]).execute();
  // `/feedback list`: the open ones, then the latest decided.
  await db.schema.createIndex("feedback_state").on("feedback").columns(["community_id", "state", "decided_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("feedback").ifExists().execute();
}
