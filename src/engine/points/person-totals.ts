import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { periodsOfDay } from "../calendar.js";
import type { TotalsHistogram } from "./totals-histogram.js";

/**
 * Totals are kept per person (docs/linked-identities.md): a linked member's ledger rows add to the
 * totals of its canonical member. Linking and unlinking are the only other writers of `totals`
 * besides the ledger writer, and, like it, tell the histogram how every row moved. Both run inside
 * the write queue's transaction, through PointsService (which also keeps its member cache right).
 */
type Db = Kysely<Database>;

/** Adds `amount` to one totals row and tells the histogram; returns the points after. */
async function addToRow(db: Db, histogram: TotalsHistogram, communityId: string, period: string, memberId: string, amount: number): Promise<number> {
  const row = await db
    .insertInto("totals")
    .values({ community_id: communityId, period, member_id: memberId, points: amount })
    .onConflict((oc) => oc.columns(["community_id", "period", "member_id"]).doUpdateSet((eb) => ({ points: eb("totals.points", "+", eb.ref("excluded.points")) })))
    .returning("points")
    .executeTakeFirstOrThrow();
  const after = Number(row.points);
  histogram.moved(communityId, period, after - amount, after);
  return after;
}

/** A member's (or person's) all-time totals row, 0 when there is none. */
export async function allTimeOf(db: Db, communityId: string, memberId: string): Promise<number> {
  const row = await db.selectFrom("totals").select("points").where("community_id", "=", communityId).where("period", "=", "all").where("member_id", "=", memberId).executeTakeFirst();
  return Number(row?.points ?? 0);
}

/**
 * Link: `memberId`'s totals rows are added to `personId`'s and deleted, in every period, and
 * `memberId` joins the person. Returns the person's all-time points after.
 */
export async function mergeTotals(db: Db, histogram: TotalsHistogram, communityId: string, personId: string, memberId: string): Promise<number> {
  const rows = await db.selectFrom("totals").select(["period", "points"]).where("community_id", "=", communityId).where("member_id", "=", memberId).orderBy("period").execute();
  for (const r of rows) {
    const points = Number(r.points);
    if (points === 0) continue;
    await addToRow(db, histogram, communityId, r.period, personId, points);
    histogram.moved(communityId, r.period, points, 0);
  }
  await db.deleteFrom("totals").where("community_id", "=", communityId).where("member_id", "=", memberId).execute();
  await db.updateTable("members").set({ person_id: personId }).where("community_id", "=", communityId).where("member_id", "=", memberId).execute();
  return allTimeOf(db, communityId, personId);
}

/**
 * Unlink: `memberId`'s own totals, recomputed from its own ledger rows (by the periods of each
 * row's day), move from `personId`'s rows back to its own, and it is its own person again. The
 * ledger is untouched: history stays as it was earned.
 */
export async function splitTotals(db: Db, histogram: TotalsHistogram, communityId: string, personId: string, memberId: string): Promise<void> {
  const days = await db
    .selectFrom("ledger")
    .select(["day", (eb) => eb.fn.sum<number | string>("amount").as("points")])
    .where("community_id", "=", communityId)
    .where("member_id", "=", memberId)
    .groupBy("day")
    .execute();
  const own = new Map<string, number>();
  for (const d of days) for (const period of periodsOfDay(d.day)) own.set(period, (own.get(period) ?? 0) + Number(d.points));
  for (const [period, points] of [...own].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (points === 0) continue;
    await addToRow(db, histogram, communityId, period, personId, -points);
    await addToRow(db, histogram, communityId, period, memberId, points);
  }
  await db.updateTable("members").set({ person_id: null }).where("community_id", "=", communityId).where("member_id", "=", memberId).execute();
}
