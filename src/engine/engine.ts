import { performance } from "node:perf_hooks";
import type { Kysely } from "kysely";
import type { Clock } from "../core/clock.js";
import type { ButtonPressed, CommandInvoked, FormSubmitted, MessageActionInvoked } from "../core/events.js";
import type { Reply } from "../core/reply.js";
import type { Database } from "../db/schema.js";
import type { Logger } from "../log.js";
import { capabilities as builtIn } from "./capabilities.js";
import type { ActivityEvent, Capability, EventGate, EventHandler, IngestOutcome } from "./capability.js";
import { CommandRunner } from "./commands/command-runner.js";
import type { Command, MessageAction, Services } from "./commands/context.js";
import { CommunityDirectory } from "./communities/community-directory.js";
import type { Settings } from "./communities/settings.js";
import { LevelUps } from "./levels/level-ups.service.js";
import { Notices } from "./notices/notices.js";
import type { LevelUpListener } from "./points/points.service.js";
import { type OutboxBacklog, outboxBacklog, OutboxDelivery, type OutboxDeliveryOptions, OutboxWriter } from "./outbox/index.js";
import { noTelemetry, type Telemetry } from "./telemetry.js";
import { WriteQueue, type WriteQueueOptions } from "./write-queue.js";
import { CommunityWriteLock } from "./community-write-lock.js";
import type { Outbox } from "../core/outbox.js";
import { communitiesFromDb, type JobDefinition, Scheduler, type TimerDefinition, type WakeTimer } from "../jobs/index.js";

export interface EngineOptions {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  commands: readonly Command[];
  /** Message actions ("Thank the author"), declared in `commands/` like commands. */
  messageActions?: readonly MessageAction[];
  /**
   * The capabilities to run, in order; the built-in list by default. A plug-in (or a test) passes
   * `[...capabilities, mine]`.
   */
  capabilities?: readonly Capability<object>[];
  /** Settings new communities start with (e.g. the default timezone). */
  defaults?: Partial<Settings>;
  writes?: WriteQueueOptions;
  /** Delivery loop tuning (tests pass a ManualTimer and a short poll). */
  delivery?: Pick<OutboxDeliveryOptions, "timer" | "policy" | "pollIntervalMs" | "random">;
  /** What wakes the job scheduler's loop (tests pass a fake and call `scheduler.tick()`). */
  jobsWake?: WakeTimer;
  /** Told about events, ledger rows, deliveries and job runs (src/http/metrics.ts); measures nothing by default. */
  telemetry?: Telemetry;
}

/** Postgres: how long a process trusts its copy of a community's settings (another may change them). */
export const COMMUNITY_REFRESH_MS = 10_000;

/**
 * The one entry point adapters talk to. Activity goes in through {@link ingest} and resolves once
 * committed (acknowledge the platform after that, never before); commands and buttons go through
 * {@link command}, {@link press} and {@link submit} and resolve with the reply to show.
 *
 * The engine itself holds no rules: each capability (see `capabilities.ts`) brings its services and
 * event handlers, and the engine fans every activity event out to the handlers that want it, all in
 * one transaction, so what they decide together lands together or not at all.
 */
export class Engine {
  readonly writes: WriteQueue;
  /** Postgres: one community's writes, one process at a time (see community-write-lock.ts). */
  readonly communityLock: CommunityWriteLock;
  readonly communities: CommunityDirectory;
  readonly services: Services;
  readonly commands: CommandRunner;
  readonly levels: LevelUps;
  readonly notices: Notices;
  /** Where capabilities write what the bot says on its own, inside their transaction. */
  readonly outbox: OutboxWriter;
  /** Sends what the outbox holds through each platform's {@link Outbox}. */
  readonly delivery: OutboxDelivery;
  /** Runs every capability's jobs and timers. */
  readonly scheduler: Scheduler;
  /** Where the engine reports what it did; adapters report their platforms' rate limits here too. */
  readonly telemetry: Telemetry;
  private enqueuedSinceCommit = false;
  private readonly handlers = new Map<ActivityEvent["kind"], EventHandler[]>();
  private readonly gates: EventGate[] = [];
  /** Accepted calls not yet settled: drain waits for these, not only for the write queue. */
  private inFlight = 0;
  /** Told when {@link inFlight} drops to zero. */
  private readonly allSettled: (() => void)[] = [];

