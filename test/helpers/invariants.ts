import type { Kysely } from "kysely";
import type { Database } from "../../src/db/schema.js";
import { periodsOfDay } from "../../src/engine/calendar.js";

/** Everything the ledger says, recomputed from scratch: totals per community, period and member. */
export async function totalsFromLedger(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db.selectFrom("ledger").select(["community_id", "member_id", "amount", "day"]).execute();
  const sums = new Map<string, number>();
  for (const r of rows) {
    if (r.amount === 0) continue;
    for (const period of periodsOfDay(r.day)) {
      const key = `${r.community_id}|${period}|${r.member_id}`;
      sums.set(key, (sums.get(key) ?? 0) + r.amount);
    }
  }
  return sums;
}

export async function storedTotals(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db.selectFrom("totals").select(["community_id", "period", "member_id", "points"]).execute();
  return new Map(rows.map((r) => [`${r.community_id}|${r.period}|${r.member_id}`, r.points]));
}

/**
 * Throws unless every totals row — and every member's all-time `points` — equals the ledger's sum
 * (rows at zero may exist or not).
 */
export async function assertTotalsMatchLedger(db: Kysely<Database>): Promise<void> {
  const expected = await totalsFromLedger(db);
  const actual = await storedTotals(db);
  for (const m of await db.selectFrom("members").select(["community_id", "member_id", "points"]).execute()) {
    const want = expected.get(`${m.community_id}|all|${m.member_id}`) ?? 0;
    if (m.points !== want) throw new Error(`members.points drifted from ledger for ${m.member_id}: ledger says ${want}, member row says ${m.points}`);
  }
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(key) ?? 0;
    const got = actual.get(key) ?? 0;
    if (want !== got) throw new Error(`totals drifted from ledger at ${key}: ledger says ${want}, totals say ${got}`);
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
  return { ledger, totals, members, messages };
}
