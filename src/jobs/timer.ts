import type { Transaction } from "kysely";
import type { z } from "zod";
import type { Database } from "../db/schema.js";
import type { Settings } from "../engine/communities/settings.js";
import type { Logger } from "../log.js";
import { NAME } from "./job.js";
import { type RetryPolicy, retryPolicy } from "./retry-policy.js";

/**
 * What a one-off timer's handler is given when it fires. As with jobs, the handler's writes go in
 * `trx` together with the record that the timer fired: they commit once, or not at all.
 */
export interface TimerContext<P = unknown, S = Settings> {
  timer: string;
  key: string;
  communityId: string;
  timezone: string;
  settings: S;
  /** The payload it was scheduled with, parsed again by the timer's schema. */
  payload: P;
  /** The instant it was scheduled for. After downtime `now` may be well past it. */
  scheduledFor: Date;
  now: Date;
  attempt: number;
  trx: Transaction<Database>;
  log: Logger;
}

/** A named handler for one-off timers, made by {@link defineTimer}. */
export interface TimerDefinition<P = unknown, S = Settings> {
  readonly name: string;
  /** Checks the payload when scheduled and again when fired. Plain JSON shapes only: no transforms, dates as ISO strings. */
  readonly payload: z.ZodType<P>;
  /** How late a timer may still fire; past it it is skipped (and logged). Infinity by default. */
  readonly graceMs: number;
  readonly retry: RetryPolicy;
  run(context: TimerContext<P, S>): Promise<void>;
}

export interface TimerSpec<P, S = Settings> {
  /** Unique among timers and stable across releases: stored with every timer. `talk-reminder`. */
  name: string;
  payload: z.ZodType<P>;
  graceMs?: number;
  retry?: Partial<RetryPolicy>;
  run: (context: TimerContext<P, S>) => Promise<void>;
}

/**
 * Declares a one-off timer handler; {@link Scheduler.schedule} arms timers for it.
 *
 * @example
 * const talkReminder = defineTimer({
 *   name: "talk-reminder",
 *   payload: z.object({ talkId: z.string() }),
 *   graceMs: 30 * 60_000, // a reminder more than half an hour late is no reminder
 *   run: async ({ trx, communityId, payload }) => { await queueReminder(trx, communityId, payload.talkId) },
 * });
 */
export function defineTimer<P, S = Settings>(spec: TimerSpec<P, S>): TimerDefinition<P, S> {
  if (!NAME.test(spec.name)) throw new Error(`timer name "${spec.name}" must be lower-case letters, digits, ".", "_" or "-" (at most 63)`);
  const graceMs = spec.graceMs ?? Number.POSITIVE_INFINITY;
  if (!(graceMs >= 0)) throw new Error(`timer "${spec.name}": graceMs must be ≥ 0, got ${graceMs}`);
  return { name: spec.name, payload: spec.payload, graceMs, retry: retryPolicy(spec.retry), run: spec.run };
}
