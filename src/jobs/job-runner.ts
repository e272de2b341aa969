import type { Kysely } from "kysely";
import type { Clock } from "../core/clock.js";
import type { Database } from "../db/schema.js";
import type { Logger } from "../log.js";
import type { SchedulerCommunity } from "./community-source.js";
import { type Period, ScheduleError } from "./cron-schedule.js";
import type { JobDefinition } from "./job.js";
import { errorText, retryDelay } from "./retry-policy.js";
import { claimRun, findRun, giveUp, lastRecordedSlot, recordFailure, recordSkipped, type RunKey } from "./runs.repo.js";
import type { ScheduleCache } from "./schedule-cache.js";

/**
 * What a check of one job in one community did. `taken`: another runner claimed the slot first.
 * `gave-up`: a failed slot's retry came due only after its grace window.
 */
export interface RunReport {
  job: string;
  communityId: string;
  period: string;
  outcome: "done" | "failed" | "skipped" | "gave-up" | "taken";
  attempt?: number;
  error?: string;
}

interface Deps {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  cache: ScheduleCache;
}

/** A job's grace window for a community; a nonsense answer (NaN, negative) counts as none. */
function graceOf<S>(job: JobDefinition<S>, settings: S): number {
  const grace = job.graceMs(settings);
  return Number.isNaN(grace) ? 0 : Math.max(0, grace);
}

// Walking back over missed slots to say how many a catch-up coalesced stops here.
const MAX_COUNTED = 50;

/**
 * Decides, for one job in one community, whether its latest slot is due, and runs it. Only the
 * latest slot is ever considered: earlier ones missed while nothing was running are coalesced
 * into it (and said so in the log), and a slot past its grace window is recorded as skipped.
 */
export class JobRunner<S> {
  /** Per job and community, the latest slot known to be settled (done, skipped, failed for good). */
  private readonly settled = new Map<string, string>();
  private readonly warned = new Set<string>();

  constructor(private readonly deps: Deps) {}

  /**
   * Checks and maybe runs one job in one community; `wake` is told each instant at which this
   * job may next need a look (its next slot, a retry).
   */
  async check(job: JobDefinition<S>, community: SchedulerCommunity<S>, wake: (at: Date) => void): Promise<RunReport | undefined> {
    const { cache, log } = this.deps;
    const now = this.deps.clock.now();
    const expression = job.schedule(community.settings);
    if (expression === null) return undefined;
    let window;
    try {
      window = cache.window(expression, community.timezone, now);
    } catch (error) {
      if (!(error instanceof ScheduleError)) throw error;
      const id = `${job.name} ${community.id} ${community.timezone} ${expression}`;
      if (!this.warned.has(id)) log.warn({ job: job.name, community: community.id, err: error.message }, "jobs: schedule not usable; job not run here");
      this.warned.add(id);
      return undefined;
    }
    if (window.next) wake(window.next.at);
    const slot = window.latest;
    // The first-period rule: a community gets no runs for slots before it existed.
    if (!slot || slot.at < community.createdAt) return undefined;
    const memo = `${job.name}\u0000${community.id}`;
    if (this.settled.get(memo) === slot.key) return undefined;

    const key: RunKey = { job: job.name, communityId: community.id, period: slot.key };
    const report = (outcome: RunReport["outcome"], extra: Partial<RunReport> = {}): RunReport => ({ job: job.name, communityId: community.id, period: slot.key, outcome, ...extra });
    const graceMs = graceOf(job, community.settings);
    const lateMs = now.getTime() - slot.at.getTime();
    const record = await findRun(this.deps.db, key);

    if (record && (record.state !== "failed" || record.retry_at === null)) {
      this.settled.set(memo, slot.key);
      return undefined;
    }
    if (record) {
      const retryAt = new Date(record.retry_at as string);
      if (retryAt > now) {
        wake(retryAt);
        return undefined;
      }
      if (lateMs > graceMs) {
        await giveUp(this.deps.db, key, record.attempts, now);
        log.warn({ job: job.name, community: community.id, period: slot.key, attempts: record.attempts, lateMs, graceMs }, "jobs: retry came due past the grace window; giving up on this slot");
        this.settled.set(memo, slot.key);
        return report("gave-up", { attempt: record.attempts });
      }
      return this.attempt(job, community, slot, key, record.attempts, memo, wake);
    }
    if (lateMs > graceMs) {
      const reason = `missed by ${Math.round(lateMs / 1000)} s; grace is ${Math.round(graceMs / 1000)} s`;
      if (await recordSkipped(this.deps.db, key, { scheduledFor: slot.at, reason, now })) {
        log.warn({ job: job.name, community: community.id, period: slot.key, lateMs, graceMs }, "jobs: slot missed past its grace window; skipped");
      }
      this.settled.set(memo, slot.key);
      return report("skipped", { error: reason });
    }
    await this.logCoalesced(job, community, slot, expression);
    return this.attempt(job, community, slot, key, 0, memo, wake);
  }

