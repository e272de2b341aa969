import { type Kysely, PostgresAdapter, type RawBuilder, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import { prepared } from "../../db/prepared.js";

/**
 * Reads and writes of the web capability: the slug look-up, the board without hidden people, the
 * honors to show, and the `/privacy` flag. Every board read walks an index — totals'
 * (community, period, points DESC) and the members primary key and (community, person) index — so
 * none sorts or scans the community at request time.
 */
type Db = Kysely<Database>;

/**
 * `web.slug` inside the stored settings JSON, written exactly as the `communities_web_slug` index
 * is (migration 20261201_2000_web_privacy), so the look-up uses the index.
 */
function slugExpression(db: Db): RawBuilder<string | null> {
  return db.getExecutor().adapter instanceof PostgresAdapter ? sql<string | null>`((settings::jsonb) #>> '{web,slug}')` : sql<string | null>`json_extract(settings, '$.web.slug')`;
}

const bySlugQuery = prepared((db: Db, a: { slug: string }) => db.selectFrom("communities").select(["id", "name", "settings"]).where(slugExpression(db), "=", a.slug));

/** The row of the community whose `web.slug` is `slug`, settings as stored (JSON): read now, not from the chat cache. */
export async function communityBySlug(db: Db, slug: string): Promise<{ id: string; name: string; settings: string } | undefined> {
  return (await bySlugQuery(db, { slug })).rows[0];
}

/** One row of the web board: a person, under their canonical member. */
export interface VisibleRow {
  member_id: string;
  display_name: string;
  /** Points in the board's period. */
  points: number;
  /** All-time points: levels come from these on every board. */
  lifetime_points: number;
}

/**
 * The top of a period's board leaving out hidden people: a person is hidden when any of their
 * member rows has `web_hidden` — the canonical member's row is read with the totals row anyway,
 * and the secondaries' through the (community, person) index, which for an unlinked member finds
 * nothing. The walk down the totals index stops at `limit` visible rows, so a hidden member costs
 * one row more, not a scan.
 */
const visibleTopQuery = prepared((db: Db, a: { community: string; period: string; limit: number; offset: number }) =>
  db
    .selectFrom("totals as t")
    .innerJoin("members as m", (join) => join.onRef("m.community_id", "=", "t.community_id").onRef("m.member_id", "=", "t.member_id"))
    .leftJoin("totals as a", (join) => join.onRef("a.community_id", "=", "t.community_id").onRef("a.member_id", "=", "t.member_id").on("a.period", "=", "all"))
    .select(["t.member_id", "m.display_name", "t.points", "a.points as lifetime_points"])
    .where("t.community_id", "=", a.community)
    .where("t.period", "=", a.period)
    .where("t.points", ">", 0)
    .where("m.web_hidden", "=", 0)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("members as h")
            .select("h.member_id")
            .whereRef("h.community_id", "=", "t.community_id")
            .whereRef("h.person_id", "=", "t.member_id")
            .where("h.web_hidden", "=", 1),
        ),
      ),
    )
    .orderBy("t.points", "desc")
    .orderBy("t.member_id")
    .limit(a.limit)
    .offset(a.offset),
);

export async function visibleTop(db: Db, communityId: string, period: string, limit: number, offset = 0): Promise<VisibleRow[]> {
  const { rows } = await visibleTopQuery(db, { community: communityId, period, limit, offset });
  return rows.map((r) => ({ ...r, points: Number(r.points), lifetime_points: Number(r.lifetime_points ?? 0) }));
}

/** The points of a person's totals row (`memberId` canonical), 0 when there is none. */
export async function pointsIn(db: Db, communityId: string, period: string, memberId: string): Promise<number> {
  const row = await db.selectFrom("totals").select("points").where("community_id", "=", communityId).where("period", "=", period).where("member_id", "=", memberId).executeTakeFirst();
  return Number(row?.points ?? 0);
}

/** Each person's secondary member ids (linked accounts), by person; unlinked persons are absent. */
export async function secondariesOf(db: Db, communityId: string, personIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (personIds.length === 0) return out;
  const rows = await db.selectFrom("members").select(["member_id", "person_id"]).where("community_id", "=", communityId).where("person_id", "in", personIds).execute();
  for (const r of rows) if (r.person_id) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r.member_id]);
  return out;
}

