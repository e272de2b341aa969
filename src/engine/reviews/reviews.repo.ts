import type { Kysely } from "kysely";
import type { CodeReviewStatus, CodeReviewTable, Database } from "../../db/schema.js";
import { lockNumbering } from "../numbering.js";

type Db = Kysely<Database>;

/** A code-review request as stored (see CodeReviewTable). */
export type ReviewRow = CodeReviewTable;

export function reviewByNumber(db: Db, communityId: string, number: number): Promise<ReviewRow | undefined> {
  return db.selectFrom("code_reviews").selectAll().where("community_id", "=", communityId).where("number", "=", number).executeTakeFirst();
}

/** The request an interaction made, if it made one (a replay finds it). */
export function reviewByRequestKey(db: Db, communityId: string, key: string): Promise<ReviewRow | undefined> {
  return db.selectFrom("code_reviews").selectAll().where("community_id", "=", communityId).where("request_key", "=", key).executeTakeFirst();
}

/**
 * The next request number of a community. Inside the write queue's transaction on SQLite nothing
 * else writes meanwhile; on Postgres the series is locked until the transaction ends, so a second
 * process waits and reads the number this one wrote (numbering.ts).
 */
export async function nextReviewNumber(db: Db, communityId: string): Promise<number> {
  await lockNumbering(db, communityId, "code_reviews");
  const row = await db.selectFrom("code_reviews").select((eb) => eb.fn.max<number>("number").as("n")).where("community_id", "=", communityId).executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

export async function insertReview(db: Db, row: ReviewRow): Promise<void> {
  await db.insertInto("code_reviews").values(row).execute();
}

/**
 * Moves a request on from exactly the state it was read in (`status`, and which claim it was on),
 * so a concurrent press, a second process or a timer in the meantime makes this a no-op: the first
 * writer wins, and the loser reads the request again. False when nothing was written.
 */
export async function moveReview(db: Db, from: Pick<ReviewRow, "community_id" | "number" | "status" | "claims">, to: Partial<Omit<ReviewRow, "community_id" | "number">>): Promise<boolean> {
  const result = await db
    .updateTable("code_reviews")
    .set(to)
    .where("community_id", "=", from.community_id)
    .where("number", "=", from.number)
    .where("status", "=", from.status)
    .where("claims", "=", from.claims)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const WAITING: CodeReviewStatus[] = ["open", "claimed"];

/** Open and claimed requests, oldest first. */
export function waitingReviews(db: Db, communityId: string, limit: number): Promise<ReviewRow[]> {
  return db.selectFrom("code_reviews").selectAll().where("community_id", "=", communityId).where("status", "in", WAITING).orderBy("created_at").orderBy("number").limit(limit).execute();
}

/** How many requests are open or claimed (for "the 15 oldest of 20"). */
export async function countWaitingReviews(db: Db, communityId: string): Promise<number> {
  const row = await db.selectFrom("code_reviews").select((eb) => eb.fn.countAll<number>().as("n")).where("community_id", "=", communityId).where("status", "in", WAITING).executeTakeFirstOrThrow();
  return Number(row.n);
}
