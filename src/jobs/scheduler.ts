import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../core/clock.js";
import type { Database } from "../db/schema.js";
import type { Settings } from "../engine/communities/settings.js";
import type { Logger } from "../log.js";
import type { CommunitySource, SchedulerCommunity } from "./community-source.js";
import type { JobDefinition } from "./job.js";
import { JobRunner, type RunReport } from "./job-runner.js";
import { errorText } from "./retry-policy.js";
import { ScheduleCache } from "./schedule-cache.js";
import type { TimerDefinition } from "./timer.js";
import { TimerRunner, type TimerReport } from "./timer-runner.js";
import { type ArmResult, armTimer, cancelTimer } from "./timers.repo.js";
import { systemWakeTimer, type WakeTimer } from "./wake-timer.js";

export interface SchedulerOptions<S = Settings> {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  jobs?: readonly JobDefinition<S>[];
  timers?: readonly TimerDefinition<unknown, S>[];
  /** Every community jobs run for (e.g. {@link communitiesFromDb}); read once per tick. */
  communities: CommunitySource<S>;
  /** What wakes the loop after {@link Scheduler.start}; tests pass a fake and fire it by hand. */
  wake?: WakeTimer;
  /**
   * The longest the loop sleeps between looks at the database (default one minute): the bound on
   * how late it notices what it was not told about — another process's timers, a settings change,
   * a retry another runner recorded.
   */
  maxSleepMs?: number;
  /** Due timers fired per look (default 100); a full batch makes the loop look again at once. */
  timerBatch?: number;
  /**
   * Called after a look that ran a job or fired a timer (their writes have committed): the engine
   * wakes its outbox delivery here, so a reminder goes out at once rather than at the next poll.
   */
  afterWork?: () => void;
  /** Called with every tick's report (the engine counts runs and firings for its telemetry). */
  afterTick?: (report: TickReport) => void;
  /**
   * Runs a timer's firing (its claim and its handler's writes) in a transaction; by default a
   * transaction of its own. The engine passes its write queue here, so a timer's writes share the
   * one writer with chat activity: a timer that gives points must not race a batch that saves the
   * same member's row from its cache. The work must not itself submit to that queue (on SQLite it
   * would wait for the connection its own transaction holds).
   */
  timerTransaction?: TimerTransaction;
}

/**
 * Runs `work` in a transaction and resolves with its result once that has committed. `firing` says
 * whose timer it is (the engine takes that community's write lock first, see community-write-lock.ts).
 */
export type TimerTransaction = <T>(work: (trx: Transaction<Database>) => Promise<T>, firing?: { communityId: string }) => Promise<T>;

/**
 * Whether the loop is alive, for a readiness check: started, and it has looked at the database (or
 * was started) within `staleAfterMs` of `now` on the scheduler's clock.
 */
export interface SchedulerLiveness {
  running: boolean;
  /** The last time the loop started or finished a look (or was started); undefined before. */
  lastLookAt: Date | undefined;
  now: Date;
  staleAfterMs: number;
  alive: boolean;
}

/** What one {@link Scheduler.tick} did, and when the loop would look next. */
export interface TickReport {
  runs: RunReport[];
  timers: TimerReport[];
  nextWakeAt: Date;
}

/** A request to fire `timer` for `communityId` at `at`; (timer, communityId, key) names it. */
export interface TimerRequest<P, S = Settings> {
  timer: TimerDefinition<P, S>;
  communityId: string;
  key: string;
  at: Date;
  payload: P;
}

// A floor between looks, so a row that keeps coming due (say, a clock far behind the database's)
// cannot spin the loop; a full timer batch goes again after this too.
const MIN_SLEEP_MS = 250;
// setTimeout's largest delay (about 24.8 days).
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Runs recurring jobs and one-off timers durably: every run is recorded in the database under a
 * unique (job, community, slot) key, claimed in the same transaction as its effects, so a restart
 * or a second runner on the same database never runs a slot twice, and a run that dies leaves
 * nothing behind. The wake timer only decides when to look; {@link tick} decides what is due.
 *
 * @example
 * const scheduler = new Scheduler({ db, clock, log, jobs: [weeklyBoard], timers: [talkReminder], communities: communitiesFromDb(db, log) });
 * scheduler.start();               // looks now (catch-up), then sleeps until the next due moment
 * await scheduler.schedule(trx, { timer: talkReminder, communityId, key: `talk:${id}:1h`, at, payload: { talkId: id } });
 * await scheduler.stop();          // waits for a run in progress
 */
