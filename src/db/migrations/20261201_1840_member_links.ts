import type { Kysely } from "kysely";

// One person across platforms (src/engine/people/, docs/linked-identities.md).
//
// member_link_codes: the one-time codes `/link` hands out. Only a hash of the code is kept (a code
// read from a backup can't be spent); `cause_key` is the interaction that asked, so a replayed
// `/link` makes no second code; `used_at` spends it (single use); `created_at` rate-limits per member.
//
// member_links: every link and unlink, append-only, keyed by the interaction that did it, so a
// replayed `/link CODE` or `/unlink` changes nothing twice and the history of who was whose is kept.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("member_link_codes")
    // sha256 hex of the normalised code (`ABCD-EF23`).
    .addColumn("code_hash", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("cause_key", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .addColumn("used_by", "text")
    .execute();
  await db.schema.createIndex("member_link_codes_member").on("member_link_codes").columns(["community_id", "member_id", "created_at"]).execute();

  await db.schema
    .createTable("member_links")
    .addColumn("community_id", "text", (c) => c.notNull())
    // The interaction's natural key.
    .addColumn("key", "text", (c) => c.notNull())
    // link | unlink
    .addColumn("kind", "text", (c) => c.notNull())
    // The canonical member (the person) and the member that joined or left it.
    .addColumn("person_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("member_links_pk", ["community_id", "key", "member_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("member_links").ifExists().execute();
  await db.schema.dropTable("member_link_codes").ifExists().execute();
}