  constructor(private readonly options: EngineOptions) {
    this.telemetry = options.telemetry ?? noTelemetry;
    this.writes = new WriteQueue(options.db, options.writes);
    this.communityLock = new CommunityWriteLock(options.db, this.writes);
    // Postgres: another process may change a community's settings; its copy here is looked up again.
    this.communities = new CommunityDirectory(options.db, options.clock, options.defaults, this.communityLock.active ? { refreshMs: COMMUNITY_REFRESH_MS } : {});
    this.outbox = new OutboxWriter(options.clock, () => void (this.enqueuedSinceCommit = true));
    this.delivery = new OutboxDelivery({ db: options.db, clock: options.clock, log: options.log, telemetry: this.telemetry, ...options.delivery });
    // What a transaction enqueued can go out as soon as it has committed.
    this.writes.onCommit(() => {
      if (!this.enqueuedSinceCommit) return;
      this.enqueuedSinceCommit = false;
      this.delivery.wake();
    });
    const services: Record<string, unknown> = {};
    const commands = [...options.commands];
    const actions = [...(options.messageActions ?? [])];
    const jobs: JobDefinition[] = [];
    const timers: TimerDefinition<never>[] = [];
    for (const capability of options.capabilities ?? builtIn) {
      const parts = capability.setup({ db: options.db, clock: options.clock, log: options.log, writes: this.writes, communityLock: this.communityLock, communities: this.communities, outbox: this.outbox, telemetry: this.telemetry, services });
      Object.assign(services, parts.services);
      for (const handler of parts.events ?? []) {
        for (const kind of handler.kinds) this.handlers.set(kind, [...(this.handlers.get(kind) ?? []), handler]);
      }
      jobs.push(...(parts.jobs ?? []));
      timers.push(...(parts.timers ?? []));
      this.gates.push(...(parts.gates ?? []));
      commands.push(...(capability.commands ?? []));
      actions.push(...(capability.messageActions ?? []));
    }
    this.services = services as Services;
    this.scheduler = new Scheduler({
      db: options.db,
      clock: options.clock,
      log: options.log,
      jobs,
      timers: timers as TimerDefinition<unknown>[],
      communities: communitiesFromDb(options.db, options.log),
      // What a job or timer wrote to the outbox has committed: deliver it now, not at the next poll.
      afterWork: () => this.delivery.wake(),
      // Timers write through the write queue, in its transaction: a talk's points are then never
      // saved beside a batch that writes the same member's row from its cache (see PointsService.adjustIn).
      // Postgres: the timer's community lock first thing, so a busy one is put off rather than waited for.
      timerTransaction: (work, firing) =>
        this.writes.submit(async (trx) => {
          if (firing && this.communityLock.active) await this.communityLock.enter(trx, firing.communityId, { deferrable: true });
          return work(trx);
        }),
      afterTick: (report) => {
        for (const run of report.runs) this.telemetry.jobRun(run.job, run.outcome);
        for (const fired of report.timers) this.telemetry.timerFired(fired.timer, fired.outcome);
      },
      ...(options.jobsWake ? { wake: options.jobsWake } : {}),
    });
    this.commands = new CommandRunner(commands, actions, this.services, this.communities, options.clock, options.log);
    this.levels = new LevelUps(options.db);
    this.notices = new Notices(options.db, options.clock, this.writes, this.outbox);
  }

