import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { dayBounds, localDay } from "../calendar.js";
import type { Community } from "../communities/community.repo.js";
import { LedgerWriter } from "./ledger-writer.js";
import type { MemberCache } from "./member-cache.js";
import { MemberStates } from "./member-states.js";
import type { PointsOutcome } from "./outcome.js";
import type { TotalsHistogram } from "./totals-histogram.js";
import { asEarning, fromMessage, fromReaction, fromThanks, isEligible, type RecordedEvent } from "./points-events.js";
import {
  countedGivenBetween,
  lastAwardBefore,
  messagesBetween,
  nextMessageAt,
  reactionsBetween,
  setCounted,
  setGross,
  setNet,
  thanksGivenBetween,
  thanksReceivedBetween,
} from "./points-events.repo.js";
import type { MemberRow } from "./points.repo.js";
import { canonical, carryReaches, correction, desiredNet, type Earning, isAfter, judgeBudget, judgeDay, judgeGift, judgeNext, type Judgement, type RuleState } from "./rules.js";

const NO_STATE: RuleState = { lastMessageAwardAt: null, activityDay: null, activityPoints: 0, thanksGiven: 0 };
/** Sorts after every ISO time: "all of a member's messages". */
const END_OF_TIME = "9999";

/**
 * What one event does to points, in one direction: the service records the event and asks here
 * how the rules judge it; this decides (pure rules) and, at {@link finish}, writes the ledger rows
 * that bring every event it touched to what the rules now grant, then the members.
 *
 * An event newer than everything its member has counted (after the watermark) is judged from the
 * member's recorded state — the hot path, one step of the fold. Any other change marks the
 * member-day late; {@link finish} then refolds those days from the recorded events in canonical
 * order, follows the cooldown across midnight while what a day carries out changes, and derives
 * the member's state afresh.
 */
export class Settlement {
  readonly members: MemberStates;
  readonly ledger: LedgerWriter;
  // Made when first needed: most events touch nothing but themselves (the hot path).
  /** Events whose ledger rows may have to change, by key. */
  private touched: Map<string, RecordedEvent> | undefined;
  /** Member → community-local days to refold. */
  private late: Map<string, Set<string>> | undefined;
  /** Members whose state must be derived again from the recorded events. */
  private restate: Set<string> | undefined;
  private lastDay: { at: string; day: string } | undefined;

  constructor(
    readonly db: Kysely<Database>,
    readonly community: Community,
    channelKey: string,
    reachedAt: string,
    cache: MemberCache,
    histogram: TotalsHistogram,
    /** The event's own time and local day, known already (asked for on every step). */
    event?: { at: string; day: string },
  ) {
    this.members = new MemberStates(db, community.id, reachedAt, cache);
    this.ledger = new LedgerWriter(db, community.id, channelKey, reachedAt, this.members, histogram);
    this.lastDay = event;
  }

  get rules() {
    return this.community.settings.points;
  }

  day(at: string): string {
    // An event asks this several times for its own time.
    if (this.lastDay?.at !== at) this.lastDay = { at, day: localDay(new Date(at), this.community.settings.timezone) };
    return this.lastDay.day;
  }

  /** Whether the member's recorded state can judge an event at `at`/`key`: it is their newest, and no recompute is pending. */
  fresh(member: Readonly<MemberRow> | undefined, at: string, key: string): boolean {
    if (!member) return true;
    if (this.late?.has(member.member_id)) return false;
    return isAfter(at, key, member.watermark_at, member.watermark_key) && (member.activity_day === null || this.day(at) >= member.activity_day);
  }

  /** Hot path: judges a fresh earning; `commit()` (once the event is recorded) advances the member's state. */
  judge(member: MemberRow, e: Earning): { judgement: Judgement; commit(): void } {
    const step = judgeNext(this.rules, this.members.ruleState(member), e, this.day(e.at));
    return { judgement: step.judgement, commit: () => this.members.advance(member.member_id, step.state, e.at, e.key) };
  }

