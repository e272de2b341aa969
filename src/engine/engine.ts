import type { Kysely } from "kysely";
import type { Clock } from "../core/clock.js";
import type { ButtonPressed, ChatEvent, CommandInvoked, FormSubmitted } from "../core/events.js";
import type { Reply } from "../core/reply.js";
import type { Database } from "../db/schema.js";
import type { Logger } from "../log.js";
import { CommandRunner } from "./commands/command-runner.js";
import type { Command, Services } from "./commands/context.js";
import { CommunityDirectory } from "./communities/community-directory.js";
import { CommunityLinks } from "./communities/community-links.js";
import type { Settings } from "./communities/settings.js";
import { LeaderboardService } from "./leaderboard/leaderboard.service.js";
import { LevelUps } from "./levels/level-ups.service.js";
import { Notices } from "./notices/notices.js";
import { emptyOutcome, type PointsOutcome } from "./points/outcome.js";
import { type LevelUpListener, PointsService } from "./points/points.service.js";
import { WriteQueue, type WriteQueueOptions } from "./write-queue.js";

export interface EngineOptions {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  commands: readonly Command[];
  /** Settings new communities start with (e.g. the default timezone). */
  defaults?: Partial<Settings>;
  writes?: WriteQueueOptions;
}

/**
 * The one entry point adapters talk to. Activity goes in through {@link ingest} and resolves once
 * committed (acknowledge the platform after that, never before); commands and buttons go through
 * {@link command}, {@link press} and {@link submit} and resolve with the reply to show.
 */
export class Engine {
  readonly writes: WriteQueue;
  readonly communities: CommunityDirectory;
  readonly services: Services;
  readonly commands: CommandRunner;
  readonly levels: LevelUps;
  readonly notices: Notices;
  /** Events and commands accepted but not yet settled: some have not reached the write queue yet. */
  private inFlight = 0;
  private readonly settledWaiters: (() => void)[] = [];

  constructor(private readonly options: EngineOptions) {
    this.writes = new WriteQueue(options.db, options.writes);
    this.communities = new CommunityDirectory(options.db, options.clock, options.defaults);
    this.services = {
      points: new PointsService(this.writes, options.clock),
      leaderboard: new LeaderboardService(options.db, options.clock),
      communities: this.communities,
      links: new CommunityLinks(options.db, this.communities, options.clock),
    };
    this.commands = new CommandRunner(options.commands, this.services, this.communities, options.clock, options.log);
    this.levels = new LevelUps(options.db, options.clock);
    this.notices = new Notices(options.db, options.clock);
  }

  /** Applies a message or reaction event; resolves once it is committed (or known to be a duplicate). */
  ingest(event: Exclude<ChatEvent, CommandInvoked | ButtonPressed | FormSubmitted>): Promise<PointsOutcome> {
    if (event.kind === "message.edited") return Promise.resolve(emptyOutcome());
    return this.track(async () => this.services.points.apply(await this.communities.resolve(event.place), event));
  }

  command(event: CommandInvoked): Promise<Reply> {
    return this.track(() => this.commands.run(event));
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

  /**
   * Waits for every accepted event and command to settle and every write to commit — including an
   * ingest still resolving its community, which has not reached the write queue yet.
   */
  async drain(): Promise<void> {
    for (;;) {
      await this.writes.idle();
      if (this.inFlight === 0) return;
      await new Promise<void>((resolve) => this.settledWaiters.push(resolve));
    }
  }

  private async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      if (--this.inFlight === 0) for (const wake of this.settledWaiters.splice(0)) wake();
    }
  }
}
