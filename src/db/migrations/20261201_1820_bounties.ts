import { type Kysely, sql } from "kysely";

// Bounties (src/engine/economy/bounties.service.ts): points a member puts on a question, held in the
// wallet's escrow account `@escrow:<id>` until they are awarded to an answerer or, unawarded after
// `economy.bountyDays`, refunded by a durable timer. The points themselves move in wallet_entries;
// this table says what each bounty is for and how it ended.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("bounties")
    .addColumn("community_id", "text", (c) => c.notNull())
    // Made in the app from the posting interaction's key, so a replay finds the same bounty.
    .addColumn("id", "text", (c) => c.notNull())
    // The interaction that posted it: one bounty per interaction.
    .addColumn("cause_key", "text", (c) => c.notNull())
    // The question's message key (a thread's or forum post's starter message, or a linked message).
    .addColumn("question_key", "text", (c) => c.notNull())
    // JSON Place of the question's thread, where the answerer is told; null: they are told by DM.
    .addColumn("question_place", "text")
    .addColumn("question_link", "text")
    .addColumn("poster_id", "text", (c) => c.notNull())
    .addColumn("poster_name", "text", (c) => c.notNull())
    .addColumn("amount", "integer", (c) => c.notNull())
    // open | awarded | expired
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("answerer_id", "text")
    .addColumn("answerer_name", "text")
    // Who awarded it (the poster, a moderator, or whoever marked the solution).
    .addColumn("settled_by", "text")
    // The cause of the award (an interaction, a solution mark) or the expiry timer.
    .addColumn("settle_key", "text")
    .addColumn("settled_at", "text")
    .addPrimaryKeyConstraint("bounties_pk", ["community_id", "id"])
    .execute();
  await db.schema.createIndex("bounties_cause").on("bounties").columns(["community_id", "cause_key"]).unique().execute();
  // At most one open bounty per question, on both dialects (a partial index; a literal, not a parameter).
  await db.schema.createIndex("bounties_open_question").on("bounties").columns(["community_id", "question_key"]).unique().where(sql.ref("status"), "=", sql.lit("open")).execute();
  await db.schema.createIndex("bounties_question").on("bounties").columns(["community_id", "question_key", "created_at"]).execute();
  await db.schema.createIndex("bounties_status").on("bounties").columns(["community_id", "status", "amount"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("bounties").ifExists().execute();
}
