import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database, FeedbackState, FeedbackTable } from "../../db/schema.js";
import { lockNumbering } from "../numbering.js";

/** Feedback's reads and writes; each takes the db or the caller's transaction first. */
type Db = Kysely<Database> | Transaction<Database>;

/** A piece of feedback as stored. */
export type FeedbackRow = Selectable<FeedbackTable>;

export async function byKey(db: Db, communityId: string, key: string): Promise<FeedbackRow | undefined> {
  return db.selectFrom("feedback").selectAll().where("community_id", "=", communityId).where("key", "=", key).executeTakeFirst();
}

/** By id, within the community: a forged button id naming another community's row finds nothing. */
export async function byId(db: Db, communityId: string, id: string): Promise<FeedbackRow | undefined> {
  return db.selectFrom("feedback").selectAll().where("community_id", "=", communityId).where("id", "=", id).executeTakeFirst();
}

export async function byNumber(db: Db, communityId: string, number: number): Promise<FeedbackRow | undefined> {
  return db.selectFrom("feedback").selectAll().where("community_id", "=", communityId).where("number", "=", number).executeTakeFirst();
}

/**
 * The next number of a community. Inside the write queue's transaction on SQLite nothing else
 * writes meanwhile; on Postgres the series is locked until the transaction ends, so a second
 * process waits and reads the number this one wrote (numbering.ts).
 */
export async function nextNumber(db: Db, communityId: string): Promise<number> {
  await lockNumbering(db, communityId, "feedback");
  const row = await db
    .selectFrom("feedback")
    .select((eb) => eb.fn.max<number>("number").as("n"))
    .where("community_id", "=", communityId)
    .executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

/** When a member's feedback since `since` was sent, oldest first (the daily limit). */
export async function sentSince(db: Db, communityId: string, memberId: string, since: string): Promise<string[]> {
  const rows = await db
    .selectFrom("feedback")
    .select("created_at")
    .where("community_id", "=", communityId)
    .where("member_id", "=", memberId)
    .where("created_at", ">", since)
    .orderBy("created_at")
    .execute();
  return rows.map((r) => r.created_at);
}

export async function insert(db: Db, row: FeedbackRow): Promise<void> {
  await db.insertInto("feedback").values(row).execute();
}

/** Decides an open piece of feedback: true only if this call moved it (it was still open). */
export async function decide(db: Db, id: string, set: Pick<FeedbackRow, "state" | "answer" | "reason" | "decided_by" | "decided_by_name" | "decided_key" | "decided_at"> & { state: Exclude<FeedbackState, "open"> }): Promise<boolean> {
  const r = await db.updateTable("feedback").set(set).where("id", "=", id).where("state", "=", "open").executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The open ones, oldest first. */
export async function open(db: Db, communityId: string, limit: number): Promise<FeedbackRow[]> {
  return db.selectFrom("feedback").selectAll().where("community_id", "=", communityId).where("state", "=", "open").orderBy("number").limit(limit).execute();
}

export async function openCount(db: Db, communityId: string): Promise<number> {
  const row = await db.selectFrom("feedback").select((eb) => eb.fn.countAll<number>().as("n")).where("community_id", "=", communityId).where("state", "=", "open").executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The latest answered or closed, newest decision first. */
export async function recentlyDecided(db: Db, communityId: string, limit: number): Promise<FeedbackRow[]> {
  return db
    .selectFrom("feedback")
    .selectAll()
    .where("community_id", "=", communityId)
    .where("state", "in", ["answered", "closed"])
    .orderBy("decided_at", "desc")
    .orderBy("number", "desc")
    .limit(limit)
    .execute();
}

/** A member's own, newest first. */
export async function ofMember(db: Db, communityId: string, memberId: string, limit: number): Promise<FeedbackRow[]> {
  return db.selectFrom("feedback").selectAll().where("community_id", "=", communityId).where("member_id", "=", memberId).orderBy("number", "desc").limit(limit).execute();
}
