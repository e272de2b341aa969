import type { Kysely } from "kysely";

// Members who asked to be forgotten (`/forget-me`, `npm run forget`; src/engine/forget/). One row
// per community and member, holding no id: `member_hash` is sha256 of "<community>|<member id>", so
// the bot can recognise a replay of the member's old events (and drop it) without keeping who they
// were. `forgotten_at` (UTC) splits their events into old ones, dropped, and activity after it, which
// starts a new member. Forgetting the same member again moves it later.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("forgotten_members")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("member_hash", "text", (c) => c.notNull())
    .addColumn("forgotten_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("forgotten_members_pk", ["community_id", "member_hash"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("forgotten_members").ifExists().execute();
}
