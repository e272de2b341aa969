import type { Kysely } from "kysely";

// Portable SQL only: ids are made by the app, times are ISO text, flags are integers.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("communities")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("settings", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("community_workspaces")
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id"))
    .addPrimaryKeyConstraint("community_workspaces_pk", ["platform", "workspace_id"])
    .execute();

  await db.schema
    .createTable("members")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("is_bot", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("first_seen_at", "text", (c) => c.notNull())
    .addColumn("last_message_award_at", "text")
    .addColumn("activity_day", "text")
    .addColumn("activity_points", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("thanks_given", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("points", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("members_pk", ["community_id", "member_id"])
    .execute();

  await db.schema
    .createTable("messages")
    .addColumn("message_key", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("channel_key", "text", (c) => c.notNull())
    .addColumn("thread_parent_key", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .execute();

  await db.schema
    .createTable("ledger")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("amount", "integer", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("source_key", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("reverses", "text")
    .execute();
  // A deleted message takes back every award it was the source of.
  await db.schema.createIndex("ledger_source").on("ledger").column("source_key").execute();

  await db.schema
    .createTable("totals")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("points", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("totals_pk", ["community_id", "period", "member_id"])
    .execute();
  // Top-N and "my rank" walk this index instead of sorting a million rows; member_id breaks ties
  // in a stable order without a sort.
  await db.schema
    .createIndex("totals_rank")
    .on("totals")
    .columns(["community_id", "period", "points desc"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["totals", "ledger", "messages", "members", "community_workspaces", "communities"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
