import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../core/clock.js";
import type { ChatEvent, Interaction } from "../core/events.js";
import type { Database } from "../db/schema.js";
import type { Logger } from "../log.js";
import type { Command, MessageAction } from "./commands/context.js";
import type { CommunityDirectory } from "./communities/community-directory.js";
import type { Community } from "./communities/community.repo.js";
import type { JobDefinition, TimerDefinition } from "../jobs/index.js";
import type { OutboxWriter } from "./outbox/index.js";
import type { Telemetry } from "./telemetry.js";
import type { WriteQueue } from "./write-queue.js";
import type { CommunityWriteLock } from "./community-write-lock.js";

/**
 * A capability is one folder under `src/engine/` (points, leaderboard, communities, …) that plugs
 * into the engine's list (`capabilities/index.ts`). It says what it adds — services for command
 * handlers, handlers for the events it cares about, commands of its own — and the engine composes
 * the list. Adding one touches no other capability and not the engine class.
 *
 * @example
 * export const greetings = defineCapability({
 *   name: "greetings",
 *   setup(kit) {
 *     const greetings = new GreetingService(kit.db);
 *     return {
 *       services: { greetings },
 *       events: [{ kinds: ["message.created"], handle: (scope) => greetings.onMessage(scope) }],
 *     };
 *   },
 * });
 */
export interface Capability<S extends object = object> {
  /** Unique, lower-case; names this capability's report in an {@link IngestOutcome}. */
  readonly name: string;
  /** Builds the capability once, in list order, from what the engine shares. */
  setup(kit: CapabilityKit): CapabilityParts<S>;
  /**
   * Commands this capability brings besides those declared in `commands/` (a plug-in or a test);
   * the project's own commands are declared in `commands/` and listed there.
   */
  readonly commands?: readonly Command[];
  /** Message actions this capability brings besides those declared in `commands/`. */
  readonly messageActions?: readonly MessageAction[];
}

/** What a capability adds once set up. */
export interface CapabilityParts<S extends object = object> {
  /** Reached by command handlers as `ctx.services.<key>`. */
  services?: S;
  /** Handlers for activity events; every handler of one event writes in that event's one transaction. */
  events?: readonly EventHandler[];
  /** Recurring jobs (a cron schedule in each community's timezone), run durably by the engine's scheduler. */
  jobs?: readonly JobDefinition[];
  /** One-off timers ("at T, key K"): schedule them with `scheduleTimer(trx, …)` from `src/jobs`. */
  timers?: readonly TimerDefinition<never>[];
  /** Checks every activity event passes before any handler sees it (forget: a forgotten member's old events). */
  gates?: readonly EventGate[];
}

/** What a capability may build its services from. */
export interface CapabilityKit {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  /** The group-commit write queue every write goes through. */
  writes: WriteQueue;
  /**
   * Postgres: `enter(trx, communityId)` before reading what a write-queue transaction writes from,
   * if the capability keeps copies of rows in memory or numbers things (community-write-lock.ts).
   */
  communityLock: CommunityWriteLock;
  communities: CommunityDirectory;
  /** Writes what the bot says on its own into the durable outbox, inside the caller's transaction. */
  outbox: OutboxWriter;
  /** Where to report what was done, once committed (the points capability counts ledger rows); cheap calls only. */
  telemetry: Telemetry;
  /** Services of the capabilities listed before this one (a capability may build on another's). */
  services: Readonly<Record<string, unknown>>;
}

/** The activity events the engine fans out to capabilities (interactions go to the command runner). */
export type ActivityEvent = Exclude<ChatEvent, Interaction>;

/** What one handler of an event is given: the event's shared transaction and the outcome being built. */
export interface EventScope<E extends ActivityEvent = ActivityEvent> {
  trx: Transaction<Database>;
  community: Community;
  event: E;
  /** The engine's clock at the time of handling (event times are the platform's). */
  now: Date;
  /** Handlers report here by capability name; later handlers may read earlier reports. */
  outcome: IngestOutcome;
  /**
   * Runs `effect` once the transaction has committed (never if it rolls back). Only for in-memory
   * effects such as listeners: anything the bot *says* is written to the outbox inside `trx`.
   */
  afterCommit(effect: () => void): void;
}

/** A capability's handler for some kinds of activity event. It must be idempotent: events can be re-delivered. */
export interface EventHandler {
  readonly kinds: readonly ActivityEvent["kind"][];
  /**
   * May return nothing when it had nothing to wait for: most handlers look at most events and
   * decide at once to leave them, and the engine then spends no promise on them (every event
   * passes four or five handlers; the allocations were a measurable part of the hot path).
   */
  handle(scope: EventScope): Promise<unknown> | void;
}

/**
 * Decides whether an activity event reaches the handlers at all, and may hand them a narrowed copy
 * (a mention taken out). `admit` runs for every event, inside its transaction and before the first
 * handler, so what an earlier write in the same transaction decided is seen: it must answer from
 * memory, never read the database. `ready` is awaited before the transaction and may load what
 * `admit` reads; it returns undefined when nothing is to load (the usual case, costing nothing).
 */
export interface EventGate {
  ready?(community: Community): Promise<void> | undefined;
  /** The event to hand on (itself, or a narrowed copy), or undefined to drop it: nothing is written. */
  admit(community: Community, event: ActivityEvent): ActivityEvent | undefined;
}

/** What ingesting one event did: each capability's report under its name (points puts its `PointsOutcome`). */
export interface IngestOutcome {
  /**
   * True when a handler found the event already applied (a re-delivery), or a gate dropped it (a
   * forgotten member's old event: `reports.gate` names why): adapters log it, nothing else.
   */
  duplicate: boolean;
  reports: Record<string, unknown>;
}

/** Declares a capability, keeping its services' type for {@link ServicesOf}. */
export function defineCapability<S extends object>(capability: Capability<S>): Capability<S> {
  return capability;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** The services a list of capabilities provides, merged: `{ points: PointsService } & { leaderboard: … }`. */
export type ServicesOf<L extends readonly Capability<object>[]> = UnionToIntersection<{ [K in keyof L]: L[K] extends Capability<infer S> ? S : never }[number]>;
