import type { Kysely } from "kysely";
import { prepared } from "../../db/prepared.js";
import type { Database } from "../../db/schema.js";
import { COARSE_WIDTH, coarseStart } from "../points/totals-histogram.js";

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

/** The points of a totals row: `memberId` must be a person's canonical member (see {@link pointsAndName} for any member). */
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

const pointsAndNameQuery = prepared((db: Db, a: { community: string; week: string; member: string }) =>
  db.selectNoFrom((eb) => {
    // Totals are kept per person: a linked member reads its person's rows and name.
    const person = eb.fn.coalesce(eb.selectFrom("members").select("person_id").where("community_id", "=", a.community).where("member_id", "=", a.member), eb.val(a.member));
    return [
      person.as("person_id"),
      eb.selectFrom("totals").select("points").where("community_id", "=", a.community).where("period", "=", "all").where("member_id", "=", person).as("points"),
      eb.selectFrom("totals").select("points").where("community_id", "=", a.community).where("period", "=", a.week).where("member_id", "=", person).as("week_points"),
      eb.selectFrom("members").select("display_name").where("community_id", "=", a.community).where("member_id", "=", person).as("display_name"),
    ];
  }),
);

/**
 * The all-time and `week` points and stored name of a member's person (the member itself unless
 * linked), in one statement (primary-key look-ups).
 */
export async function pointsAndName(db: Db, communityId: string, week: string, memberId: string): Promise<{ personId: string; points: number; weekPoints: number; displayName: string | undefined }> {
  const row = (await pointsAndNameQuery(db, { community: communityId, week, member: memberId })).rows[0];
  return { personId: String(row?.person_id ?? memberId), points: Number(row?.points ?? 0), weekPoints: Number(row?.week_points ?? 0), displayName: row?.display_name ?? undefined };
}

const aheadQuery = prepared((db: Db, a: { community: string; period: string; points: number; nextRange: number; coarse: number }) =>
  db.selectNoFrom((eb) => [
    // The rest of the member's own coarse range, value by value…
    eb
      .selectFrom("totals_histogram")
      .select((e) => e.fn.sum<number | string | null>("members").as("n"))
      .where("community_id", "=", a.community)
      .where("period", "=", a.period)
      .where("width", "=", 1)
      .where("points", ">", a.points)
      .where("points", "<", a.nextRange)
      .as("near"),
    // …and every range above it, one row per COARSE_WIDTH points.
    eb
      .selectFrom("totals_histogram")
      .select((e) => e.fn.sum<number | string | null>("members").as("n"))
      .where("community_id", "=", a.community)
      .where("period", "=", a.period)
      .where("width", "=", a.coarse)
      .where("points", ">=", a.nextRange)
      .as("far"),
  ]),
);

/**
 * 1 + the number of members with more points: ties share a rank. Summed from the histogram
 * (docs/standing.md): the exact rows above `points` inside its coarse range, then the coarse rows
 * above that range — at most COARSE_WIDTH rows plus one per COARSE_WIDTH points, not one per member.
 * The histogram leaves out members at 0 points, so for `points` below 0 those are not counted as ahead.
 */
export async function rankOf(db: Db, communityId: string, period: string, points: number): Promise<number> {
  const nextRange = coarseStart(points) + COARSE_WIDTH;
  const row = (await aheadQuery(db, { community: communityId, period, points, nextRange, coarse: COARSE_WIDTH })).rows[0];
  return Number(row?.near ?? 0) + Number(row?.far ?? 0) + 1;
}

/** The stored name of a member's person (its own, unless linked: then the canonical member's). */
export async function memberName(db: Db, communityId: string, memberId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("members as m")
    .leftJoin("members as p", (j) => j.onRef("p.community_id", "=", "m.community_id").onRef("p.member_id", "=", "m.person_id"))
    .select(["m.display_name", "p.display_name as person_name"])
    .where("m.community_id", "=", communityId)
    .where("m.member_id", "=", memberId)
    .executeTakeFirst();
  return row?.person_name ?? row?.display_name;
}
