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
import { earliest, fromMessage, fromReaction, fromThanks, isEligible, type MessageRow, type ThanksRow } from "./points-events.js";
import {
  claimReactions,
  endReactions,
  endThanks,
  fillTombstone,
  findMessage,
  insertMessage,
  insertThanks,
  markMessageDeleted,
  messageAuthor,
  reactionsOf,
  thanksExists,
  thanksOf,
} from "./points-events.repo.js";
import { endedEarlier, reactionAdded, reactionRemoved, refuse } from "./reaction-events.js";
import { saysThanks } from "./rules.js";
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
      else await this.gift(s, { key, sourceKey: request.sourceKey, giver: request.giver, receiver: request.receiver, at, endedAt: null });
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
        duplicate = await this.messageCreated(s, event, at);
        break;
      case "message.deleted":
        duplicate = await this.messageDeleted(s, event, at);
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

  /** Returns true when the event had been applied already. */
  private async messageCreated(s: Settlement, e: MessageCreated, at: string | undefined): Promise<boolean> {
    if (e.author.isBot) return refuse(s, "bot", e.author.id);
    const createdAt = at ?? (Number.isFinite(e.at.getTime()) ? e.at.toISOString() : undefined);
    if (createdAt === undefined) return refuse(s, "bad-timestamp", e.author.id);
    const channel = channelKey(e.place);
    const noPoints = s.rules.noPointsChannels.includes(channel);
    const scored = at !== undefined && !noPoints;
    const author = await s.members.get(e.author);
    const kind = e.threadParentKey !== undefined ? "reply" : "post";

    const decision = at !== undefined && scored && s.fresh(author, at, e.messageKey) ? s.judge(author, { key: e.messageKey, at, kind }) : undefined;
    const gross = decision?.judgement.gross ?? null;
    const first = Settlement.preview({ key: e.messageKey, kind, gross, endedAt: null });
    const row: MessageRow = {
      message_key: e.messageKey,
      community_id: s.community.id,
      member_id: e.author.id,
      channel_key: channel,
      thread_parent_key: e.threadParentKey ?? null,
      created_at: createdAt,
      deleted_at: null,
      scored: scored ? 1 : 0,
      gross,
      net: first.net,
      ledger_rows: first.ledgerRows,
    };
    let early = false;
    if (!(await insertMessage(s.db, row))) {
      const existing = await messageAuthor(s.db, e.messageKey);
      if (!existing || existing.member_id !== "") return true;
      // A row without an author: reactions or a delete overtook this create. A delete's create is
      // judged in its place all the same (it takes its cooldown and room as it would have in
      // order), and reversed at once — nothing reaches the ledger.
      if (existing.deleted_at !== null) Object.assign(row, { deleted_at: existing.deleted_at, net: 0, ledger_rows: 0 });
      await fillTombstone(s.db, row);
      early = true;
    }

    if (!scored) s.ledger.skip(noPoints ? "no-points-channel" : "bad-timestamp", e.author.id);
    else if (decision) {
      decision.commit();
      if (decision.judgement.refusal) s.ledger.skip(decision.judgement.refusal, e.author.id);
      if (row.deleted_at === null) await s.firstRows(fromMessage({ ...row, net: 0, ledger_rows: 0 }), first);
    } else s.markLate(e.author.id, s.day(createdAt), createdAt, e.messageKey);

    if (early) await this.claimEarlyReactions(s, e.messageKey, e.author.id);

    if (scored && e.mentions.length > 0 && saysThanks(e.text)) {
      const receivers = [...new Map(e.mentions.map((m) => [m.id, m])).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const receiver of receivers) {
        await this.gift(s, { key: `${e.messageKey}:thanks:${receiver.id}`, sourceKey: e.messageKey, giver: e.author, receiver, at: createdAt, endedAt: row.deleted_at });
      }
    }
    return false;
  }

  /** Reactions that arrived before their message now know who earns them; their days are refolded. */
  private async claimEarlyReactions(s: Settlement, messageKey: string, authorId: string): Promise<void> {
    const early = (await reactionsOf(s.db, messageKey)).filter((r) => r.member_id === "");
    if (early.length === 0) return;
    await claimReactions(s.db, messageKey, authorId);
    await s.members.get({ id: authorId });
    for (const r of early) {
      const e = fromReaction({ ...r, member_id: authorId });
      if (!isEligible(e)) continue;
      s.markLate(authorId, s.day(e.at as string), e.at as string, e.key);
      s.touch(e);
    }
  }

  /** A thanks from `giver` to `receiver`, in a message or by `/thanks`. */
  private async gift(s: Settlement, g: { key: string; sourceKey: string; giver: Actor; receiver: MemberRef; at: string; endedAt: string | null }): Promise<void> {
    if (g.giver.isBot) return s.ledger.skip("bot", g.giver.id);
    if (g.receiver.id === g.giver.id) return s.ledger.skip("self", g.giver.id);
    // Read, not created: a refused thanks leaves no member row behind (nor renames one).
    const known = await s.members.peek(g.receiver.id);
    if (g.receiver.isBot ?? known?.is_bot === 1) return s.ledger.skip("bot", g.receiver.id);

    const giverRow = await s.members.peek(g.giver.id);
    let spend: ((giverId: string) => void) | undefined;
    if (s.fresh(giverRow, g.at, g.key)) {
      const step = s.judgeGift(giverRow, g.at, g.key);
      if (!step.counted) return s.ledger.skip("thanks-budget", g.giver.id);
      spend = step.commit;
    }
    await s.members.get(g.giver);
    if (spend) spend(g.giver.id);
    else {
      if (!(await s.judgeLateGift(g.giver.id, { key: g.key, at: g.at }))) return s.ledger.skip("thanks-budget", g.giver.id);
      s.members.raiseWatermark(g.giver.id, g.at, g.key);
    }

    // It counts: the thanks is spent even if the receiver is at today's cap. The name the option
    // carries is taken only if the thanks earns: one that earns nothing renames no one.
    const receiver = await s.members.get({ id: g.receiver.id, ...(g.receiver.isBot !== undefined ? { isBot: g.receiver.isBot } : {}) });
    const decision = s.fresh(receiver, g.at, g.key) ? s.judge(receiver, { key: g.key, at: g.at, kind: "thanks" }) : undefined;
    const gross = decision?.judgement.gross ?? null;
    if (!decision || (gross ?? 0) > 0) await s.members.get(g.receiver);
    const first = Settlement.preview({ key: g.key, kind: "thanks", gross, endedAt: g.endedAt });
    const row: ThanksRow = {
      key: g.key,
      community_id: s.community.id,
      source_key: g.sourceKey,
      giver_id: g.giver.id,
      receiver_id: g.receiver.id,
      at: g.at,
      ended_at: g.endedAt,
      counted: 1,
      gross,
      net: first.net,
      ledger_rows: first.ledgerRows,
    };
    if (!(await insertThanks(s.db, row))) return;
    if (decision) {
      decision.commit();
      if (decision.judgement.refusal) s.ledger.skip(decision.judgement.refusal, g.receiver.id);
      await s.firstRows(fromThanks({ ...row, net: 0, ledger_rows: 0 }), first);
    } else s.markLate(g.receiver.id, s.day(g.at), g.at, g.key);
  }

  private async messageDeleted(s: Settlement, e: MessageDeleted, at: string | undefined): Promise<boolean> {
    if (at === undefined) return refuse(s, "bad-timestamp");
    const existing = await findMessage(s.db, e.messageKey);
    if (!existing) {
      // The delete overtook the create: a tombstone, so the create, when it comes, is reversed.
      await insertMessage(s.db, {
        message_key: e.messageKey,
        community_id: s.community.id,
        member_id: "",
        channel_key: channelKey(e.place),
        thread_parent_key: null,
        created_at: at,
        deleted_at: at,
        scored: 0,
        gross: null,
        net: 0,
        ledger_rows: 0,
      });
    } else {
      if (existing.deleted_at !== null && existing.deleted_at <= at) return true;
      await markMessageDeleted(s.db, e.messageKey, at);
      if (existing.member_id !== "") s.touch(fromMessage({ ...existing, deleted_at: at }));
      // Everything the message earned others: the thanks in it, the reactions it received.
      const thanks = await thanksOf(s.db, e.messageKey);
      if (thanks.length > 0) await endThanks(s.db, e.messageKey, at);
      for (const t of thanks) endedEarlier(s, fromThanks(t), fromThanks({ ...t, ended_at: earliest(t.ended_at, at) }));
    }
    const reactions = await reactionsOf(s.db, e.messageKey);
    if (reactions.length > 0) await endReactions(s.db, e.messageKey, at);
    for (const r of reactions) endedEarlier(s, fromReaction(r), fromReaction({ ...r, ended_at: earliest(r.ended_at, at) }));
    return false;
  }

}
