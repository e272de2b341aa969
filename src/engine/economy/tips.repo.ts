import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database, TipTable } from "../../db/schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** A stored tip. */
export type TipRow = Selectable<TipTable>;

/** Records a tip; false (nothing written) when one with this key exists. */
export async function insertTip(trx: Transaction<Database>, row: TipRow): Promise<boolean> {
  const result = await trx.insertInto("tips").values(row).onConflict((oc) => oc.columns(["community_id", "key"]).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findTip(db: Db, communityId: string, key: string): Promise<TipRow | undefined> {
  return db.selectFrom("tips").selectAll().where("community_id", "=", communityId).where("key", "=", key).executeTakeFirst();
}

/** Points a person tipped in one giving week (the allowance), optionally to one other person (the pair cap). */
export async function givenInWeek(db: Db, communityId: string, giverPerson: string, week: string, receiverPerson?: string): Promise<number> {
  let query = db
    .selectFrom("tips")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amount"), eb.lit(0)).as("sum"))
    .where("community_id", "=", communityId)
    .where("giver_person", "=", giverPerson)
    .where("week", "=", week);
  if (receiverPerson !== undefined) query = query.where("receiver_person", "=", receiverPerson);
  return Number((await query.executeTakeFirstOrThrow()).sum);
}

/** Tips between two persons, both ways, at or after `since` (ISO), oldest first: the collusion history. */
export async function tipsBetween(db: Db, communityId: string, a: string, b: string, since: string): Promise<TipRow[]> {
  return db
    .selectFrom("tips")
    .selectAll()
    .where("community_id", "=", communityId)
    .where((eb) => eb.or([eb.and([eb("giver_person", "=", a), eb("receiver_person", "=", b)]), eb.and([eb("giver_person", "=", b), eb("receiver_person", "=", a)])]))
    .where("at", ">=", since)
    .orderBy("at")
    .orderBy("key")
    .execute();
}

/** A member's display name as points last saw it (a tip made from a form names the receiver by id only). */
export async function displayNameOf(db: Db, communityId: string, memberId: string): Promise<string | undefined> {
  const row = await db.selectFrom("members").select("display_name").where("community_id", "=", communityId).where("member_id", "=", memberId).executeTakeFirst();
  return row?.display_name || undefined;
}