export class Scheduler<S = Settings> {
  private readonly jobRunner: JobRunner<S>;
  private readonly timerRunner: TimerRunner<S>;
  private readonly jobs: readonly JobDefinition<S>[];
  private readonly timers = new Map<string, TimerDefinition<unknown, S>>();
  private readonly wake: WakeTimer;
  private readonly maxSleepMs: number;
  private queue: Promise<unknown> = Promise.resolve();
  private started = false;
  private armed: { handle: unknown; at: number } | undefined;
  private looking: Promise<void> = Promise.resolve();
  /** Epoch ms of the last start of the loop or of a look, begun or finished (the loop's heartbeat). */
  private heartbeatMs: number | undefined;

  constructor(private readonly options: SchedulerOptions<S>) {
    this.jobs = options.jobs ?? [];
    const jobNames = new Set<string>();
    for (const job of this.jobs) {
      if (jobNames.has(job.name)) throw new Error(`two jobs are named "${job.name}"`);
      jobNames.add(job.name);
    }
    for (const timer of options.timers ?? []) {
      if (this.timers.has(timer.name)) throw new Error(`two timers are named "${timer.name}"`);
      this.timers.set(timer.name, timer);
    }
    this.wake = options.wake ?? systemWakeTimer;
    this.maxSleepMs = Math.min(options.maxSleepMs ?? 60_000, MAX_TIMEOUT_MS);
    const deps = { db: options.db, clock: options.clock, log: options.log };
    this.jobRunner = new JobRunner<S>({ ...deps, cache: new ScheduleCache() });
    this.timerRunner = new TimerRunner<S>({ ...deps, timers: this.timers, postponeMs: this.maxSleepMs, batch: options.timerBatch ?? 100, transaction: options.timerTransaction ?? ((work) => options.db.transaction().execute(work)) });
  }

  /** Looks at once (running whatever is due after downtime), then whenever something comes due. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.beat();
    this.arm(this.options.clock.now(), 0);
  }

  /**
   * Alive when started and the heartbeat (a look begun or finished) is at most three longest
   * sleeps old: the loop looks at least every `maxSleepMs`, so a stale heartbeat means a look that
   * hangs or a wake that never came.
   */
  liveness(): SchedulerLiveness {
    const now = this.options.clock.now();
    const staleAfterMs = 3 * this.maxSleepMs;
    const lastLookAt = this.heartbeatMs === undefined ? undefined : new Date(this.heartbeatMs);
    const alive = this.started && this.heartbeatMs !== undefined && now.getTime() - this.heartbeatMs <= staleAfterMs;
    return { running: this.started, lastLookAt, now, staleAfterMs, alive };
  }

  /** Stops waking and resolves once a tick in progress has finished. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.armed) this.wake.clear(this.armed.handle);
    this.armed = undefined;
    await this.idle();
  }

  /** Resolves once the loop's current look (if any) has finished and re-armed the wake. */
  async idle(): Promise<void> {
    await this.looking;
    await this.queue;
  }

