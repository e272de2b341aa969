import type { Kysely } from "kysely";

// The engine's durable outbox: what the engine decided to say, written in the same transaction as
// the decision, then delivered by a loop (src/engine/outbox/). Ids are made in the app and times
// are ISO-8601 UTC text, so the table reads the same on SQLite and Postgres.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("platform", "text", (c) => c.notNull())
    // post | edit | delete | dm
    .addColumn("operation", "text", (c) => c.notNull())
    // JSON: a Place for post/edit/delete, {"memberId"} for dm; null for an edit/delete of our own post by reference.
    .addColumn("destination", "text")
    // JSON Reply; null for deletes.
    .addColumn("reply", "text")
    // Names the row: enqueueing the same key again is a no-op.
    .addColumn("dedupe_key", "text", (c) => c.notNull().unique())
    // For edits/deletes of our own posts: the dedupe key of the post, resolved at delivery.
    .addColumn("ref_key", "text")
    // For edits/deletes of a message known by its platform id (a member's message).
    .addColumn("target_message_id", "text")
    // pending | sending | sent | refused | failed
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    // Re-sends whose first try may already have posted (Slack has no idempotency key): at most one.
    .addColumn("risked_repeats", "integer", (c) => c.notNull().defaultTo(0))
    // 1 when the last attempt may have taken effect although it was not confirmed.
    .addColumn("last_attempt_uncertain", "integer", (c) => c.notNull().defaultTo(0))
    // When the row is next due; while 'sending', when the claim lapses.
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("last_attempt_at", "text")
    .addColumn("platform_message_id", "text")
    // JSON Place the message landed in (a DM's conversation), for later edits and deletes.
    .addColumn("delivered_to", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema.createIndex("outbox_due").on("outbox").columns(["state", "next_attempt_at"]).execute();
  await db.schema.createIndex("outbox_ref").on("outbox").column("ref_key").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("outbox").ifExists().execute();
}
