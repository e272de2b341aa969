import type { Kysely } from "kysely";
import type { MemberRef } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import { levelFor } from "./levels.js";
import type { MemberCache } from "./member-cache.js";
import { MemberStates } from "./member-states.js";
import { emptyOutcome, type PointsOutcome, type SkipReason } from "./outcome.js";
import { recordLevelUp } from "../levels/level-ups.repo.js";
import { addToTotals, findLedger, insertLedger, type LedgerRow } from "./points.repo.js";

/**
 * Writes for one event inside the batch transaction: ledger rows, the totals derived from them,
 * and the outcome report. The only code that touches `ledger` and `totals`, so the two can't drift.
 */
export class LedgerWriter {
  readonly members: MemberStates;
  readonly outcome: PointsOutcome = emptyOutcome();

  constructor(
    readonly db: Kysely<Database>,
    readonly communityId: string,
    readonly at: string,
    /** Where the event happened; a level-up is announced there unless an announcements channel is set. */
    readonly channelKey: string,
    cache: MemberCache,
  ) {
    this.members = new MemberStates(db, communityId, at, cache);
  }

  skip(reason: SkipReason, memberId?: string): PointsOutcome {
    this.outcome.skipped.push(memberId ? { memberId, reason } : { reason });
    return this.outcome;
  }

  /**
   * Appends an award keyed by `key` and adds it to the totals. Returns false, changing nothing, if
   * the key was already in the ledger. A zero `amount` is recorded (so the event counts as done) but
   * touches no totals.
   */
  async award(row: { key: string; member: MemberRef; amount: number; reason: string; source: string; day: string }): Promise<boolean> {
    const appended = await insertLedger(this.db, {
      key: row.key,
      community_id: this.communityId,
      member_id: row.member.id,
      amount: row.amount,
      reason: row.reason,
      source_key: row.source,
      at: this.at,
      day: row.day,
      reverses: null,
    });
    if (!appended) return false;
    if (row.amount !== 0) await this.addTotals(row.member.id, row.day, row.amount, row.reason);
    return true;
  }

  /**
   * Takes back the award keyed `key` with a new row `<key>:undo` against the same member and day.
   * If the award never happened (a removal that overtook its add), the undo row is written with
   * amount 0 as a tombstone, so the late add sees it and earns nothing.
   */
  async reverse(key: string, fallback: { memberId: string; source: string; day: string; reason: string }): Promise<boolean> {
    const original = await findLedger(this.db, key);
    return this.reverseRow(original ?? { key, member_id: fallback.memberId, amount: 0, reason: fallback.reason, source_key: fallback.source, day: fallback.day });
  }

  async reverseRow(original: Pick<LedgerRow, "key" | "member_id" | "amount" | "reason" | "source_key" | "day">): Promise<boolean> {
    const appended = await insertLedger(this.db, {
      key: `${original.key}:undo`,
      community_id: this.communityId,
      member_id: original.member_id,
      amount: -original.amount,
      reason: `undo:${original.reason}`,
      source_key: original.source_key,
      at: this.at,
      day: original.day,
      reverses: original.key,
    });
    if (!appended) {
      this.skip("already-reversed", original.member_id);
      return false;
    }
    if (original.amount !== 0) await this.addTotals(original.member_id, original.day, -original.amount, `undo:${original.reason}`);
    return true;
  }

  private async addTotals(memberId: string, day: string, amount: number, reason: string): Promise<void> {
    await addToTotals(this.db, this.communityId, memberId, day, amount);
    const member = await this.members.get({ id: memberId });
    const total = this.members.addPoints(memberId, amount);
    this.outcome.awards.push({ memberId, displayName: member.display_name, amount, reason, total });
    const level = levelFor(total);
    if (amount > 0 && level > levelFor(total - amount)) {
      // Only the first time a member reaches a level counts: dipping below and climbing back
      // (a reversal, then new points) must not announce it or grant its role again.
      if (await recordLevelUp(this.db, { community_id: this.communityId, member_id: memberId, level, reached_at: this.at, channel_key: this.channelKey, announced_at: null })) {
        this.outcome.levelUps.push({ memberId, displayName: member.display_name, level });
      }
    }
  }
}
