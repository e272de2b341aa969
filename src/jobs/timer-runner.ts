import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../core/clock.js";
import type { Database } from "../db/schema.js";
import type { Logger } from "../log.js";
import type { SchedulerCommunity } from "./community-source.js";
import { errorText, retryDelay } from "./retry-policy.js";
import type { TimerDefinition } from "./timer.js";
import { type DueTimer, dueTimers, moveTimer, nextTimerDue } from "./timers.repo.js";

/**
 * What happened to one due timer. `taken`: another runner (or a reschedule or cancel) got to it
 * first. `postponed`: its community or handler is not known to this process yet.
 */
export interface TimerReport {
  timer: string;
  communityId: string;
  key: string;
  outcome: "fired" | "failed" | "skipped" | "taken" | "postponed";
  attempt?: number;
  error?: string;
}

interface Deps<S> {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  timers: ReadonlyMap<string, TimerDefinition<unknown, S>>;
  /** How far an unknown community's or handler's timer is put off. */
  postponeMs: number;
  batch: number;
  /** Where a firing's claim and writes run (see SchedulerOptions.timerTransaction). */
  transaction: <T>(work: (trx: Transaction<Database>) => Promise<T>, firing?: { communityId: string }) => Promise<T>;
}

/** Fires due one-off timers, each claimed in the transaction its handler writes in. */
export class TimerRunner<S> {
  constructor(private readonly deps: Deps<S>) {}

  /** Fires up to one batch of due timers; `more` says a full batch was taken, so look again at once. */
  async fireDue(communities: ReadonlyMap<string, SchedulerCommunity<S>>): Promise<{ reports: TimerReport[]; more: boolean; nextDue: Date | undefined }> {
    const rows = await dueTimers(this.deps.db, this.deps.clock.now(), this.deps.batch);
    const reports: TimerReport[] = [];
    for (const row of rows) {
      try {
        reports.push(await this.fire(row, communities));
      } catch (error) {
        this.deps.log.error({ timer: row.timer, community: row.community_id, key: row.key, err: errorText(error) }, "jobs: could not fire timer");
      }
    }
    return { reports, more: rows.length === this.deps.batch, nextDue: await nextTimerDue(this.deps.db) };
  }

  private async fire(row: DueTimer, communities: ReadonlyMap<string, SchedulerCommunity<S>>): Promise<TimerReport> {
    const { db, log } = this.deps;
    const now = this.deps.clock.now();
    const attempt = row.attempts + 1;
    const fields = { timer: row.timer, community: row.community_id, key: row.key, attempt };
    const report = (outcome: TimerReport["outcome"], error?: string): TimerReport => ({ timer: row.timer, communityId: row.community_id, key: row.key, outcome, attempt, ...(error ? { error } : {}) });
    const definition = this.deps.timers.get(row.timer);
    const community = communities.get(row.community_id);
    if (!definition || !community) {
      // Another process may know this handler, or the community's row may not have committed when
      // this tick listed communities: try again later rather than fail it.
      await moveTimer(db, row, { due_at: new Date(now.getTime() + this.deps.postponeMs).toISOString() }, now);
      log.warn(fields, definition ? "jobs: timer's community not found; postponed" : "jobs: no handler for this timer here; postponed");
      return report("postponed");
    }
    const fireAt = new Date(row.fire_at);
    const lateMs = now.getTime() - fireAt.getTime();
    if (lateMs > definition.graceMs) {
      const reason = `missed by ${Math.round(lateMs / 1000)} s; grace is ${Math.round(definition.graceMs / 1000)} s`;
      if (await moveTimer(db, row, { state: "skipped", error: reason }, now)) log.warn({ ...fields, lateMs }, "jobs: timer missed past its grace window; skipped");
      return report("skipped", reason);
    }
    const parsed = definition.payload.safeParse(safeJson(row.payload));
    if (!parsed.success) {
      const error = `payload no longer matches the timer's schema: ${parsed.error.message}`;
      await moveTimer(db, row, { state: "failed", attempts: attempt, error }, now);
      log.error({ ...fields, err: error }, "jobs: timer payload invalid; failed for good");
      return report("failed", error);
    }
    try {
      const claimed = await this.deps.transaction(async (trx) => {
        if (!(await moveTimer(trx, row, { state: "fired", attempts: attempt, error: null }, now))) return false;
        await definition.run({
          timer: row.timer,
          key: row.key,
          communityId: community.id,
          timezone: community.timezone,
          settings: community.settings,
          payload: parsed.data,
          scheduledFor: fireAt,
          now,
          attempt,
          trx,
          log: log.child({ timer: row.timer, community: community.id, key: row.key }),
        });
        return true;
      }, { communityId: community.id });
      if (!claimed) return report("taken");
      log.info({ ...fields, lateMs }, "jobs: timer fired");
      return report("fired");
    } catch (thrown) {
      const error = errorText(thrown);
      const retryAt = new Date(now.getTime() + retryDelay(definition.retry, attempt));
      const canRetry = attempt < definition.retry.maxAttempts && retryAt.getTime() - fireAt.getTime() <= definition.graceMs;
      await moveTimer(db, row, canRetry ? { attempts: attempt, error, due_at: retryAt.toISOString() } : { state: "failed", attempts: attempt, error }, now);
      log.error({ ...fields, err: error, retryAt: canRetry ? retryAt.toISOString() : null }, canRetry ? "jobs: timer failed; will retry" : "jobs: timer failed; no attempts left");
      return report("failed", error);
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
