import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { recordLevelUp } from "../levels/level-ups.repo.js";
import { cleanDisplayName, nameFromId } from "./display-name.js";
import { levelFor } from "./levels.js";
import type { LevelUp } from "./outcome.js";
import { addToTotals, insertLedger } from "./points.repo.js";

/**
 * Points given for something other than chat activity — a talk's speaker (+50) or an attendee
 * (+10) — outside the activity rules: no daily cap, no cooldown, not counted toward the day's
 * activity points. One append-only ledger row keyed by the natural key of its cause
 * (`talk:<id>:speaker:<member>`), so asking twice gives once. Totals and the member's all-time
 * points move with it in the same transaction, and a level reached for the first time is reported.
 */
export interface BonusAward {
  /** The ledger row's key: the natural key of what earned it. */
  key: string;
  communityId: string;
  memberId: string;
  displayName: string;
  amount: number;
  /** `talk:speaker`, `talk:attendee`. */
  reason: string;
  sourceKey: string;
  at: string;
  /** The community-local day (yyyy-MM-dd) it counts toward on weekly and monthly boards. */
  day: string;
}

/** What {@link writeBonus} did: whether the row was new, and a level-up it caused, if any. */
export interface BonusResult {
  awarded: boolean;
  total: number;
  levelUp?: LevelUp;
}

export async function writeBonus(db: Kysely<Database>, award: BonusAward): Promise<BonusResult> {
  if (award.amount === 0) return { awarded: false, total: 0 };
  const appended = await insertLedger(db, {
    key: award.key,
    community_id: award.communityId,
    member_id: award.memberId,
    amount: award.amount,
    reason: award.reason,
    source_key: award.sourceKey,
    at: award.at,
    day: award.day,
    reverses: null,
  });
  if (!appended) return { awarded: false, total: 0 };
  await addToTotals(db, award.communityId, award.memberId, award.day, award.amount);
  const displayName = cleanDisplayName(award.displayName, nameFromId(award.memberId));
  // An increment, not a write of a value read earlier: the member row is the rules' too.
  await db
    .insertInto("members")
    .values({ community_id: award.communityId, member_id: award.memberId, display_name: displayName, is_bot: 0, first_seen_at: award.at, last_message_award_at: null, activity_day: null, watermark_at: null, watermark_key: null, points: award.amount })
    .onConflict((oc) => oc.columns(["community_id", "member_id"]).doUpdateSet((eb) => ({ points: eb("members.points", "+", award.amount) })))
    .execute();
  const row = await db.selectFrom("members").select("points").where("community_id", "=", award.communityId).where("member_id", "=", award.memberId).executeTakeFirstOrThrow();
  const total = Number(row.points);
  const level = levelFor(total);
  if (level > levelFor(total - award.amount)) {
    const first = await recordLevelUp(db, { community_id: award.communityId, member_id: award.memberId, level, reached_at: award.at, channel_key: "", announced_at: null });
    if (first) return { awarded: true, total, levelUp: { memberId: award.memberId, displayName, level } };
  }
  return { awarded: true, total };
}