  /**
   * Hands an activity event to every capability that handles its kind, in one transaction; resolves
   * once that has committed (or is known to be a duplicate) with each capability's report.
   */
  async ingest(event: ActivityEvent): Promise<IngestOutcome> {
    const { platform } = event.place;
    const { kind } = event;
    this.telemetry.eventReceived(platform, kind);
    // Monotonic, not the engine's clock: a latency, which a ManualClock would report as zero.
    const received = performance.now();
    // Counted here rather than through track(): one async function per event, with no closure and
    // no extra promise to learn when it settled (every event pays for those).
    this.inFlight++;
    try {
      const handlers = this.handlers.get(event.kind);
      if (!handlers) {
        this.telemetry.eventProcessed(platform, kind, (performance.now() - received) / 1000, false);
        return { duplicate: false, reports: {} };
      }
      const community = await this.communities.resolve(event.place);
      for (const gate of this.gates) {
        const loading = gate.ready?.(community);
        if (loading) await loading;
      }
      const { outcome, effects } = await this.writes.submit(async (trx) => {
        // Built afresh on every attempt: after a rollback the queue runs the work again alone.
        const outcome: IngestOutcome = { duplicate: false, reports: {} };
        const effects: (() => void)[] = [];
        // Postgres: before any handler reads what it will write from (several processes, one database).
        if (this.communityLock.active) await this.communityLock.enter(trx, community.id, { deferrable: true });
        // Gates decide inside the transaction, after the writes before this one (a forgetting).
        let admitted: ActivityEvent | undefined = event;
        for (const gate of this.gates) if (admitted) admitted = gate.admit(community, admitted);
        if (!admitted) return { outcome: { duplicate: true, reports: { gate: "dropped" } }, effects };
        const scope = { trx, community, event: admitted, now: this.options.clock.now(), outcome, afterCommit: (effect: () => void) => void effects.push(effect) };
        for (const handler of handlers) {
          const pending = handler.handle(scope);
          if (pending) await pending;
        }
        return { outcome, effects };
      });
      this.telemetry.eventProcessed(platform, kind, (performance.now() - received) / 1000, outcome.duplicate);
      for (const effect of effects) {
        try {
          effect();
        } catch (err) {
          this.options.log.error({ err, event: event.key }, "after-commit effect failed");
        }
      }
      return outcome;
    } catch (error) {
      this.telemetry.eventFailed(platform, kind);
      throw error;
    } finally {
      this.settled();
    }
  }

  command(event: CommandInvoked): Promise<Reply> {
    return this.track(() => this.commands.run(event));
  }

  /** A message action used on a message; resolves with the (usually private) reply. */
  messageAction(event: MessageActionInvoked): Promise<Reply> {
    return this.track(() => this.commands.action(event));
  }

  press(event: ButtonPressed): Promise<Reply> {
    return this.track(() => this.commands.press(event));
  }

  submit(event: FormSubmitted): Promise<Reply> {
    return this.track(() => this.commands.submit(event));
  }

  /** Called after a committed write raised a member's level (adapters announce it, grant roles). Returns an unsubscribe. */
  onLevelUp(listener: LevelUpListener): () => void {
    return this.services.points.onLevelUp(listener);
  }

  /** The engine's clock: adapters stamp events the platform gives no time for (commands, buttons) with it. */
  now(): Date {
    return this.options.clock.now();
  }

  /** Lets an adapter deliver what the outbox holds for its platform. */
  registerOutbox(outbox: Outbox): void {
    this.delivery.register(outbox.platform, outbox);
  }

  /** What the outbox still has to deliver, by platform and state, read now (a metrics scrape; not for the hot path). */
  outboxBacklog(): Promise<OutboxBacklog[]> {
    return outboxBacklog(this.options.db);
  }

  /** Starts the engine's own loops (jobs, outbox delivery); call once the adapters have registered their outboxes. */
  start(): void {
    this.scheduler.start();
    this.delivery.start();
  }

  /** Stops the loops, waiting for a job run in progress; what is left is done after the next start. */
  async stop(): Promise<void> {
    await this.scheduler.stop();
    await this.delivery.stop();
  }

  /** Waits until every call accepted so far has settled and every write has committed. */
  async drain(): Promise<void> {
    while (this.inFlight > 0) await new Promise<void>((resolve) => this.allSettled.push(resolve));
    await this.writes.idle();
  }

  private async track<T>(run: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await run();
    } finally {
      this.settled();
    }
  }

  private settled(): void {
    if (--this.inFlight === 0) for (const wake of this.allSettled.splice(0)) wake();
  }
}
