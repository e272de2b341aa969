import type { Kysely } from "kysely";
import { prepared } from "../../db/prepared.js";
import type { Database } from "../../db/schema.js";

/**
 * Reads of the maintained totals table and its histogram. Each query walks an index — totals'
 * (community, period, points DESC) or the histogram's key — so none sorts or groups at request time.
 */
type Db = Kysely<Database>;

export interface BoardRow {
  member_id: string;
  display_name: string;
  /** Points in the board's period. */
  points: number;
  /** All-time points: levels come from these on every board, whatever its period. */
  lifetime_points: number;
}

export async function topMembers(db: Db, communityId: string, period: string, limit: number, offset = 0): Promise<BoardRow[]> {
  const rows = await db
    .selectFrom("totals as t")
    .innerJoin("members as m", (join) => join.onRef("m.community_id", "=", "t.community_id").onRef("m.member_id", "=", "t.member_id"))
    // One primary-key lookup per row shown (at most 25): the all-time row of the same member.
    .leftJoin("totals as a", (join) =>
      join.onRef("a.community_id", "=", "t.community_id").onRef("a.member_id", "=", "t.member_id").on("a.period", "=", "all"),
    )
    .select(["t.member_id", "m.display_name", "t.points", "a.points as lifetime_points"])
    .where("t.community_id", "=", communityId)
    .where("t.period", "=", period)
    .where("t.points", ">", 0)
    .orderBy("t.points", "desc")
    .orderBy("t.member_id")
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({ ...r, lifetime_points: Number(r.lifetime_points ?? 0) }));
}

export async function pointsOf(db: Db, communityId: string, period: string, memberId: string): Promise<number> {
  const row = await db
    .selectFrom("totals")
    .select("points")
    .where("community_id", "=", communityId)
    .where("period", "=", period)
    .where("member_id", "=", memberId)
    .executeTakeFirst();
  return row?.points ?? 0;
}

const aheadQuery = prepared((db: Db, a: { community: string; period: string; points: number }) =>
  db
    .selectFrom("totals_histogram")
    .select((eb) => eb.fn.sum<number | string | null>("members").as("ahead"))
    .where("community_id", "=", a.community)
    .where("period", "=", a.period)
    .where("points", ">", a.points),
);

/**
 * 1 + the number of members with more points: ties share a rank. Summed over the histogram's rows
 * above `points` — one per distinct point value, not one per member (docs/standing.md). The
 * histogram leaves out members at 0 points, so for `points` below 0 those are not counted as ahead.
 */
export async function rankOf(db: Db, communityId: string, period: string, points: number): Promise<number> {
  const row = (await aheadQuery(db, { community: communityId, period, points })).rows[0];
  return Number(row?.ahead ?? 0) + 1;
}

export async function memberName(db: Db, communityId: string, memberId: string): Promise<string | undefined> {
  const row = await db.selectFrom("members").select("display_name").where("community_id", "=", communityId).where("member_id", "=", memberId).executeTakeFirst();
  return row?.display_name;
}
