import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { BountyStatus, BountyTable, Database } from "../../db/schema.js";

/** A bounty as stored (see BountyTable). */
export type BountyRow = BountyTable;

/**
 * The bounty id a posting interaction makes: the same interaction always names the same bounty,
 * so a replay finds it rather than making a second.
 */
export function bountyId(communityId: string, causeKey: string): string {
  return `b${createHash("sha256").update(`${communityId}\n${causeKey}`).digest("hex").slice(0, 12)}`;
}

export function bountyById(db: Kysely<Database>, communityId: string, id: string): Promise<BountyRow | undefined> {
  return db.selectFrom("bounties").selectAll().where("community_id", "=", communityId).where("id", "=", id).executeTakeFirst();
}

/** The open bounty on a question, if any (there is at most one). */
export function openBountyOn(db: Kysely<Database>, communityId: string, questionKey: string): Promise<BountyRow | undefined> {
  return db.selectFrom("bounties").selectAll().where("community_id", "=", communityId).where("question_key", "=", questionKey).where("status", "=", "open").executeTakeFirst();
}

/** The question's latest bounty, whatever became of it. */
export function latestBountyOn(db: Kysely<Database>, communityId: string, questionKey: string): Promise<BountyRow | undefined> {
  return db.selectFrom("bounties").selectAll().where("community_id", "=", communityId).where("question_key", "=", questionKey).orderBy("created_at", "desc").orderBy("id", "desc").executeTakeFirst();
}

/** Writes a new open bounty; false (nothing written) if its id, cause or question's open slot is taken. */
export async function insertBounty(db: Kysely<Database>, row: BountyRow): Promise<boolean> {
  const result = await db.insertInto("bounties").values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * Ends an open bounty — the claim: only the first award or expiry moves it from `open`, so the
 * escrow is paid out once whichever comes first. False when it was no longer open.
 */
export async function settleBounty(
  db: Kysely<Database>,
  bounty: Pick<BountyRow, "community_id" | "id">,
  to: { status: Exclude<BountyStatus, "open">; settled_by: string; settle_key: string; settled_at: string; answerer_id?: string; answerer_name?: string },
): Promise<boolean> {
  const result = await db
    .updateTable("bounties")
    .set({ ...to, answerer_id: to.answerer_id ?? null, answerer_name: to.answerer_name ?? null })
    .where("community_id", "=", bounty.community_id)
    .where("id", "=", bounty.id)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Open bounties, largest first, then oldest. */
export function openBounties(db: Kysely<Database>, communityId: string, limit: number): Promise<BountyRow[]> {
  return db.selectFrom("bounties").selectAll().where("community_id", "=", communityId).where("status", "=", "open").orderBy("amount", "desc").orderBy("created_at").orderBy("id").limit(limit).execute();
}

/** How many bounties are open (for "10 of 14"). */
export async function countOpenBounties(db: Kysely<Database>, communityId: string): Promise<number> {
  const row = await db.selectFrom("bounties").select((eb) => eb.fn.countAll<number>().as("n")).where("community_id", "=", communityId).where("status", "=", "open").executeTakeFirstOrThrow();
  return Number(row.n);
}
