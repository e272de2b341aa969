import type { Kysely, Selectable } from "kysely";
import type { Database, SponsorChangeTable, SponsorContributionTable, SponsorImpressionTable, SponsorTable } from "../../db/schema.js";

/** Repository functions take the database or a transaction first, as everywhere. */
type Db = Kysely<Database>;

export type SponsorRow = Selectable<SponsorTable>;
export type ContributionRow = Selectable<SponsorContributionTable>;
export type ImpressionRow = Selectable<SponsorImpressionTable>;

export function sponsorByName(db: Db, communityId: string, nameKey: string): Promise<SponsorRow | undefined> {
  return db.selectFrom("sponsors").selectAll().where("community_id", "=", communityId).where("name_key", "=", nameKey).executeTakeFirst();
}

export function sponsorById(db: Db, id: string): Promise<SponsorRow | undefined> {
  return db.selectFrom("sponsors").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Every sponsor of the community, active or not, by name. */
export function sponsorsOf(db: Db, communityId: string, status?: SponsorRow["status"]): Promise<SponsorRow[]> {
  let q = db.selectFrom("sponsors").selectAll().where("community_id", "=", communityId);
  if (status) q = q.where("status", "=", status);
  return q.orderBy("name_key").execute();
}

export async function insertSponsor(db: Db, row: SponsorRow): Promise<void> {
  await db.insertInto("sponsors").values(row).execute();
}

export async function updateSponsor(db: Db, id: string, set: Partial<Omit<SponsorRow, "id" | "community_id" | "created_at">>): Promise<void> {
  await db.updateTable("sponsors").set(set).where("id", "=", id).execute();
}

/** Records a change once per cause; false when this key was already recorded (a replay). */
export async function recordChange(db: Db, row: SponsorChangeTable): Promise<boolean> {
  const r = await db.insertInto("sponsor_changes").values(row).onConflict((oc) => oc.columns(["community_id", "key"]).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function changeByKey(db: Db, communityId: string, key: string): Promise<Selectable<SponsorChangeTable> | undefined> {
  return db.selectFrom("sponsor_changes").selectAll().where("community_id", "=", communityId).where("key", "=", key).executeTakeFirst();
}

/** Appends a ledger row once per cause; false when its key was already in the ledger. */
export async function insertContribution(db: Db, row: ContributionRow): Promise<boolean> {
  const r = await db.insertInto("sponsor_contributions").values(row).onConflict((oc) => oc.columns(["community_id", "key"]).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function contributionByKey(db: Db, communityId: string, key: string): Promise<ContributionRow | undefined> {
  return db.selectFrom("sponsor_contributions").selectAll().where("community_id", "=", communityId).where("key", "=", key).executeTakeFirst();
}

/** A sponsor's ledger rows, oldest first. */
export function contributionsOf(db: Db, communityId: string, sponsorId?: string): Promise<ContributionRow[]> {
  let q = db.selectFrom("sponsor_contributions").selectAll().where("community_id", "=", communityId);
  if (sponsorId) q = q.where("sponsor_id", "=", sponsorId);
  return q.orderBy("at").orderBy("key").execute();
}

export function impressionBySlot(db: Db, communityId: string, slotKey: string): Promise<ImpressionRow | undefined> {
  return db.selectFrom("sponsor_impressions").selectAll().where("community_id", "=", communityId).where("slot_key", "=", slotKey).executeTakeFirst();
}

/** Records one impression per slot; false when the slot already had one. */
export async function insertImpression(db: Db, row: ImpressionRow): Promise<boolean> {
  const r = await db.insertInto("sponsor_impressions").values(row).onConflict((oc) => oc.columns(["community_id", "slot_key"]).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Each sponsor's latest rotation impression (week and instant), and how many it had since it became active. */
export async function lastRotationShown(db: Db, communityId: string): Promise<Map<string, { week: number; at: string; sinceActive: number }>> {
  const rows = await db
    .selectFrom("sponsor_impressions as i")
    .innerJoin("sponsors as s", "s.id", "i.sponsor_id")
    .select((eb) => [
      "i.sponsor_id",
      eb.fn.max("i.week").as("week"),
      eb.fn.max("i.at").as("at"),
      eb.fn.sum<number | string>(eb.case().when("i.at", ">=", eb.ref("s.active_since")).then(1).else(0).end()).as("since"),
    ])
    .where("i.community_id", "=", communityId)
    .where("i.source", "=", "rotation")
    .groupBy("i.sponsor_id")
    .execute();
  return new Map(rows.map((r) => [r.sponsor_id, { week: Number(r.week), at: String(r.at), sinceActive: Number(r.since) }]));
}

/** Impressions per sponsor and source in one quarter. */
export async function impressionCounts(db: Db, communityId: string, quarter: string): Promise<{ sponsor_id: string; source: string; n: number }[]> {
  const rows = await db
    .selectFrom("sponsor_impressions")
    .select((eb) => ["sponsor_id", "source", eb.fn.countAll().as("n")])
    .where("community_id", "=", communityId)
    .where("quarter", "=", quarter)
    .groupBy(["sponsor_id", "source"])
    .execute();
  return rows.map((r) => ({ sponsor_id: r.sponsor_id, source: r.source, n: Number(r.n) }));
}
