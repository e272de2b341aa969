import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import type { DigestWeek } from "./digest-week.js";
import { CHUNK_ROWS, yieldToEventLoop } from "./yield.js";

type Db = Kysely<Database>;

/** A member who earned their first points in the week (first seen by the engine that week). */
export interface Newcomer {
  memberId: string;
  displayName: string;
  points: number;
}

/** What one pass over a week's totals finds. */
export interface WeekScan {
  /** Sum of everyone's points in the week (reversals included). */
  points: number;
  /** Members with more than 0 points in the week. */
  active: number;
  /** Of those, members who also had points the week before. */
  returning: number;
  /** Of those, members first seen that week. */
  newMembers: number;
  /** The newcomers with the most points in the week, most first (at most `newcomerLimit`). */
  newcomers: Newcomer[];
}

/**
 * One pass over a week's totals in member order, `CHUNK_ROWS` at a time along the totals primary
 * key (community, period, member), yielding between chunks. Per chunk: one aggregate over the
 * chunk joined to the week before (primary-key look-ups), and one join to members for who is new. Nothing is sorted or grouped over the whole week, so no single query grows with the community.
 */
export async function scanWeek(db: Db, communityId: string, week: DigestWeek, newcomerLimit = 5): Promise<WeekScan> {
  const scan: WeekScan = { points: 0, active: 0, returning: 0, newMembers: 0, newcomers: [] };
  let after = "";
  for (;;) {
    // The chunk's sum and actives, and how many of its actives had points the week before (a
    // primary-key look-up each), in one statement.
    const chunk = await sql<{ n: number | string; points: number | string | null; active: number | string | null; back: number | string | null; last: string | null }>`
      select count(*) as n, sum(c.points) as points, sum(case when c.points > 0 then 1 else 0 end) as active,
             sum(case when c.points > 0 and b.points > 0 then 1 else 0 end) as back, max(c.member_id) as last
      from (select member_id, points from totals
            where community_id = ${communityId} and period = ${week.period} and member_id > ${after}
            order by member_id limit ${CHUNK_ROWS}) c
      left join totals b on b.community_id = ${communityId} and b.period = ${week.previousPeriod} and b.member_id = c.member_id`.execute(db);
    const row = chunk.rows[0];
    if (!row || Number(row.n) === 0 || row.last === null) break;
    const last = row.last;
    scan.points += Number(row.points ?? 0);
    scan.active += Number(row.active ?? 0);
    scan.returning += Number(row.back ?? 0);
    await yieldToEventLoop();

    const fresh = await sql<{ member_id: string; display_name: string; points: number }>`
      select t.member_id, m.display_name, t.points from totals t
      join members m on m.community_id = t.community_id and m.member_id = t.member_id
      where t.community_id = ${communityId} and t.period = ${week.period} and t.member_id > ${after} and t.member_id <= ${last}
        and t.points > 0 and m.first_seen_at >= ${week.start} and m.first_seen_at < ${week.end} and m.is_bot = 0`.execute(db);
    scan.newMembers += fresh.rows.length;
    for (const r of fresh.rows) keepTop(scan.newcomers, { memberId: r.member_id, displayName: r.display_name, points: Number(r.points) }, newcomerLimit);
    if (Number(row.n) < CHUNK_ROWS) break;
    after = last;
    await yieldToEventLoop();
  }
  return scan;
}

/** Members with points in a week, counted in chunks (the previous week's actives, the chart). */
export async function countActive(db: Db, communityId: string, period: string): Promise<number> {
  let active = 0;
  let after = "";
  for (;;) {
    const chunk = await sql<{ n: number | string; active: number | string | null; last: string | null }>`
      select count(*) as n, sum(case when points > 0 then 1 else 0 end) as active, max(member_id) as last
      from (select member_id, points from totals
            where community_id = ${communityId} and period = ${period} and member_id > ${after}
            order by member_id limit ${CHUNK_ROWS}) c`.execute(db);
    const row = chunk.rows[0];
    if (!row || Number(row.n) === 0 || row.last === null) break;
    active += Number(row.active ?? 0);
    if (Number(row.n) < CHUNK_ROWS) break;
    after = row.last;
    await yieldToEventLoop();
  }
  return active;
}

/** Keeps `list` the `limit` best by points (ties: member id), most first. */
function keepTop(list: Newcomer[], candidate: Newcomer, limit: number): void {
  list.push(candidate);
  list.sort((a, b) => b.points - a.points || (a.memberId < b.memberId ? -1 : 1));
  if (list.length > limit) list.length = limit;
}
