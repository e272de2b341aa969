import type { Kysely } from "kysely";
import type { MemberRef } from "../../core/identity.js";
import { andThen, type Maybe } from "../../db/prepared.js";
import type { Database } from "../../db/schema.js";
import { cleanDisplayName, nameFromId } from "./display-name.js";
import type { MemberCache } from "./member-cache.js";
import { loadMember, type MemberRow, saveMember } from "./points.repo.js";
import type { RuleState } from "./rules.js";

/**
 * The members one event touches, loaded once, changed in memory, and written back once at the end
 * (only if something changed) — a post with a thanks in it touches the author twice.
 *
 * Every name written here goes through {@link cleanDisplayName}: bounded, no control or bidi
 * characters. {@link peek} reads a member without creating or renaming one, for decisions that may
 * still refuse (a `/thanks` to a bot must leave no trace).
 */
export class MemberStates {
  private readonly rows = new Map<string, { row: MemberRow; dirty: boolean }>();
  /** Rows {@link peek} found (null: none), so loading one afterwards does not look again. */
  private peeked: Map<string, MemberRow | null> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly communityId: string,
    private readonly now: string,
    private readonly cache: MemberCache,
  ) {}

  /** The member's row, created if new; the platform's latest name and bot flag are kept. */
  get(ref: MemberRef): Maybe<MemberRow> {
    // Hot path: loaded already or cached, answered at once (no promise); else read (on SQLite in a
    // transaction, at once too).
    const entry = this.rows.get(ref.id) ?? this.fromMemory(ref);
    if (entry) return this.refreshProfile(entry, ref);
    return andThen(loadMember(this.db, this.communityId, ref.id), (known) => this.refreshProfile(this.create(ref, known), ref));
  }

  /** A row this event has already loaded (with {@link get}). */
  loaded(memberId: string): MemberRow {
    return this.entry(memberId).row;
  }

  /** The stored row (or the one this event already changed), without creating or changing it. */
  async peek(memberId: string): Promise<Readonly<MemberRow> | undefined> {
    const loaded = this.rows.get(memberId);
    if (loaded) return loaded.row;
    const seen = this.peeked?.get(memberId);
    if (seen !== undefined) return seen ?? undefined;
    const row = await this.find(memberId);
    (this.peeked ??= new Map()).set(memberId, row ?? null);
    return row;
  }

  private async find(memberId: string): Promise<MemberRow | undefined> {
    return this.cache.get(this.communityId, memberId) ?? (await loadMember(this.db, this.communityId, memberId));
  }

  /** The entry for a member a peek found, or the cache holds; undefined if the database must be asked. */
  private fromMemory(ref: MemberRef): { row: MemberRow; dirty: boolean } | undefined {
    const seen = this.peeked?.get(ref.id);
    if (seen !== undefined) return this.create(ref, seen ?? undefined);
    const cached = this.cache.get(this.communityId, ref.id);
    return cached ? this.create(ref, cached) : undefined;
  }

  private create(ref: MemberRef, known: MemberRow | undefined): { row: MemberRow; dirty: boolean } {
    const entry = known
      ? // A copy: this event changes it in place, and the cache must not see that before flush().
        { row: { ...known }, dirty: false }
      : {
          row: {
            community_id: this.communityId,
            member_id: ref.id,
            display_name: cleanDisplayName(ref.displayName ?? "", nameFromId(ref.id)),
            is_bot: ref.isBot ? 1 : 0,
            first_seen_at: this.now,
            last_message_award_at: null,
            activity_day: null,
            activity_points: 0,
            thanks_given: 0,
            points: 0,
            watermark_at: null,
            watermark_key: null,
            person_id: null,
          },
          dirty: true,
        };
    this.rows.set(ref.id, entry);
    return entry;
  }

  /** The rules' state as of the member's watermark. */
  ruleState(row: MemberRow): RuleState {
    return { lastMessageAwardAt: row.last_message_award_at, activityDay: row.activity_day, activityPoints: row.activity_points, thanksGiven: row.thanks_given };
  }

  /** Records the state after a newer event, which becomes the watermark. */
  advance(memberId: string, state: RuleState, at: string, key: string): void {
    const entry = this.entry(memberId);
    this.setState(entry, state);
    entry.row.watermark_at = at;
    entry.row.watermark_key = key;
  }

  /** Moves the watermark up to `at`/`key` if that is newer, leaving the state to a recompute. */
  raiseWatermark(memberId: string, at: string, key: string): void {
    const entry = this.entry(memberId);
    const row = entry.row;
    if (row.watermark_at === null || at > row.watermark_at || (at === row.watermark_at && key > (row.watermark_key ?? ""))) {
      row.watermark_at = at;
      row.watermark_key = key;
      entry.dirty = true;
    }
  }

  /** Replaces the state with one a recompute derived from the recorded events. */
  restate(memberId: string, state: RuleState): void {
    this.setState(this.entry(memberId), state);
  }

  /** Adds to the member account's own all-time points; returns the new total. */
  addPoints(memberId: string, amount: number): number {
    const entry = this.entry(memberId);
    entry.row.points += amount;
    entry.dirty = true;
    return entry.row.points;
  }

  async flush(): Promise<void> {
    for (const entry of this.rows.values()) {
      if (entry.dirty) {
        // Awaited only on Postgres: on SQLite the statement has run (see LedgerWriter.append).
        const saved = saveMember(this.db, entry.row);
        if (saved instanceof Promise) await saved;
      }
      entry.dirty = false;
      this.cache.set(entry.row);
    }
  }

  private entry(memberId: string): { row: MemberRow; dirty: boolean } {
    const entry = this.rows.get(memberId);
    if (!entry) throw new Error(`member ${memberId} was not loaded`);
    return entry;
  }

  private setState(entry: { row: MemberRow; dirty: boolean }, state: RuleState): void {
    entry.row.last_message_award_at = state.lastMessageAwardAt;
    entry.row.activity_day = state.activityDay;
    entry.row.activity_points = state.activityPoints;
    entry.row.thanks_given = state.thanksGiven;
    entry.dirty = true;
  }

  private refreshProfile(entry: { row: MemberRow; dirty: boolean }, ref: MemberRef): MemberRow {
    // Names change; keep the latest one the platform told us, without writing when nothing changed.
    // A stored name is already clean, so an identical one needs no cleaning.
    if (ref.displayName && ref.displayName !== entry.row.display_name) {
      const name = cleanDisplayName(ref.displayName, entry.row.display_name);
      if (name !== entry.row.display_name) {
        entry.row.display_name = name;
        entry.dirty = true;
      }
    }
    if (ref.isBot !== undefined && (ref.isBot ? 1 : 0) !== entry.row.is_bot) {
      entry.row.is_bot = ref.isBot ? 1 : 0;
      entry.dirty = true;
    }
    return entry.row;
  }
}
