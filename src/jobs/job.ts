import type { Transaction } from "kysely";
import type { Database } from "../db/schema.js";
import type { Settings } from "../engine/communities/settings.js";
import type { Logger } from "../log.js";
import type { Period } from "./cron-schedule.js";
import { type RetryPolicy, retryPolicy } from "./retry-policy.js";

/**
 * What a recurring job's `run` is given: one community, one slot, and the transaction its writes
 * go in. The slot's run record is written in `trx` too, so the run's effects (outbox rows, say) and
 * the record that it ran commit together — once — or not at all. Keep `run` to reading and writing
 * the database: posting is the outbox's business, and on SQLite an open transaction holds the one
 * connection everything else waits for.
 */
export interface JobContext<S = Settings> {
  job: string;
  communityId: string;
  /** The IANA zone the slot was read in (the community's `timezone` setting). */
  timezone: string;
  settings: S;
  period: Period;
  /** The instant the slot was due (`period.at`). After downtime `now` may be well past it. */
  scheduledFor: Date;
  /** The scheduler's clock when this attempt started. */
  now: Date;
  /** 1 for the first attempt at this slot, 2 for the first retry, … */
  attempt: number;
  trx: Transaction<Database>;
  log: Logger;
  /** What the job's `prepare` read before the transaction opened (undefined without one). */
  prepared?: unknown;
  /** Runs `effect` once the run's transaction has committed (never if it rolls back): telling listeners. */
  afterCommit(effect: () => void): void;
}

/** What a job's `prepare` is given: the slot, but no transaction (it reads; it must not write). */
export type PrepareContext<S = Settings> = Omit<JobContext<S>, "trx" | "prepared" | "afterCommit">;

/** A recurring job, made by {@link defineJob}. */
export interface JobDefinition<S = Settings> {
  readonly name: string;
  /** The 5-field cron expression for a community, read in its timezone; null when the job is off there. */
  schedule(settings: S): string | null;
  /** How late (ms after its slot) a missed run may still run; past it the slot is skipped. */
  graceMs(settings: S): number;
  readonly retry: RetryPolicy;
  /**
   * Optional heavy reading before the run's transaction opens; its result reaches `run` as
   * `prepared`. On SQLite an open transaction holds the one connection, so a run that reads for
   * seconds inside it would hold every event's commit back that long; reads here run as separate
   * short statements that events' writes can pass between. It may run for a slot another process
   * then claims: it must not write.
   */
  prepare?(context: PrepareContext<S>): Promise<unknown>;
  run(context: JobContext<S>): Promise<void>;
}

export interface JobSpec<S = Settings> {
  /** Unique among jobs, stable across releases: run records are keyed by it. `weekly-leaderboard`. */
  name: string;
  schedule: (settings: S) => string | null;
  /** A number, or per community from its settings. */
  graceMs: number | ((settings: S) => number);
  retry?: Partial<RetryPolicy>;
  /** Reads done before the run's transaction opens (see {@link JobDefinition.prepare}). */
  prepare?: (context: PrepareContext<S>) => Promise<unknown>;
  run: (context: JobContext<S>) => Promise<void>;
}

export const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * Declares a recurring job.
 *
 * @example
 * defineJob({
 *   name: "weekly-leaderboard",
 *   schedule: (s) => (s.channels.announcements ? "0 9 * * 1" : null), // Mondays 09:00 local
 *   graceMs: 6 * 3_600_000,
 *   run: async ({ trx, communityId, period }) => { await queuePost(trx, communityId, `board:${period.key}`, …) },
 * });
 */
export function defineJob<S = Settings>(spec: JobSpec<S>): JobDefinition<S> {
  if (!NAME.test(spec.name)) throw new Error(`job name "${spec.name}" must be lower-case letters, digits, ".", "_" or "-" (at most 63)`);
  const grace = spec.graceMs;
  if (typeof grace === "number" && !(grace >= 0)) throw new Error(`job "${spec.name}": graceMs must be ≥ 0, got ${grace}`);
  return {
    name: spec.name,
    schedule: spec.schedule,
    graceMs: typeof grace === "number" ? () => grace : grace,
    retry: retryPolicy(spec.retry),
    ...(spec.prepare ? { prepare: spec.prepare } : {}),
    run: spec.run,
  };
}
