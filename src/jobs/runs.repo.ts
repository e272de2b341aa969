import type { Kysely } from "kysely";
import type { Database, JobRunTable } from "../db/schema.js";

type Db = Kysely<Database>;

/** One slot of one job in one community: the unique key of its run record. */
export interface RunKey {
  job: string;
  communityId: string;
  period: string;
}

export type RunRecord = Pick<JobRunTable, "state" | "attempts" | "retry_at" | "error">;

const pk = (key: RunKey) => ({ job: key.job, community_id: key.communityId, period: key.period });

export async function findRun(db: Db, key: RunKey): Promise<RunRecord | undefined> {
  return db
    .selectFrom("job_runs")
    .select(["state", "attempts", "retry_at", "error"])
    .where("job", "=", key.job)
    .where("community_id", "=", key.communityId)
    .where("period", "=", key.period)
    .executeTakeFirst();
}

/** The slot instant of the latest slot this job recorded anything for in this community. */
export async function lastRecordedSlot(db: Db, job: string, communityId: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom("job_runs")
    .select("scheduled_for")
    .where("job", "=", job)
    .where("community_id", "=", communityId)
    .orderBy("scheduled_for", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? new Date(row.scheduled_for) : undefined;
}

/**
 * Claims a slot inside the transaction that will hold the run's effects, by writing its `done`
 * record first: a fresh slot by a unique insert, a retry by moving its `failed` row on from exactly
 * the attempt we read. A second runner doing the same waits on the key (Postgres) or the connection
 * (SQLite) and then writes nothing; if our transaction rolls back — the run threw, or the process
 * died — the claim goes with it, so no lease is needed.
 */
export async function claimRun(trx: Db, key: RunKey, slot: { scheduledFor: Date; previousAttempts: number; now: Date }): Promise<boolean> {
  const recordedAt = slot.now.toISOString();
  if (slot.previousAttempts === 0) {
    const result = await trx
      .insertInto("job_runs")
      .values({ ...pk(key), scheduled_for: slot.scheduledFor.toISOString(), state: "done", attempts: 1, retry_at: null, error: null, recorded_at: recordedAt })
      .onConflict((oc) => oc.columns(["job", "community_id", "period"]).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const result = await trx
    .updateTable("job_runs")
    .set({ state: "done", attempts: slot.previousAttempts + 1, retry_at: null, error: null, recorded_at: recordedAt })
    .where("job", "=", key.job)
    .where("community_id", "=", key.communityId)
    .where("period", "=", key.period)
    .where("state", "=", "failed")
    .where("attempts", "=", slot.previousAttempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Records a failed attempt, outside the rolled-back transaction. Only moves the row on from the
 * attempt we made, so a runner that succeeded (or failed) in the meantime is never overwritten.
 */
export async function recordFailure(
  db: Db,
  key: RunKey,
  failure: { scheduledFor: Date; previousAttempts: number; error: string; retryAt: Date | null; now: Date },
): Promise<void> {
  const values = {
    state: "failed" as const,
    attempts: failure.previousAttempts + 1,
    retry_at: failure.retryAt?.toISOString() ?? null,
    error: failure.error,
    recorded_at: failure.now.toISOString(),
  };
  await db
    .insertInto("job_runs")
    .values({ ...pk(key), scheduled_for: failure.scheduledFor.toISOString(), ...values })
    .onConflict((oc) =>
      oc
        .columns(["job", "community_id", "period"])
        .doUpdateSet(values)
        .where("job_runs.state", "=", "failed")
        .where("job_runs.attempts", "=", failure.previousAttempts),
    )
    .execute();
}

/** Records a slot that will not run (past its grace window), so it is never considered again. */
export async function recordSkipped(db: Db, key: RunKey, skip: { scheduledFor: Date; reason: string; now: Date }): Promise<boolean> {
  const result = await db
    .insertInto("job_runs")
    .values({ ...pk(key), scheduled_for: skip.scheduledFor.toISOString(), state: "skipped", attempts: 0, retry_at: null, error: skip.reason, recorded_at: skip.now.toISOString() })
    .onConflict((oc) => oc.columns(["job", "community_id", "period"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** A failed slot whose retry came due too late (downtime past its grace window): no more attempts. */
export async function giveUp(db: Db, key: RunKey, attempts: number, now: Date): Promise<void> {
  await db
    .updateTable("job_runs")
    .set({ retry_at: null, recorded_at: now.toISOString() })
    .where("job", "=", key.job)
    .where("community_id", "=", key.communityId)
    .where("period", "=", key.period)
    .where("state", "=", "failed")
    .where("attempts", "=", attempts)
    .execute();
}
