import type { Kysely } from "kysely";

// Durable jobs (src/jobs): what each recurring slot did, and the one-off timers still to fire.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per job, community and slot. The primary key is the claim: a run inserts (or moves) its
  // row in the same transaction as its effects, so a second runner on the same database waits on
  // the key and then finds the slot taken, and a run that dies takes its claim with it.
  await db.schema
    .createTable("job_runs")
    .addColumn("job", "text", (c) => c.notNull())
    .addColumn("community_id", "text", (c) => c.notNull())
    /** The slot's key: its local wall time and zone, `2026-12-07T09:00[Europe/Berlin]`. */
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("scheduled_for", "text", (c) => c.notNull())
    /** `done`, `failed` (with `retry_at` when another attempt is due) or `skipped`. */
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("retry_at", "text")
    .addColumn("error", "text")
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("job_runs_pk", ["job", "community_id", "period"])
    .execute();
  // "When did this job last do anything here": how many slots a catch-up coalesced.
  await db.schema.createIndex("job_runs_latest").on("job_runs").columns(["job", "community_id", "scheduled_for"]).execute();

  await db.schema
    .createTable("job_timers")
    .addColumn("timer", "text", (c) => c.notNull())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    /** When it was asked to fire. */
    .addColumn("fire_at", "text", (c) => c.notNull())
    /** When it is next tried: `fire_at`, then later after a failure. */
    .addColumn("due_at", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    /** `pending`, `fired`, `failed`, `skipped` or `cancelled`. */
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("error", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("job_timers_pk", ["timer", "community_id", "key"])
    .execute();
  await db.schema.createIndex("job_timers_due").on("job_timers").columns(["state", "due_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("job_timers").ifExists().execute();
  await db.schema.dropTable("job_runs").ifExists().execute();
}
