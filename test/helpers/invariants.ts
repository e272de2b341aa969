import type { Kysely } from "kysely";
import type { Database } from "../../src/db/schema.js";
import { periodsOfDay } from "../../src/engine/calendar.js";
import { COARSE_WIDTH, coarseStart } from "../../src/engine/points/totals-histogram.js";

/**
 * Everything the ledger says, recomputed from scratch: totals per community, period and person —
 * each row counts for its member's person, COALESCE(members.person_id, member_id) as the members
 * table maps them now (totals are kept per person: docs/linked-identities.md).
 */
export async function totalsFromLedger(db: Kysely<Database>): Promise<Map<string, number>> {
  const persons = new Map<string, string>();
  for (const m of await db.selectFrom("members").select(["community_id", "member_id", "person_id"]).where("person_id", "is not", null).execute()) {
    persons.set(`${m.community_id}|${m.member_id}`, m.person_id as string);
  }
  const rows = await db.selectFrom("ledger").select(["community_id", "member_id", "amount", "day"]).execute();
  const sums = new Map<string, number>();
  for (const r of rows) {
    if (r.amount === 0) continue;
    const person = persons.get(`${r.community_id}|${r.member_id}`) ?? r.member_id;
    for (const period of periodsOfDay(r.day)) {
      const key = `${r.community_id}|${period}|${person}`;
      sums.set(key, (sums.get(key) ?? 0) + r.amount);
    }
  }
  return sums;
}

/** Each member account's own all-time ledger sum (what `members.points` holds), by community|member. */
export async function ownPointsFromLedger(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db.selectFrom("ledger").select(["community_id", "member_id", "amount"]).execute();
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(`${r.community_id}|${r.member_id}`, (sums.get(`${r.community_id}|${r.member_id}`) ?? 0) + r.amount);
  return sums;
}

export async function storedTotals(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db.selectFrom("totals").select(["community_id", "period", "member_id", "points"]).execute();
  return new Map(rows.map((r) => [`${r.community_id}|${r.period}|${r.member_id}`, r.points]));
}

/**
 * Throws unless every totals row equals the ledger's sum for its person (ledger grouped by
 * COALESCE(person_id, member_id)), and every member's `points` the sum of its own ledger rows
 * (rows at zero may exist or not); then the histogram against the totals.
 */
export async function assertTotalsMatchLedger(db: Kysely<Database>): Promise<void> {
  const expected = await totalsFromLedger(db);
  const actual = await storedTotals(db);
  const own = await ownPointsFromLedger(db);
  for (const m of await db.selectFrom("members").select(["community_id", "member_id", "points"]).execute()) {
    const want = own.get(`${m.community_id}|${m.member_id}`) ?? 0;
    if (m.points !== want) throw new Error(`members.points drifted from ledger for ${m.member_id}: ledger says ${want}, member row says ${m.points}`);
  }
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(key) ?? 0;
    const got = actual.get(key) ?? 0;
    if (want !== got) throw new Error(`totals drifted from ledger at ${key}: ledger says ${want}, totals say ${got}`);
  }
  await assertHistogramMatchesTotals(db);
}

/**
 * Throws unless `totals_histogram` equals the totals grouped by points (its width-1 rows) and by
 * ranges of COARSE_WIDTH points (its coarse rows), members at 0 points left out — no row missing,
 * none extra, none at 0 members — for every community, or only `communityId`'s.
 */
export async function assertHistogramMatchesTotals(db: Kysely<Database>, communityId?: string): Promise<void> {
  const totals = await db
    .selectFrom("totals")
    .select(["community_id", "period", "points"])
    .where("points", "<>", 0)
    .$if(communityId !== undefined, (q) => q.where("community_id", "=", communityId!))
    .execute();
  const expected = new Map<string, number>();
  const count = (key: string) => expected.set(key, (expected.get(key) ?? 0) + 1);
  for (const r of totals) {
    count(`${r.community_id}|${r.period}|1|${r.points}`);
    count(`${r.community_id}|${r.period}|${COARSE_WIDTH}|${coarseStart(r.points)}`);
  }
  const stored = await db
    .selectFrom("totals_histogram")
    .select(["community_id", "period", "width", "points", "members"])
    .$if(communityId !== undefined, (q) => q.where("community_id", "=", communityId!))
    .execute();
  const actual = new Map(stored.map((r) => [`${r.community_id}|${r.period}|${r.width}|${r.points}`, Number(r.members)]));
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(key);
    const got = actual.get(key);
    if (want !== got) throw new Error(`totals_histogram drifted from totals at ${key} (community|period|width|points): totals have ${want ?? 0} members there, the histogram says ${got === undefined ? "no row" : got}`);
  }
}

/**
 * A snapshot of everything appended and derived, for "nothing changed" comparisons. Community ids
 * are made at random per database, so they are left out to compare two databases.
 */
export async function snapshot(db: Kysely<Database>) {
  const ledger = await db.selectFrom("ledger").select(["key", "amount", "member_id", "day", "at", "reason", "reverses"]).orderBy("key").execute();
  const totals = await db.selectFrom("totals").select(["period", "member_id", "points"]).orderBy("period").orderBy("member_id").execute();
  const members = await db
    .selectFrom("members")
    .select(["member_id", "display_name", "is_bot", "first_seen_at", "last_message_award_at", "activity_day", "activity_points", "thanks_given"])
    .orderBy("member_id")
    .execute();
  const messages = await db.selectFrom("messages").select(["message_key", "member_id", "deleted_at"]).orderBy("message_key").execute();
  const histogram = (await db.selectFrom("totals_histogram").select(["period", "width", "points", "members"]).execute())
    .map((r) => `${r.period} ${r.width} ${r.points} ${Number(r.members)}`)
    .sort();
  return { ledger, totals, members, messages, histogram };
}
