import { type Kysely, sql } from "kysely";

/**
 * Points become a function of the set of events (issue 7): every points event is remembered with
 * what the rules made of it, so a late event can recompute the days it falls in.
 *
 * Portable SQL only (SQLite and Postgres): one ADD COLUMN per statement, `||` for concatenation.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Messages as points events (see MessageTable): judged or not, granted, net of the ledger.
  await db.schema.alterTable("messages").addColumn("scored", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("messages").addColumn("gross", "integer").execute();
  await db.schema.alterTable("messages").addColumn("net", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("messages").addColumn("ledger_rows", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // A member's messages in a window (their day, the cooldown reaching back across midnight).
  await db.schema.createIndex("messages_member_time").on("messages").columns(["community_id", "member_id", "created_at"]).execute();

  await db.schema.alterTable("members").addColumn("watermark_at", "text").execute();
  await db.schema.alterTable("members").addColumn("watermark_key", "text").execute();

  await db.schema
    .createTable("reactions")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("message_key", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("added_at", "text")
    .addColumn("ended_at", "text")
    .addColumn("gross", "integer")
    .addColumn("net", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("ledger_rows", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("reactions_member_time").on("reactions").columns(["community_id", "member_id", "added_at"]).execute();
  // A message's reactions: claimed by its author when it arrives, ended when it is deleted.
  await db.schema.createIndex("reactions_message").on("reactions").column("message_key").execute();

  await db.schema
    .createTable("thanks")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("source_key", "text", (c) => c.notNull())
    .addColumn("giver_id", "text", (c) => c.notNull())
    .addColumn("receiver_id", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("ended_at", "text")
    .addColumn("counted", "integer", (c) => c.notNull())
    .addColumn("gross", "integer")
    .addColumn("net", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("ledger_rows", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("thanks_receiver_time").on("thanks").columns(["community_id", "receiver_id", "at"]).execute();
  await db.schema.createIndex("thanks_giver_time").on("thanks").columns(["community_id", "giver_id", "at"]).execute();
  await db.schema.createIndex("thanks_source").on("thanks").column("source_key").execute();

  await backfill(db);
}

/**
 * Databases written before this migration have ledger rows but no recorded events. Rebuild what
 * the ledger shows, conservatively: only messages that earned are marked judged (a refused one
 * stays refused should its day be recomputed), and each event's `ledger_rows` counts the rows
 * already keyed by it so a correction never reuses a key. Pre-migration `/thanks` givers are not
 * known ('' ): their budget for those days is not recomputed.
 */
async function backfill(db: Kysely<any>): Promise<void> {
  await sql`
    update messages set
      scored = case when exists (select 1 from ledger l where l.key = messages.message_key and l.amount <> 0) then 1 else 0 end,
      gross = (select l.amount from ledger l where l.key = messages.message_key and l.amount <> 0),
      net = coalesce((select sum(l.amount) from ledger l where l.key in (messages.message_key, messages.message_key || ':undo')), 0),
      ledger_rows = (select count(*) from ledger l where l.key in (messages.message_key, messages.message_key || ':undo'))
    where member_id <> ''`.execute(db);

  await sql`
    insert into reactions (key, community_id, message_key, actor_id, member_id, added_at, ended_at, gross, net, ledger_rows)
    select a.key, a.community_id, a.source_key, '', a.member_id, a.at,
      (select u.at from ledger u where u.key = a.key || ':undo'),
      case when a.member_id = '' then null else a.amount end,
      a.amount + coalesce((select u.amount from ledger u where u.key = a.key || ':undo'), 0),
      1 + (select count(*) from ledger u where u.key = a.key || ':undo')
    from ledger a where a.reason = 'reaction' and a.reverses is null`.execute(db);
  // Removals that overtook their add left only an undo tombstone.
  await sql`
    insert into reactions (key, community_id, message_key, actor_id, member_id, added_at, ended_at, gross, net, ledger_rows)
    select u.reverses, u.community_id, u.source_key, '', u.member_id, null, u.at, null, u.amount, 1
    from ledger u where u.reason = 'undo:reaction' and not exists (select 1 from ledger a where a.key = u.reverses)`.execute(db);

  await sql`
    insert into thanks (key, community_id, source_key, giver_id, receiver_id, at, ended_at, counted, gross, net, ledger_rows)
    select a.key, a.community_id, a.source_key,
      coalesce((select m.member_id from messages m where m.message_key = a.source_key), ''),
      a.member_id, a.at,
      (select u.at from ledger u where u.key = a.key || ':undo'),
      1, a.amount,
      a.amount + coalesce((select u.amount from ledger u where u.key = a.key || ':undo'), 0),
      1 + (select count(*) from ledger u where u.key = a.key || ':undo')
    from ledger a where a.reason = 'thanks' and a.reverses is null`.execute(db);

  await sql`
    update members set
      watermark_at = (select max(l.at) from ledger l where l.community_id = members.community_id and l.member_id = members.member_id and l.reverses is null),
      watermark_key = ''`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("thanks").ifExists().execute();
  await db.schema.dropTable("reactions").ifExists().execute();
  await db.schema.dropIndex("messages_member_time").ifExists().execute();
  for (const column of ["ledger_rows", "net", "gross", "scored"]) await db.schema.alterTable("messages").dropColumn(column).execute();
  for (const column of ["watermark_key", "watermark_at"]) await db.schema.alterTable("members").dropColumn(column).execute();
}