  /** Hot path for a giver: whether a fresh thanks counts; `commit(giverId)` spends the budget. */
  judgeGift(giver: Readonly<MemberRow> | undefined, at: string, key: string): { counted: boolean; commit(giverId: string): void } {
    const step = judgeGift(this.rules, giver ? this.members.ruleState(giver) : NO_STATE, this.day(at));
    return { counted: step.counted, commit: (giverId) => this.members.advance(giverId, step.state, at, key) };
  }

  /**
   * A thanks older than its giver's watermark: refolds the giver's day with it. If it counts, the
   * thanks it pushes out of the budget stop counting and their receivers' days are marked late.
   * Writes nothing when it does not count (then it never will: later events only add thanks ahead).
   */
  async judgeLateGift(giverId: string, gift: { key: string; at: string }): Promise<boolean> {
    const day = this.day(gift.at);
    const [from, to] = dayBounds(day, this.community.settings.timezone);
    const given = (await thanksGivenBetween(this.db, this.community.id, giverId, from, to)).map((r) => this.known(fromThanks(r)));
    const counted = judgeBudget(this.rules, [...given.map((g) => ({ key: g.key, at: g.at as string })), gift]);
    if (!counted.has(gift.key)) return false;
    for (const e of given) {
      const now = counted.has(e.key);
      if (now === e.counted) continue;
      e.counted = now;
      await setCounted(this.db, e.key, now);
      this.touch(e);
      this.markLate(e.memberId, day);
    }
    // The giver's state is stale until the recompute: later events of theirs in this one must not
    // be judged from it.
    this.markLate(giverId, day);
    return true;
  }

  /**
   * The member's `day` must be refolded before the event commits. With `at`/`key`, a new event of
   * theirs is recorded there (the watermark moves up to it if it is newer); the member must be loaded.
   */
  markLate(memberId: string, day: string, at?: string, key?: string): void {
    if (at !== undefined && key !== undefined) this.members.raiseWatermark(memberId, at, key);
    this.late ??= new Map();
    let days = this.late.get(memberId);
    if (!days) this.late.set(memberId, (days = new Set()));
    days.add(day);
    (this.restate ??= new Set()).add(memberId);
  }

  /** The event's ledger rows are brought to what it is granted when the event commits. */
  touch(e: RecordedEvent): void {
    (this.touched ??= new Map()).set(e.key, e);
  }

  /**
   * The ledger rows of an event recorded on the hot path. It was stored with the `net` and
   * `ledgerRows` {@link preview} gave; they are stored again only if writing turned out otherwise.
   */
  async firstRows(e: RecordedEvent, stored: { net: number; ledgerRows: number }): Promise<void> {
    await this.ledger.reconcile(e, this.day(e.at as string));
    if (e.net !== stored.net || e.ledgerRows !== stored.ledgerRows) await setNet(this.db, e.table, e.key, e.net, e.ledgerRows);
  }

  /** The event moved off `day`: its ledger rows there are taken back (and its sum stored). */
  async withdraw(e: RecordedEvent, day: string): Promise<void> {
    if (e.net === 0) return;
    await this.ledger.withdraw(e, day);
    await setNet(this.db, e.table, e.key, e.net, e.ledgerRows);
  }

  /** What a new event's `net` and `ledgerRows` will be once {@link firstRows} has written its first row. */
  static preview(e: Pick<RecordedEvent, "key" | "kind" | "gross" | "endedAt">): { net: number; ledgerRows: number } {
    const plan = correction({ key: e.key, kind: e.kind, net: 0, ledgerRows: 0, ended: e.endedAt !== null }, desiredNet(e.gross, e.endedAt !== null));
    return plan ? { net: plan.amount, ledgerRows: 1 } : { net: 0, ledgerRows: 0 };
  }

  /** Recomputes what is late, writes every touched event's ledger rows, then members and level-ups. */
  async finish(): Promise<PointsOutcome> {
    // Each guarded: on the hot path none of them is set, and a loop over `?? []` still allocates.
    if (this.late) for (const [memberId, days] of this.late) await this.refold(memberId, days);
    if (this.restate) for (const memberId of this.restate) await this.deriveState(memberId);
    if (this.touched) {
      for (const e of this.touched.values()) {
        if (e.memberId === "" || e.at === null) continue;
        if (await this.ledger.reconcile(e, this.day(e.at))) await setNet(this.db, e.table, e.key, e.net, e.ledgerRows);
      }
    }
    await this.ledger.recordLevels();
    await this.members.flush();
    return this.ledger.outcome;
  }

