import type { Kysely } from "kysely";

// One-time codes that join a second workspace (say, a Slack team) to an existing community (say,
// a Discord server's), so both share one ledger and one leaderboard.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("link_codes")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("link_codes").ifExists().execute();
}
