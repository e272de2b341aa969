import type { Kysely } from "kysely";
import type { MemberRef } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { MemberCache } from "./member-cache.js";
import { loadMember, type MemberRow, saveMember } from "./points.repo.js";
import type { RuleState } from "./rules.js";

/**
 * The members one event touches, loaded once, changed in memory, and written back once at the end
 * (only if something changed) — a post with a thanks in it touches the author twice.
 */
export class MemberStates {
  private readonly rows = new Map<string, { row: MemberRow; dirty: boolean }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly communityId: string,
    private readonly now: string,
    private readonly cache: MemberCache,
  ) {}

  async get(ref: MemberRef): Promise<MemberRow> {
    const cached = this.rows.get(ref.id);
    if (cached) return this.refreshProfile(cached, ref);
    const known = this.cache.get(this.communityId, ref.id) ?? (await loadMember(this.db, this.communityId, ref.id));
    const entry = known
      ? // A copy: this event changes it in place, and the cache must not see that before flush().
        { row: { ...known }, dirty: false }
      : {
          row: {
            community_id: this.communityId,
            member_id: ref.id,
            display_name: ref.displayName ?? ref.id.split(":").pop() ?? ref.id,
            is_bot: ref.isBot ? 1 : 0,
            first_seen_at: this.now,
            last_message_award_at: null,
            activity_day: null,
            activity_points: 0,
            thanks_given: 0,
            points: 0,
          },
          dirty: true,
        };
    this.rows.set(ref.id, entry);
    return this.refreshProfile(entry, ref);
  }

  setRules(memberId: string, state: RuleState): void {
    const entry = this.rows.get(memberId);
    if (!entry) throw new Error(`member ${memberId} was not loaded`);
    entry.row.last_message_award_at = state.lastMessageAwardAt;
    entry.row.activity_day = state.activityDay;
    entry.row.activity_points = state.activityPoints;
    entry.row.thanks_given = state.thanksGiven;
    entry.dirty = true;
  }

  /** Adds to the member's all-time points; returns the new total. */
  addPoints(memberId: string, amount: number): number {
    const entry = this.rows.get(memberId);
    if (!entry) throw new Error(`member ${memberId} was not loaded`);
    entry.row.points += amount;
    entry.dirty = true;
    return entry.row.points;
  }

  async flush(): Promise<void> {
    for (const entry of this.rows.values()) {
      if (entry.dirty) await saveMember(this.db, entry.row);
      entry.dirty = false;
      this.cache.set(entry.row);
    }
  }

  private refreshProfile(entry: { row: MemberRow; dirty: boolean }, ref: MemberRef): MemberRow {
    // Names change; keep the latest one the platform told us, without writing when nothing changed.
    if (ref.displayName && ref.displayName !== entry.row.display_name) {
      entry.row.display_name = ref.displayName;
      entry.dirty = true;
    }
    if (ref.isBot !== undefined && (ref.isBot ? 1 : 0) !== entry.row.is_bot) {
      entry.row.is_bot = ref.isBot ? 1 : 0;
      entry.dirty = true;
    }
    return entry.row;
  }
}

export function ruleState(row: MemberRow): RuleState {
  return {
    lastMessageAwardAt: row.last_message_award_at,
    activityDay: row.activity_day,
    activityPoints: row.activity_points,
    thanksGiven: row.thanks_given,
  };
}