  /**
   * Runs everything due now: each job's latest slot in each community, and due timers. Ticks never
   * overlap: a tick asked for during another runs after it. A failing job or community is logged
   * and does not stop the others.
   */
  tick(): Promise<TickReport> {
    const run = this.queue.then(async () => {
      this.beat();
      const report = await this.tickOnce().finally(() => this.beat());
      if (report.runs.length > 0 || report.timers.length > 0) this.options.afterWork?.();
      this.options.afterTick?.(report);
      return report;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Arms a one-off timer in the caller's transaction (so it exists exactly when the decision that
   * made it commits), and wakes this scheduler's loop for it. See {@link armTimer} for what the
   * result means. Throws if the timer is not registered here or the payload fails its schema.
   */
  async schedule<P>(trx: Kysely<Database>, request: TimerRequest<P, S>): Promise<ArmResult> {
    if (!this.timers.has(request.timer.name)) throw new Error(`timer "${request.timer.name}" is not registered with this scheduler`);
    const result = await scheduleTimer(trx, request, this.options.clock.now());
    // The caller's transaction has not committed yet: a wake for a moment already past would look
    // before it did, so give it a second.
    if (result !== "unchanged" && result !== "already-fired") this.nudge(Math.max(request.at.getTime(), this.options.clock.now().getTime() + 1000));
    return result;
  }

  /** Cancels a pending timer in the caller's transaction; false if none was pending under that key. */
  cancel(trx: Kysely<Database>, timer: TimerDefinition<unknown, S> | string, communityId: string, key: string): Promise<boolean> {
    return cancelTimer(trx, { timer: typeof timer === "string" ? timer : timer.name, communityId, key }, this.options.clock.now());
  }

  private beat(): void {
    this.heartbeatMs = this.options.clock.now().getTime();
  }

  private async tickOnce(): Promise<TickReport> {
    const { clock, log } = this.options;
    let earliest = clock.now().getTime() + this.maxSleepMs;
    const wakeAt = (at: Date) => {
      earliest = Math.min(earliest, at.getTime());
    };
    const runs: RunReport[] = [];
    const communities = await this.options.communities();
    for (const community of communities) {
      for (const job of this.jobs) {
        try {
          const report = await this.jobRunner.check(job, community, wakeAt);
          if (report) runs.push(report);
        } catch (error) {
          log.error({ job: job.name, community: community.id, err: errorText(error) }, "jobs: could not check job");
        }
      }
    }
    // A process with no timer handlers could fire none of the rows, so it does not look.
    if (this.timers.size === 0) return { runs, timers: [], nextWakeAt: new Date(earliest) };
    const byId = new Map<string, SchedulerCommunity<S>>(communities.map((c) => [c.id, c]));
    const fired = await this.timerRunner.fireDue(byId);
    if (fired.more) wakeAt(clock.now());
    if (fired.nextDue) wakeAt(fired.nextDue);
    return { runs, timers: fired.reports, nextWakeAt: new Date(earliest) };
  }

  private async wakeUp(): Promise<void> {
    this.armed = undefined;
    if (!this.started) return;
    let next: Date;
    try {
      next = (await this.tick()).nextWakeAt;
    } catch (error) {
      this.options.log.error({ err: errorText(error) }, "jobs: tick failed; trying again later");
      next = new Date(this.options.clock.now().getTime() + Math.min(this.maxSleepMs, 30_000));
    }
    // A schedule() during the tick may have armed a wake already: keep whichever comes first.
    const armed = this.armed as { at: number } | undefined; // set meanwhile by a nudge, if at all
    if (this.started) this.arm(new Date(Math.min(next.getTime(), armed?.at ?? Number.POSITIVE_INFINITY)));
  }

  private arm(at: Date, floorMs = MIN_SLEEP_MS): void {
    const now = this.options.clock.now().getTime();
    const delay = Math.min(Math.max(at.getTime() - now, floorMs), this.maxSleepMs);
    if (this.armed) this.wake.clear(this.armed.handle);
    const handle = this.wake.set(() => {
      this.looking = this.wakeUp();
    }, delay);
    this.armed = { at: now + delay, handle };
  }

  /** Brings the next look forward to `at` if it is sooner than the one already armed. */
  private nudge(at: number): void {
    if (!this.started || (this.armed && this.armed.at <= at)) return;
    this.arm(new Date(at));
  }
}

/**
 * Arms a one-off timer without a scheduler instance at hand (a capability's write path): validates
 * the payload with the timer's schema and writes it in `trx`. A running scheduler finds it within
 * its `maxSleepMs`; {@link Scheduler.schedule} also wakes it for the exact moment.
 */
export async function scheduleTimer<P, S>(trx: Kysely<Database>, request: TimerRequest<P, S>, now: Date): Promise<ArmResult> {
  const parsed = request.timer.payload.safeParse(request.payload);
  if (!parsed.success) throw new Error(`timer "${request.timer.name}": payload does not match its schema: ${parsed.error.message}`);
  if (!request.key) throw new Error(`timer "${request.timer.name}": key must not be empty`);
  if (Number.isNaN(request.at.getTime())) throw new Error(`timer "${request.timer.name}": "at" is not a valid date`);
  return armTimer(trx, { timer: request.timer.name, communityId: request.communityId, key: request.key }, request.at, JSON.stringify(parsed.data), now);
}
