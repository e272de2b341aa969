import type { Kysely } from "kysely";

// Code-review requests (src/engine/reviews/): a member asks for a review of a pull request or a
// snippet with `/review request`; the card in `channels.reviews` is claimed by a reviewer, marked
// done by the requester (the reviewer earns `reviews.points`), or released when a claim lapses
// after `reviews.claimHours` (a durable timer). One row per request; the points are ledger rows.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("code_reviews")
    .addColumn("community_id", "text", (c) => c.notNull())
    // 1, 2, 3 … per community: what members type (`/review claim 3`).
    .addColumn("number", "integer", (c) => c.notNull())
    // The requesting interaction: a replay finds the same request rather than making a second.
    .addColumn("request_key", "text", (c) => c.notNull())
    .addColumn("requester_id", "text", (c) => c.notNull())
    .addColumn("requester_name", "text", (c) => c.notNull())
    // url | snippet: what `subject` holds (a normalised https URL, or the snippet as typed).
    .addColumn("subject_kind", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("description", "text")
    // JSON Place of the card (channels.reviews when it was requested); its outbox key names it for edits.
    .addColumn("card_place", "text", (c) => c.notNull())
    .addColumn("card_key", "text", (c) => c.notNull())
    // Each edit of the card is its own outbox row: `<card_key>:r<revision>`.
    .addColumn("revision", "integer", (c) => c.notNull())
    // open | claimed | done | cancelled
    .addColumn("status", "text", (c) => c.notNull())
    // How many times it was claimed: names the current claim (and its lapse timer), so a timer
    // armed for an earlier claim finds a different number and does nothing.
    .addColumn("claims", "integer", (c) => c.notNull())
    .addColumn("claimer_id", "text")
    .addColumn("claimer_name", "text")
    .addColumn("claim_key", "text")
    .addColumn("claimed_at", "text")
    .addColumn("claim_until", "text")
    // The last claim that ended without a review (lapsed | released), for the card's note.
    .addColumn("released_id", "text")
    .addColumn("released_name", "text")
    .addColumn("released_how", "text")
    // Who finished it (the requester marking it done, or whoever cancelled it), with which interaction.
    .addColumn("closed_by", "text")
    .addColumn("close_key", "text")
    .addColumn("closed_at", "text")
    // Points the reviewer earned when it was marked done (0 with reviews.points 0).
    .addColumn("points", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("code_reviews_pk", ["community_id", "number"])
    .execute();
  await db.schema.createIndex("code_reviews_request").on("code_reviews").columns(["community_id", "request_key"]).unique().execute();
  await db.schema.createIndex("code_reviews_status").on("code_reviews").columns(["community_id", "status", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("code_reviews").ifExists().execute();
}
