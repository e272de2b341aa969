import { type Kysely, PostgresAdapter, sql } from "kysely";

/**
 * `totals_histogram`: per community, period and point value, how many members have exactly that
 * many points (rows at 0 points are not counted). A member's rank becomes a sum over the distinct
 * point values above theirs instead of a COUNT over every member above them (docs/standing.md).
 *
 * Filled here from the totals as they are, in the migration's transaction, so it starts equal to
 * `select points, count(*) from totals group by …`; from then on the points engine keeps it with
 * the totals, in the same transactions. On SQLite the table is WITHOUT ROWID: one B-tree ordered by
 * its key, which is also the order the rank query walks.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  let table = db.schema
    .createTable("totals_histogram")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("points", "integer", (c) => c.notNull())
    .addColumn("members", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("totals_histogram_pk", ["community_id", "period", "points"]);
  if (!postgres) table = table.modifyEnd(sql`without rowid`);
  await table.execute();
  await sql`insert into totals_histogram (community_id, period, points, members)
    select community_id, period, points, count(*) from totals where points <> 0 group by community_id, period, points`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("totals_histogram").ifExists().execute();
}
