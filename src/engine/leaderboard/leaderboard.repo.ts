import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";

/**
 * Reads of the maintained totals table. Each query walks the (community, period, points DESC,
 * member) index, so none of them sorts or groups at request time.
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

/** 1 + the number of members with more points: ties share a rank. */
export async function rankOf(db: Db, communityId: string, period: string, points: number): Promise<number> {
  const row = await db
    .selectFrom("totals")
    .select((eb) => eb.fn.countAll<number>().as("ahead"))
    .where("community_id", "=", communityId)
    .where("period", "=", period)
    .where("points", ">", points)
    .executeTakeFirstOrThrow();
  return Number(row.ahead) + 1;
}

export async function memberName(db: Db, communityId: string, memberId: string): Promise<string | undefined> {
  const row = await db.selectFrom("members").select("display_name").where("community_id", "=", communityId).where("member_id", "=", memberId).executeTakeFirst();
  return row?.display_name;
}
