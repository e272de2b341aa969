import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // One row per member per level ever reached: the level-up is announced (and its role granted)
  // once, however often points dip below the threshold and climb back.
  await db.schema
    .createTable("level_ups")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("level", "integer", (c) => c.notNull())
    .addColumn("reached_at", "text", (c) => c.notNull())
    /** Where the event that reached it happened (`<platform>:<workspace>:<channel>`). */
    .addColumn("channel_key", "text", (c) => c.notNull())
    .addColumn("announced_at", "text")
    .addPrimaryKeyConstraint("level_ups_pk", ["community_id", "member_id", "level"])
    .execute();

  // "Tell the moderators once": a notice key is written the first time only.
  await db.schema
    .createTable("notices")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("notices_pk", ["community_id", "key"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("notices").ifExists().execute();
  await db.schema.dropTable("level_ups").ifExists().execute();
}