/** How many times each of `memberIds` won each honor, over every digest. */
export async function honorCounts(db: Db, communityId: string, memberIds: readonly string[]): Promise<{ member_id: string; honor: string; n: number }[]> {
  if (memberIds.length === 0) return [];
  const rows = await db
    .selectFrom("digest_honors")
    .select((eb) => ["member_id", "honor", eb.fn.countAll<number | string>().as("n")])
    .where("community_id", "=", communityId)
    .where("member_id", "in", memberIds)
    .groupBy(["member_id", "honor"])
    .execute();
  return rows.map((r) => ({ member_id: r.member_id, honor: r.honor, n: Number(r.n) }));
}

/** The honors of the latest digest that awarded any (its week, e.g. `2026-W48`), with each winner's person. */
export async function latestHonors(db: Db, communityId: string): Promise<{ week: string; member_id: string; person_id: string; honor: string; display_name: string; person_name: string | null; value: number }[]> {
  const latest = await db.selectFrom("digest_honors").select("week").where("community_id", "=", communityId).orderBy("week", "desc").limit(1).executeTakeFirst();
  if (!latest) return [];
  const rows = await db
    .selectFrom("digest_honors as d")
    .leftJoin("members as m", (j) => j.onRef("m.community_id", "=", "d.community_id").onRef("m.member_id", "=", "d.member_id"))
    .leftJoin("members as p", (j) => j.onRef("p.community_id", "=", "d.community_id").onRef("p.member_id", "=", "m.person_id"))
    .select(["d.week", "d.member_id", "m.person_id", "d.honor", "d.display_name", "p.display_name as person_name", "m.display_name as member_name", "d.value"])
    .where("d.community_id", "=", communityId)
    .where("d.week", "=", latest.week)
    .execute();
  return rows.map((r) => ({
    week: r.week,
    member_id: r.member_id,
    person_id: r.person_id ?? r.member_id,
    honor: r.honor,
    // The person's current name (a rename shows at once), else what the digest recorded.
    display_name: r.display_name,
    person_name: r.person_name ?? r.member_name ?? null,
    value: Number(r.value),
  }));
}

/** Of `personIds`, those hidden from the web: any member row of the person has `web_hidden`. */
export async function hiddenPersons(db: Db, communityId: string, personIds: readonly string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("members")
    .select(["member_id", "person_id"])
    .where("community_id", "=", communityId)
    .where("web_hidden", "=", 1)
    .where((eb) => eb.or([eb("member_id", "in", personIds), eb("person_id", "in", personIds)]))
    .execute();
  return new Set(rows.map((r) => r.person_id ?? r.member_id));
}

/** The person a member belongs to (its canonical member id; the member itself unless linked, or unknown). */
export async function personOf(db: Db, communityId: string, memberId: string): Promise<string> {
  const row = await db.selectFrom("members").select("person_id").where("community_id", "=", communityId).where("member_id", "=", memberId).executeTakeFirst();
  return row?.person_id ?? memberId;
}

/**
 * Sets or clears the flag on every member row of the person `personId` (the canonical row and
 * each linked one). Writing all of them keeps the answer the same from either platform, and an
 * account later unlinked keeps the choice its person made.
 */
export async function setPersonHidden(db: Db, communityId: string, personId: string, hidden: boolean): Promise<void> {
  await db
    .updateTable("members")
    .set({ web_hidden: hidden ? 1 : 0 })
    .where("community_id", "=", communityId)
    .where((eb) => eb.or([eb("member_id", "=", personId), eb("person_id", "=", personId)]))
    .execute();
}

/**
 * Makes sure the member has a row, so that hiding before ever earning a point holds once they do:
 * the points rules keep the row's `web_hidden` (they never write it). A new row is the member as
 * first seen now, as the rules would have created it.
 */
export async function ensureMember(db: Db, row: { community_id: string; member_id: string; display_name: string; is_bot: number; first_seen_at: string }): Promise<void> {
  await db
    .insertInto("members")
    .values(row)
    .onConflict((oc) => oc.columns(["community_id", "member_id"]).doNothing())
    .execute();
}
