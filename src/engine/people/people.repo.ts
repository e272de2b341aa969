import type { Kysely } from "kysely";
import type { Database, MemberLinkCodeTable, MemberLinkTable } from "../../db/schema.js";

/** Reads and writes of `/link` codes, the link history and who belongs to whom (none on the points hot path). */
type Db = Kysely<Database>;

/** The platforms whose workspaces belong to the community (`/config link` joins them). */
export async function platformsOf(db: Db, communityId: string): Promise<string[]> {
  const rows = await db.selectFrom("community_workspaces").select("platform").distinct().where("community_id", "=", communityId).execute();
  return rows.map((r) => r.platform).sort();
}

/** How many codes `memberId` asked for since `since`. */
export async function codesSince(db: Db, communityId: string, memberId: string, since: string): Promise<{ n: number; oldest: string | undefined }> {
  const row = await db
    .selectFrom("member_link_codes")
    .select((eb) => [eb.fn.countAll<number | string>().as("n"), eb.fn.min("created_at").as("oldest")])
    .where("community_id", "=", communityId)
    .where("member_id", "=", memberId)
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return { n: Number(row.n), oldest: (row.oldest as string | null) ?? undefined };
}

export async function codeOfCause(db: Db, causeKey: string): Promise<MemberLinkCodeTable | undefined> {
  return db.selectFrom("member_link_codes").selectAll().where("cause_key", "=", causeKey).executeTakeFirst();
}

export async function insertCode(db: Db, row: MemberLinkCodeTable): Promise<void> {
  await db.insertInto("member_link_codes").values(row).execute();
}

export async function findCode(db: Db, codeHash: string): Promise<MemberLinkCodeTable | undefined> {
  return db.selectFrom("member_link_codes").selectAll().where("code_hash", "=", codeHash).executeTakeFirst();
}

/** Spends a code; false when it was spent already (single use). */
export async function spendCode(db: Db, codeHash: string, by: string, at: string): Promise<boolean> {
  const r = await db.updateTable("member_link_codes").set({ used_at: at, used_by: by }).where("code_hash", "=", codeHash).where("used_at", "is", null).executeTakeFirst();
  return Number(r.numUpdatedRows ?? 0) > 0;
}

/** The rows an interaction already wrote (a replayed `/link` or `/unlink`). */
export async function linksOfKey(db: Db, communityId: string, key: string): Promise<MemberLinkTable[]> {
  return db.selectFrom("member_links").selectAll().where("community_id", "=", communityId).where("key", "=", key).orderBy("member_id").execute();
}

export async function recordLink(db: Db, row: MemberLinkTable): Promise<void> {
  await db.insertInto("member_links").values(row).execute();
}

/** A member's stored name and person (undefined: never seen). */
export async function memberOf(db: Db, communityId: string, memberId: string): Promise<{ displayName: string; personId: string | null } | undefined> {
  const row = await db.selectFrom("members").select(["display_name", "person_id"]).where("community_id", "=", communityId).where("member_id", "=", memberId).executeTakeFirst();
  return row && { displayName: row.display_name, personId: row.person_id ?? null };
}

/**
 * The person of each of `memberIds` (itself unless linked), for readers that count by member — thanks
 * received, talks attended — and must show one row per person.
 */
export async function personsOf(db: Db, communityId: string, memberIds: readonly string[]): Promise<Map<string, string>> {
  const persons = new Map(memberIds.map((id) => [id, id]));
  const ids = [...persons.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom("members")
      .select(["member_id", "person_id"])
      .where("community_id", "=", communityId)
      .where("member_id", "in", ids.slice(i, i + 500))
      .where("person_id", "is not", null)
      .execute();
    for (const r of rows) persons.set(r.member_id, r.person_id as string);
  }
  return persons;
}
