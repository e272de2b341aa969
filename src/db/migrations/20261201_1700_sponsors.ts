import type { Kysely } from "kysely";

// Sponsors (src/engine/sponsors/): the sponsors themselves (current state; removal is a status),
// an append-only history of what organizers did to them, the contribution ledger (append-only,
// corrections are negative rows) and the impressions (one row per shown shout-out, keyed by its
// slot). Ids are made in the app and times are ISO-8601 UTC text, as everywhere.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("sponsors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    // The name folded for look-ups (NFKC, lower case, single spaces): one sponsor per folded name.
    .addColumn("name_key", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    // gold | silver | bronze
    .addColumn("tier", "text", (c) => c.notNull())
    .addColumn("blurb", "text", (c) => c.notNull())
    // active | removed — a removed sponsor keeps its row, contributions and impressions.
    .addColumn("status", "text", (c) => c.notNull())
    // Its own shout-out schedule: a 5-field cron read in the community's timezone, or null.
    .addColumn("schedule", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    // When it last became active (added, or added again after a removal): rotation counts from here.
    .addColumn("active_since", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sponsors_name").on("sponsors").columns(["community_id", "name_key"]).unique().execute();

  // What organizers did, once per command invocation (its natural key): added, updated, removed, scheduled.
  await db.schema
    .createTable("sponsor_changes")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("sponsor_id", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    // JSON of what it set (tier, url, blurb, schedule).
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("sponsor_changes_pk", ["community_id", "key"])
    .execute();

  // The ledger: R_t is the sum of a sponsor's rows in quarter t. Never updated or deleted.
  await db.schema
    .createTable("sponsor_contributions")
    .addColumn("community_id", "text", (c) => c.notNull())
    // The natural key of the cause (the command invocation), so a replayed interaction adds nothing.
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("sponsor_id", "text", (c) => c.notNull())
    // In the currency's smallest unit (cents for USD); negative for a correction.
    .addColumn("amount", "integer", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    // `2026-Q4`, in the community's timezone when it was recorded.
    .addColumn("quarter", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("sponsor_contributions_pk", ["community_id", "key"])
    .execute();
  await db.schema.createIndex("sponsor_contributions_sponsor").on("sponsor_contributions").columns(["community_id", "sponsor_id", "quarter"]).execute();

  // One row per shout-out shown, keyed by its slot (`digest:2026-W48`, `sponsor:<id>:<slot>`).
  await db.schema
    .createTable("sponsor_impressions")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("slot_key", "text", (c) => c.notNull())
    .addColumn("sponsor_id", "text", (c) => c.notNull())
    // rotation (the digest's pick) | schedule (the sponsor's own schedule)
    .addColumn("source", "text", (c) => c.notNull())
    // The slot's local ISO week as a number of weeks since Monday 1970-01-05: the rotation's clock.
    .addColumn("week", "integer", (c) => c.notNull())
    .addColumn("quarter", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("sponsor_impressions_pk", ["community_id", "slot_key"])
    .execute();
  await db.schema.createIndex("sponsor_impressions_sponsor").on("sponsor_impressions").columns(["community_id", "source", "sponsor_id", "week"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["sponsor_impressions", "sponsor_contributions", "sponsor_changes", "sponsors"]) await db.schema.dropTable(table).execute();
}
