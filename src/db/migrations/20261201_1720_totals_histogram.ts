import { type Kysely, PostgresAdapter, sql } from "kysely";

/**
 * `totals_histogram`: per community and period, how many members have points in
 * [points, points + width) — width 1 (exactly that many points) and width 256 (a coarse row per
 * 256 values, starting at a multiple of 256); members at 0 points are in neither. A member's rank
 * becomes a sum over at most ~256 exact rows and one coarse row per 256 points above theirs,
 * instead of a COUNT over every member above them (docs/standing.md).
 *
 * Filled here from the totals as they are, in the migration's transaction, so it starts equal to
 * the totals grouped by points (and by 256-point range); from then on the points engine keeps it
 * with the totals, in the same transactions. On SQLite the table is WITHOUT ROWID: one B-tree
 * ordered by its key, which is also the order the rank query walks.
 *
 * 256 is also TotalsHistogram's COARSE_WIDTH: changing one means a new migration rebuilding the rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  let table = db.schema
    .createTable("totals_histogram")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("width", "integer", (c) => c.notNull())
    .addColumn("points", "integer", (c) => c.notNull())
    .addColumn("members", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("totals_histogram_pk", ["community_id", "period", "width", "points"]);
  if (!postgres) table = table.modifyEnd(sql`without rowid`);
  await table.execute();
  await sql`insert into totals_histogram (community_id, period, width, points, members)
    select community_id, period, 1, points, count(*) from totals where points <> 0 group by community_id, period, points`.execute(db);
  // The range's start is points rounded down to a multiple of 256; % keeps the dividend's sign on
  // both databases, hence the + 256 for negative points.
  await sql`insert into totals_histogram (community_id, period, width, points, members)
    select community_id, period, 256, points - ((points % 256) + 256) % 256 as start, count(*) from totals where points <> 0
    group by community_id, period, points - ((points % 256) + 256) % 256`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("totals_histogram").ifExists().execute();
}
