import type { Kysely } from "kysely";
import type { Database, JobTimerTable } from "../db/schema.js";

type Db = Kysely<Database>;

/** A timer is named by its handler, its community and a key the caller chooses. */
export interface TimerKey {
  timer: string;
  communityId: string;
  key: string;
}

export type DueTimer = Pick<JobTimerTable, "timer" | "community_id" | "key" | "fire_at" | "due_at" | "payload" | "attempts">;

/**
 * What {@link armTimer} did: `scheduled` (new, or re-armed after a cancel, skip or final failure),
 * `rescheduled` (still pending, new time or payload), `unchanged` (the same request again), or
 * `already-fired` — a key names one firing, and a fired key is never re-armed (put what makes a
 * firing distinct, such as the talk's start time, in the key to fire again).
 */
export type ArmResult = "scheduled" | "rescheduled" | "unchanged" | "already-fired";

export async function armTimer(db: Db, key: TimerKey, at: Date, payloadJson: string, now: Date): Promise<ArmResult> {
  const fireAt = at.toISOString();
  const existing = await db
    .selectFrom("job_timers")
    .select(["state", "fire_at", "payload"])
    .where("timer", "=", key.timer)
    .where("community_id", "=", key.communityId)
    .where("key", "=", key.key)
    .executeTakeFirst();
  if (existing?.state === "fired") return "already-fired";
  if (existing?.state === "pending" && existing.fire_at === fireAt && existing.payload === payloadJson) return "unchanged";
  const values = { fire_at: fireAt, due_at: fireAt, payload: payloadJson, state: "pending" as const, attempts: 0, error: null, updated_at: now.toISOString() };
  await db
    .insertInto("job_timers")
    .values({ timer: key.timer, community_id: key.communityId, key: key.key, ...values })
    .onConflict((oc) => oc.columns(["timer", "community_id", "key"]).doUpdateSet(values).where("job_timers.state", "<>", "fired"))
    .execute();
  return existing?.state === "pending" ? "rescheduled" : "scheduled";
}

/** Cancels a pending timer; false if there was none (never scheduled, already fired or cancelled). */
export async function cancelTimer(db: Db, key: TimerKey, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("job_timers")
    .set({ state: "cancelled", updated_at: now.toISOString() })
    .where("timer", "=", key.timer)
    .where("community_id", "=", key.communityId)
    .where("key", "=", key.key)
    .where("state", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function dueTimers(db: Db, now: Date, limit: number): Promise<DueTimer[]> {
  return db
    .selectFrom("job_timers")
    .select(["timer", "community_id", "key", "fire_at", "due_at", "payload", "attempts"])
    .where("state", "=", "pending")
    .where("due_at", "<=", now.toISOString())
    .orderBy("due_at")
    .limit(limit)
    .execute();
}

export async function nextTimerDue(db: Db): Promise<Date | undefined> {
  const row = await db.selectFrom("job_timers").select((eb) => eb.fn.min("due_at").as("due")).where("state", "=", "pending").executeTakeFirst();
  return row?.due ? new Date(row.due) : undefined;
}

/**
 * Moves a due timer on from exactly the row we read (its attempt and due time), so a concurrent
 * runner, a reschedule or a cancel in the meantime makes this a no-op. Used inside the handler's
 * transaction to claim it (`fired`), and outside to record a failure, a skip or a postponement.
 */
export async function moveTimer(
  db: Db,
  row: DueTimer,
  to: Partial<Pick<JobTimerTable, "state" | "due_at" | "attempts" | "error">>,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable("job_timers")
    .set({ ...to, updated_at: now.toISOString() })
    .where("timer", "=", row.timer)
    .where("community_id", "=", row.community_id)
    .where("key", "=", row.key)
    .where("state", "=", "pending")
    .where("due_at", "=", row.due_at)
    .where("attempts", "=", row.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
