import type { Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { MessageCreated, MessageDeleted, ReactionChanged } from "../../core/events.js";
import { type Actor, channelKey, type MemberRef, type Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import { localDay } from "../calendar.js";
import type { Community } from "../communities/community.repo.js";
import { noTelemetry, type Telemetry } from "../telemetry.js";
import type { WriteQueue } from "../write-queue.js";
import type { CommunityWriteLock } from "../community-write-lock.js";
import { recordLevelUp } from "../levels/level-ups.repo.js";
import { levelFor } from "./levels.js";
import { MemberCache } from "./member-cache.js";
import { MemberStates } from "./member-states.js";
import { duplicateOutcome, emptyOutcome, type LevelUp, type PointsOutcome } from "./outcome.js";
import { allTimeOf, mergeTotals, splitTotals } from "./person-totals.js";
import { messageCreated, messageDeleted } from "./message-events.js";
import { thanksExists } from "./points-events.repo.js";
import { reactionAdded, reactionRemoved } from "./reaction-events.js";
import { gift } from "./thanks-events.js";
import { Settlement } from "./settlement.js";
import { TotalsHistogram } from "./totals-histogram.js";

export type PointsEvent = MessageCreated | MessageDeleted | ReactionChanged;

export type LevelUpListener = (levelUp: LevelUp & { community: Community; place: Place }) => void;

/**
 * Told, inside the transaction that recorded them, of the levels members reached for the first
 * time — so what is said about them (the announcement in the outbox) commits with them.
 */
export type LevelsReached = (trx: Transaction<Database>, community: Community, place: Place, levelUps: readonly LevelUp[]) => Promise<void>;

/** One ledger row for {@link PointsService.importIn}: the ledger's own columns, and the member it is under. */
export interface ImportedLedgerRow {
  key: string;
  /** Created if new (with `displayName`, cleaned); an existing member is renamed only if a name is given. */
  member: MemberRef;
  amount: number;
  reason: string;
  sourceKey: string;
  /** ISO time, UTC. */
  at: string;
  /** Community-local day `yyyy-MM-dd`: the totals periods the points count in derive from it. */
  day: string;
  reverses?: string | null;
}

export interface ThanksRequest {
  /** Natural key of what carried the thanks: a message key or a command key. */
  sourceKey: string;
  giver: Actor;
  receiver: MemberRef;
  at: Date;
  place: Place;
}

/**
 * How far ahead of the engine's clock an event may be stamped and still count. Platform clocks
 * and ours disagree by seconds, not minutes (Slack itself refuses requests more than 5 minutes
 * off). An event stamped further ahead — or before 1970, or not a time at all — is recorded (a
 * message, so reactions to it still find their author) but earns nothing and moves no member's
 * state: clamping it to "now + 5 min" instead would still let a wrong clock put a member's state
 * ahead of every real event for those minutes, and would make what it earns depend on when it
 * arrived. One event stamped in the year 275760 used to make every later event of its member late.
 */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * Turns chat activity into ledger rows. Every event is applied inside the write queue's transaction
 * and recorded under its natural key, so a second delivery finds it and changes nothing; what it
 * earns is what it would have earned had every event arrived in timestamp order (see rules.ts).
 */
export class PointsService {
  private readonly levelUpListeners: LevelUpListener[] = [];
  private readonly members = new MemberCache();
  /** Kept with the totals, written once per transaction (ranks read it: docs/standing.md). */
  private readonly histogram: TotalsHistogram;

  /** Ledger rows appended in the open transaction, told to telemetry once it commits. */
  private ledgerRowsPending = 0;

  constructor(
    private readonly queue: WriteQueue,
    private readonly clock: Clock,
    private readonly levelsReached: LevelsReached = async () => {},
    /** Postgres: serializes a community's points writes across processes and says when the cache went stale. */
    private readonly lock?: CommunityWriteLock,
    private readonly telemetry: Pick<Telemetry, "ledgerRows"> = noTelemetry,
  ) {
    // A rolled-back batch may have cached rows that were never committed.
    queue.onRollback(() => {
      this.members.clear();
      this.ledgerRowsPending = 0;
    });
    queue.onCommit(() => {
      if (this.ledgerRowsPending === 0) return;
      this.telemetry.ledgerRows(this.ledgerRowsPending);
      this.ledgerRowsPending = 0;
    });
    lock?.onStale((communityId) => this.members.forgetCommunity(communityId));
    this.histogram = new TotalsHistogram(queue);
  }

  /** Before anything of the community is read (Postgres; nothing on SQLite, without an await). */
  private locked(trx: Transaction<Database>, communityId: string, deferrable = false): Promise<void> | undefined {
    return this.lock?.active ? this.lock.enter(trx, communityId, { deferrable }) : undefined;
  }

  /** Called after a committed write raised members' levels (adapters announce it, grant roles). Returns an unsubscribe. */
  onLevelUp(listener: LevelUpListener): () => void {
    this.levelUpListeners.push(listener);
    return () => {
      const i = this.levelUpListeners.indexOf(listener);
      if (i >= 0) this.levelUpListeners.splice(i, 1);
    };
  }

  /** Applies a message or reaction event; resolves after it is committed. */
  async apply(community: Community, event: PointsEvent): Promise<PointsOutcome> {
    const outcome = await this.queue.submit((trx) => this.applyIn(trx, community, event));
    return this.announce(community, event.place, outcome);
  }

  /** `/thanks`: resolves after the thanks is committed. A refused thanks writes nothing at all. */
  async thank(community: Community, request: ThanksRequest): Promise<PointsOutcome> {
    const outcome = await this.queue.submit(async (trx) => {
      // First thing: nothing written yet, so it may be put off to the next transaction.
      await this.locked(trx, community.id, true);
      const at = this.validTime(request.at);
      const s = this.settlement(trx, community, request.place, at);
      const key = `${request.sourceKey}:thanks:${request.receiver.id}`;
      if (request.giver.isBot) s.ledger.skip("bot", request.giver.id);
      else if (at === undefined) s.ledger.skip("bad-timestamp", request.giver.id);
      else if (community.settings.points.noPointsChannels.includes(channelKey(request.place))) s.ledger.skip("no-points-channel", request.receiver.id);
      else if (await thanksExists(trx, key)) return duplicateOutcome();
      else await gift(s, { key, sourceKey: request.sourceKey, giver: request.giver, receiver: request.receiver, at, endedAt: null });
      const outcome = this.written(await s.finish());
      if (outcome.levelUps.length) await this.levelsReached(trx, community, request.place, outcome.levelUps);
      return outcome;
    });
    return this.announce(community, request.place, outcome);
  }

  /** Tells level-up listeners about a committed outcome's level-ups. */
  announce(community: Community, place: Place, outcome: PointsOutcome): PointsOutcome {
    for (const levelUp of outcome.levelUps) for (const listener of this.levelUpListeners) listener({ ...levelUp, community, place });
    return outcome;
  }

  /** The same as {@link apply}, inside a transaction the caller already holds. */
  async applyIn(trx: Transaction<Database>, community: Community, event: PointsEvent): Promise<PointsOutcome> {
    // The engine took the lock for this event already (a memo hit); a direct caller may not have.
    const entering = this.locked(trx, community.id);
    if (entering) await entering;
    const at = this.validTime(event.at);
    const s = this.settlement(trx, community, event.place, at, event.at);
    let duplicate = false;
    switch (event.kind) {
      case "message.created":
        duplicate = await messageCreated(s, event, at);
        break;
      case "message.deleted":
        duplicate = await messageDeleted(s, event, at);
        break;
      case "reaction.added":
        duplicate = await reactionAdded(s, event, at);
        break;
      case "reaction.removed":
        duplicate = await reactionRemoved(s, event, at);
        break;
    }
    if (duplicate) return duplicateOutcome();
    const outcome = this.written(await s.finish());
    if (outcome.levelUps.length) await this.levelsReached(trx, community, event.place, outcome.levelUps);
    return outcome;
  }

  /**
   * Points outside the activity rules — a moderator's penalty or `/mod adjust`, a talk's speaker or
   * attendee — inside the caller's transaction: one ledger row keyed `key` (the natural key of its
   * cause), its totals and the member's all-time points, through the same ledger writer and member
   * cache as activity; a level reached by it is recorded and announced like any other. A second
   * call with the same key changes nothing (`duplicate`). `trx` must be the write queue's
   * transaction (a command's or event's work, or a timer's: the engine runs timers in the queue).
   */
  async adjustIn(trx: Transaction<Database>, community: Community, a: { key: string; member: MemberRef; amount: number; reason: string; sourceKey: string; at: Date; place: Place; reverses?: string }): Promise<PointsOutcome> {
    await this.locked(trx, community.id);
    const at = a.at.toISOString();
    const s = this.settlement(trx, community, a.place, at, a.at);
    await s.members.get(a.member);
    if (!(await s.ledger.adjust({ key: a.key, memberId: a.member.id, amount: a.amount, reason: a.reason, sourceKey: a.sourceKey, at, day: s.day(at), ...(a.reverses ? { reverses: a.reverses } : {}) }))) return duplicateOutcome();
    const outcome = this.written(await s.finish());
    if (outcome.levelUps.length) await this.levelsReached(trx, community, a.place, outcome.levelUps);
    return outcome;
  }

  /**
   * Ledger rows brought in from elsewhere (`npm run import`: another bot's XP, or our own export),
   * inside the caller's transaction, through the same ledger writer as everything else: each row is
   * appended unless its key exists, on the `day` it names (an import chooses where its points
   * count), and moves the totals, the histogram, the members' own points and their levels. One
   * settlement for all of `rows`, so a member's levels are judged once, after its last row. A
   * level reached is recorded and handed to `levelsReached` like any other (the import's own
   * service decides what is said: nothing). `duplicate` when every row was there already.
   */
  async importIn(trx: Transaction<Database>, community: Community, place: Place, rows: readonly ImportedLedgerRow[]): Promise<PointsOutcome> {
    const s = this.settlement(trx, community, place, this.clock.now().toISOString());
    let appended = 0;
    for (const r of rows) {
      await s.members.get(r.member);
      if (await s.ledger.adjust({ key: r.key, memberId: r.member.id, amount: r.amount, reason: r.reason, sourceKey: r.sourceKey, at: r.at, day: r.day, ...(r.reverses ? { reverses: r.reverses } : {}) })) appended++;
    }
    if (appended === 0) return duplicateOutcome();
    const outcome = await s.finish();
    if (outcome.levelUps.length) await this.levelsReached(trx, community, place, outcome.levelUps);
    return outcome;
  }

  /**
   * Joins `member` to the person whose canonical member is `person` (`/link`), inside the write
   * queue's transaction: the member's totals move into the person's (the histogram told), its
   * `person_id` is set, and the member cache forgets it, so the next event adds to the person. A
   * level the person reaches by the combined total is recorded under `person`; it is announced (as
   * any level-up: outbox, then {@link announce} after commit) unless either side had reached it
   * already, when it is recorded as announced. The caller checks who may link (people.service.ts).
   */
  async linkIn(trx: Transaction<Database>, community: Community, a: { person: MemberRef; member: MemberRef; at: Date; place: Place }): Promise<PointsOutcome> {
    await this.locked(trx, community.id);
    const now = this.clock.now().toISOString();
    const states = new MemberStates(trx, community.id, now, this.members);
    const person = await states.get(a.person);
    const member = await states.get(a.member);
    await states.flush();
    const before = await allTimeOf(trx, community.id, person.member_id);
    const memberBefore = await allTimeOf(trx, community.id, member.member_id);
    const after = await mergeTotals(trx, this.histogram, community.id, person.member_id, member.member_id);
    this.members.forget(community.id, member.member_id);

    const outcome = emptyOutcome();
    const level = levelFor(after);
    if (level <= levelFor(before)) return outcome;
    const news = level > levelFor(memberBefore);
    const first = await recordLevelUp(trx, { community_id: community.id, member_id: person.member_id, level, reached_at: a.at.toISOString(), channel_key: channelKey(a.place), announced_at: news ? null : now });
    if (!first || !news) return outcome;
    outcome.levelUps.push({ memberId: member.member_id, personId: person.member_id, displayName: member.display_name, level });
    await this.levelsReached(trx, community, a.place, outcome.levelUps);
    return outcome;
  }

  /**
   * Splits `memberId` off the person `personId` (`/unlink`), inside the write queue's transaction:
   * its own totals are recomputed from its own ledger rows and taken out of the person's, its
   * `person_id` cleared, and the member cache forgets it. Levels already recorded stay recorded.
   */
  async unlinkIn(trx: Transaction<Database>, community: Community, a: { personId: string; memberId: string }): Promise<void> {
    await this.locked(trx, community.id);
    await splitTotals(trx, this.histogram, community.id, a.personId, a.memberId);
    this.members.forget(community.id, a.memberId);
  }

  /** Counts a settlement's ledger rows (one award note per row appended) for telemetry at commit. */
  private written(outcome: PointsOutcome): PointsOutcome {
    this.ledgerRowsPending += outcome.awards.length;
    return outcome;
  }

  /**
   * Drops every cached member row. Forgetting a member (src/engine/forget) renames rows under the
   * cache — the member's own, and other members' watermarks — inside the write queue's transaction;
   * the next events read them back from it.
   */
  dropCachedMembers(): void {
    this.members.clear();
  }

  /** The event's time as stored, or undefined if it must earn nothing (see {@link FUTURE_TOLERANCE_MS}). */
  private validTime(at: Date): string | undefined {
    const ms = at.getTime();
    if (!Number.isFinite(ms) || ms < 0 || ms > this.clock.now().getTime() + FUTURE_TOLERANCE_MS) return undefined;
    return at.toISOString();
  }

  private settlement(trx: Transaction<Database>, community: Community, place: Place, at: string | undefined, when?: Date): Settlement {
    const event = at !== undefined && when ? { at, day: localDay(when, community.settings.timezone) } : undefined;
    return new Settlement(trx, community, channelKey(place), at ?? this.clock.now().toISOString(), this.members, this.histogram, event);
  }
}