  private async attempt(
    job: JobDefinition<S>,
    community: SchedulerCommunity<S>,
    slot: Period,
    key: RunKey,
    previousAttempts: number,
    memo: string,
    wake: (at: Date) => void,
  ): Promise<RunReport> {
    const { db, log } = this.deps;
    const now = this.deps.clock.now();
    const attempt = previousAttempts + 1;
    const fields = { job: job.name, community: community.id, period: slot.key, attempt };
    const base = { job: job.name, communityId: community.id, period: slot.key, attempt };
    try {
      const context = {
        job: job.name,
        communityId: community.id,
        timezone: community.timezone,
        settings: community.settings,
        period: slot,
        scheduledFor: slot.at,
        now,
        attempt,
        log: log.child({ job: job.name, community: community.id, period: slot.key }),
      };
      // Reads first, outside the transaction (see JobDefinition.prepare). If another process claims
      // the slot meanwhile, the claim below says so and the reading was only wasted.
      const prepared = job.prepare ? await job.prepare(context) : undefined;
      const effects: (() => void)[] = [];
      const claimed = await db.transaction().execute(async (trx) => {
        if (!(await claimRun(trx, key, { scheduledFor: slot.at, previousAttempts, now }))) return false;
        await job.run({ ...context, trx, prepared, afterCommit: (effect) => void effects.push(effect) });
        return true;
      });
      if (!claimed) return { ...base, outcome: "taken" };
      for (const effect of effects) {
        try {
          effect();
        } catch (err) {
          log.error({ ...fields, err: errorText(err) }, "jobs: an after-commit effect failed");
        }
      }
      this.settled.set(memo, slot.key);
      log.info({ ...fields, lateMs: now.getTime() - slot.at.getTime() }, "jobs: ran");
      return { ...base, outcome: "done" };
    } catch (thrown) {
      const error = errorText(thrown);
      const retryAt = new Date(now.getTime() + retryDelay(job.retry, attempt));
      const canRetry = attempt < job.retry.maxAttempts && retryAt.getTime() - slot.at.getTime() <= graceOf(job, community.settings);
      await recordFailure(db, key, { scheduledFor: slot.at, previousAttempts, error, retryAt: canRetry ? retryAt : null, now });
      if (canRetry) wake(retryAt);
      else this.settled.set(memo, slot.key);
      log.error({ ...fields, err: error, retryAt: canRetry ? retryAt.toISOString() : null }, canRetry ? "jobs: run failed; will retry" : "jobs: run failed; no attempts left");
      return { ...base, outcome: "failed", error };
    }
  }

  /**
   * Says how many earlier slots a catch-up run stands for. Only for a job that has run here before:
   * a job new to a community has no history to catch up on, and counting back to the community's
   * creation would cost a walk over every slot since.
   */
  private async logCoalesced(job: JobDefinition<S>, community: SchedulerCommunity<S>, slot: Period, expression: string): Promise<void> {
    const last = await lastRecordedSlot(this.deps.db, job.name, community.id);
    if (!last) return;
    const floor = Math.max(last.getTime(), community.createdAt.getTime() - 1);
    let missed = 0;
    let since: Period | undefined;
    for (const p of this.deps.cache.schedule(expression, community.timezone).slotsAtOrBefore(new Date(slot.at.getTime() - 1))) {
      if (p.at.getTime() <= floor || missed >= MAX_COUNTED) break;
      missed += 1;
      since = p;
    }
    if (!since) return;
    this.deps.log.info(
      { job: job.name, community: community.id, period: slot.key, missed: missed >= MAX_COUNTED ? `${MAX_COUNTED}+` : missed, since: since.key },
      "jobs: catching up; earlier missed slots coalesced into the latest",
    );
  }
}
