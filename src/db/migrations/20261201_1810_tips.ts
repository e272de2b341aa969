import type { Kysely } from "kysely";

// Tips (src/engine/economy/tips.service.ts): one row per tip, beside the wallet movement that moved
// the points (same key). The wallet keeps the books; this table answers what the rules ask — how much
// a person gave this week (the allowance), to whom (the pair cap), and the back-and-forth between two
// people (collusion) — and is the tip history. Append-only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("tips")
    .addColumn("community_id", "text", (c) => c.notNull())
    // The interaction's natural key (also the wallet movement's cause key).
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("giver_id", "text", (c) => c.notNull())
    .addColumn("giver_person", "text", (c) => c.notNull())
    .addColumn("giver_name", "text", (c) => c.notNull())
    .addColumn("receiver_id", "text", (c) => c.notNull())
    .addColumn("receiver_person", "text", (c) => c.notNull())
    .addColumn("receiver_name", "text", (c) => c.notNull())
    .addColumn("amount", "integer", (c) => c.notNull())
    .addColumn("author_share", "integer", (c) => c.notNull())
    .addColumn("pool_share", "integer", (c) => c.notNull())
    // The ISO week in the community's timezone at the time of the tip: `week:2026-W49`.
    .addColumn("week", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    // The message "Tip the author" was used on; null for /tip.
    .addColumn("source_message_key", "text")
    .addPrimaryKeyConstraint("tips_pk", ["community_id", "key"])
    .execute();
  await db.schema.createIndex("tips_giver_week").on("tips").columns(["community_id", "giver_person", "week"]).execute();
  await db.schema.createIndex("tips_pair").on("tips").columns(["community_id", "giver_person", "receiver_person", "at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("tips").ifExists().execute();
}