  /**
   * Refolds a member's late days in order. The last message that earned on a day can block the
   * first ones of the next (the cooldown reaches across midnight), so when what a day carries out
   * changes, the member's next day with a message is refolded too, as long as the change can reach it.
   */
  private async refold(memberId: string, days: Set<string>): Promise<void> {
    const member = await this.members.peek(memberId);
    const isBot = member?.is_bot === 1;
    const queue = [...days].sort();
    /** A day reached by a changed carry, and what it carried in before. */
    let chain: { day: string; oldCarry: string | null } | undefined;
    while (queue.length > 0) {
      const day = queue.shift() as string;
      const [from, to] = dayBounds(day, this.community.settings.timezone);
      const events = await this.loadDay(memberId, from, to);
      const carryIn = await lastAwardBefore(this.db, this.community.id, memberId, from);
      const oldCarryIn = chain?.day === day ? chain.oldCarry : carryIn;
      const oldCarryOut = lastAwarded(events) ?? oldCarryIn;

      const eligible = isBot ? [] : events.filter(isEligible);
      const result = judgeDay(this.rules, day, carryIn, eligible.map(asEarning));
      for (const e of events) {
        const gross = result.judgements.get(e.key)?.gross ?? null;
        if (gross !== e.gross) {
          e.gross = gross;
          await setGross(this.db, e.table, e.key, gross);
        }
        this.touch(e);
      }

      chain = undefined;
      if (result.carryOut === oldCarryOut) continue;
      const next = await nextMessageAt(this.db, this.community.id, memberId, to);
      if (next === null || !(carryReaches(this.rules, result.carryOut, next) || carryReaches(this.rules, oldCarryOut, next))) continue;
      const nextDay = this.day(next);
      chain = { day: nextDay, oldCarry: oldCarryOut };
      if (!queue.includes(nextDay)) queue.push(nextDay);
      queue.sort();
    }
  }

  /** The member's state as of their watermark, from the recorded events (which now hold the refolded grants). */
  private async deriveState(memberId: string): Promise<void> {
    const member = await this.members.peek(memberId);
    if (!member?.watermark_at) return;
    await this.members.get({ id: memberId });
    const day = this.day(member.watermark_at);
    const [from, to] = dayBounds(day, this.community.settings.timezone);
    const events = await this.loadDay(memberId, from, to);
    this.members.restate(memberId, {
      lastMessageAwardAt: await lastAwardBefore(this.db, this.community.id, memberId, END_OF_TIME),
      activityDay: day,
      activityPoints: events.filter(isEligible).reduce((sum, e) => sum + (e.gross ?? 0), 0),
      thanksGiven: await countedGivenBetween(this.db, this.community.id, memberId, from, to),
    });
  }

  /** Everything a member earns from in `[from, to)`: their messages, reactions and thanks received. */
  private async loadDay(memberId: string, from: string, to: string): Promise<RecordedEvent[]> {
    const [messages, reactions, thanks] = [
      await messagesBetween(this.db, this.community.id, memberId, from, to),
      await reactionsBetween(this.db, this.community.id, memberId, from, to),
      await thanksReceivedBetween(this.db, this.community.id, memberId, from, to),
    ];
    return [...messages.map(fromMessage), ...reactions.map(fromReaction), ...thanks.map(fromThanks)].map((e) => this.known(e));
  }

  /** One object per event: the one this settlement already holds (its ledger sum may be ahead of the table's). */
  private known(e: RecordedEvent): RecordedEvent {
    return this.touched?.get(e.key) ?? e;
  }
}

/** Time of the last message among `events` that earned, in canonical order. */
function lastAwarded(events: readonly RecordedEvent[]): string | null {
  let last: RecordedEvent | undefined;
  for (const e of events) {
    if (e.table !== "messages" || e.gross === null || !isEligible(e)) continue;
    if (!last || canonical(e as { at: string; key: string }, last as { at: string; key: string }) > 0) last = e;
  }
  return last?.at ?? null;
}
