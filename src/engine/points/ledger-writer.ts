import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { recordLevelUp } from "../levels/level-ups.repo.js";
import { levelFor } from "./levels.js";
import type { MemberStates } from "./member-states.js";
import { emptyOutcome, type PointsOutcome, type SkipReason } from "./outcome.js";
import { isEligible, type RecordedEvent } from "./points-events.js";
import { addToTotals, insertLedger } from "./points.repo.js";
import { correction, desiredNet, type LedgerRowPlan } from "./rules.js";
import type { TotalsHistogram } from "./totals-histogram.js";

/**
 * Writes for one event inside the batch transaction: ledger rows, the totals derived from them,
 * members' all-time points, level-ups and the outcome report. The only code that touches `ledger`
 * and `totals` on the hot path (linking moves totals too: person-totals.ts), and tells the totals
 * histogram how each totals row moved, so they can't drift.
 *
 * A ledger row stays under the member who earned it; its totals go to the member's person
 * (`person_id`, from the member row the rules loaded anyway), and levels follow the person's
 * all-time total — the `all` row the totals upsert returns, so no query is added for anyone.
 */
export class LedgerWriter {
  readonly outcome: PointsOutcome = emptyOutcome();
  /** Each person's all-time points before this event touched them and after, for level-ups. */
  private persons: Map<string, { before: number; after: number; memberId: string; displayName: string }> | undefined;

  constructor(
    readonly db: Kysely<Database>,
    readonly communityId: string,
    /** Where the event happened; a level-up is announced there unless an announcements channel is set. */
    readonly channelKey: string,
    readonly reachedAt: string,
    readonly members: MemberStates,
    readonly histogram: TotalsHistogram,
  ) {}

  skip(reason: SkipReason, memberId?: string): void {
    this.outcome.skipped.push(memberId ? { memberId, reason } : { reason });
  }

  /**
   * Brings the event's ledger rows to what the rules now grant it (see `correction` in rules.ts)
   * and updates `e.net` and `e.ledgerRows` to match; the caller stores those. True if a row was added.
   */
  async reconcile(e: RecordedEvent, day: string): Promise<boolean> {
    const desired = desiredNet(isEligible(e) ? e.gross : null, e.endedAt !== null);
    // A key can only be taken already by rows written before events recorded their row count
    // (databases older than the points-events migration); the next key is then used.
    for (let attempt = 0; attempt < 4; attempt++) {
      const plan = correction({ key: e.key, kind: e.kind, net: e.net, ledgerRows: e.ledgerRows, ended: e.endedAt !== null }, desired);
      if (!plan) return false;
      const appended = await this.append(e, plan, day);
      e.ledgerRows++;
      if (appended) {
        e.net += plan.amount;
        return true;
      }
    }
    throw new Error(`ledger keys for ${e.key} are all taken`);
  }

  /**
   * Takes an event's points back from `day` with a correction row, leaving `e.net` at zero: its time
   * moved to another day (an earlier add of a reaction arrived), where {@link reconcile} grants it anew.
   */
  async withdraw(e: RecordedEvent, day: string): Promise<void> {
    if (e.net === 0) return;
    const plan = { key: `${e.key}:fix:${e.ledgerRows}`, amount: -e.net, reason: `fix:${e.kind}`, reverses: e.key };
    e.ledgerRows++;
    if (await this.append(e, plan, day)) e.net = 0;
    else throw new Error(`ledger key ${plan.key} is taken`);
  }

  /**
   * A manual adjustment (a moderator's penalty or `/mod adjust`): one ledger row of its own, keyed
   * by its cause, outside the activity rules (it neither uses nor frees daily-cap room). True if
   * appended; false if a row with that key exists (a replayed decision). `reverses` names the
   * adjustment a reversal takes back (an unmarked solution's `<key>:undo`).
   */
  async adjust(a: { key: string; memberId: string; amount: number; reason: string; sourceKey: string; at: string; day: string; reverses?: string }): Promise<boolean> {
    const event = { memberId: a.memberId, sourceKey: a.sourceKey, at: a.at, endedAt: null } as RecordedEvent;
    return this.append(event, { key: a.key, amount: a.amount, reason: a.reason, reverses: a.reverses ?? null }, a.day);
  }

  private async append(e: RecordedEvent, plan: LedgerRowPlan, day: string): Promise<boolean> {
    // Each statement is awaited only if it gave a promise (Postgres): on SQLite it has run already,
    // and an await would still suspend this function until the next microtask — three per award.
    const inserted = insertLedger(this.db, {
      key: plan.key,
      community_id: this.communityId,
      member_id: e.memberId,
      amount: plan.amount,
      reason: plan.reason,
      source_key: e.sourceKey,
      // A reversal is dated when the event was taken back; an award or correction when the event happened.
      at: plan.reason.startsWith("undo:") && e.endedAt !== null ? e.endedAt : (e.at ?? this.reachedAt),
      day,
      reverses: plan.reverses,
    });
    if (!(inserted instanceof Promise ? await inserted : inserted)) return false;
    const found = this.members.get({ id: e.memberId });
    const member = found instanceof Promise ? await found : found;
    const personId = member.person_id ?? e.memberId;
    let total = 0;
    const added = addToTotals(this.db, this.communityId, personId, day, plan.amount);
    for (const row of added instanceof Promise ? await added : added) {
      this.histogram.moved(this.communityId, row.period, row.points - plan.amount, row.points);
      if (row.period === "all") total = row.points;
    }
    this.members.addPoints(e.memberId, plan.amount);

    this.persons ??= new Map();
    const person = this.persons.get(personId);
    if (person) Object.assign(person, { after: total, memberId: e.memberId, displayName: member.display_name });
    else this.persons.set(personId, { before: total - plan.amount, after: total, memberId: e.memberId, displayName: member.display_name });
    this.outcome.awards.push({ memberId: e.memberId, displayName: member.display_name, amount: plan.amount, reason: plan.reason, total });
    return true;
  }

  /**
   * Records the level each member reached through this event. Only the first time a member reaches
   * a level counts: dipping below and climbing back (a reversal or correction, then new points)
   * must not announce it or grant its role again, and a level once reached stays recorded.
   */
  async recordLevels(): Promise<void> {
    if (!this.persons) return;
    for (const [personId, p] of this.persons) {
      const level = levelFor(p.after);
      if (level <= levelFor(p.before)) continue;
      // Recorded under the person: a level is reached once per person, whichever platform earned it.
      const first = await recordLevelUp(this.db, {
        community_id: this.communityId,
        member_id: personId,
        level,
        reached_at: this.reachedAt,
        channel_key: this.channelKey,
        announced_at: null,
      });
      if (first) this.outcome.levelUps.push({ memberId: p.memberId, personId, displayName: p.displayName, level });
    }
  }
}
