import { type Kysely, PostgresAdapter, sql } from "kysely";
import type { Database } from "../db/schema.js";

/**
 * Numbers shown to people — review items #12, order #3, feedback #7, code review #5 — are the
 * community's highest so far plus one, read and written in the write queue's transaction. On SQLite
 * nothing else writes meanwhile. On Postgres two processes could read the same highest number; the
 * unique index would then fail one of them. So, on Postgres, this takes a lock on the community's
 * series until the transaction ends, before the number is read: a second process waits, then reads
 * the number the first one wrote. A check that counts before inserting (feedback's daily limit)
 * takes it first too, so the count and the insert it allows are not split by another process.
 *
 * On SQLite it does nothing (one writer per file: db/writer-lock.ts).
 */
export async function lockNumbering(db: Kysely<Database>, communityId: string, series: "mod_items" | "shop_orders" | "code_reviews" | "feedback"): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${`numbers:${series}:${communityId}`}, 0))`.execute(db);
}
