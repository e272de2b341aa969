import type { Refusal } from "./rules.js";

/** Why an event, or part of it, earned nothing. */
export type SkipReason =
  | Refusal
  | "duplicate"
  | "bot"
  | "self"
  | "no-points-channel"
  | "unknown-message"
  | "deleted-message"
  | "already-reversed"
  /** Stamped more than FUTURE_TOLERANCE_MS ahead of the engine's clock, before 1970, or not a time. */
  | "bad-timestamp";

export interface AwardNote {
  memberId: string;
  displayName: string;
  amount: number;
  reason: string;
  /** All-time points of the member's person after this row (the member's own, unless linked). */
  total: number;
}

/** A person's first time at a level. */
export interface LevelUp {
  /** The member whose activity reached it (mentioned where it happened; Discord grants their roles). */
  memberId: string;
  /** The person it is recorded under (`level_ups.member_id`): `memberId` unless linked. */
  personId: string;
  displayName: string;
  level: number;
}

/** What applying one event did, for replies, the console and level-up announcements. */
export interface PointsOutcome {
  /** True when the event had already been applied: nothing was written. */
  duplicate: boolean;
  awards: AwardNote[];
  skipped: { memberId?: string; reason: SkipReason }[];
  levelUps: LevelUp[];
}

export const emptyOutcome = (): PointsOutcome => ({ duplicate: false, awards: [], skipped: [], levelUps: [] });

export const duplicateOutcome = (): PointsOutcome => ({ duplicate: true, awards: [], skipped: [{ reason: "duplicate" }], levelUps: [] });
