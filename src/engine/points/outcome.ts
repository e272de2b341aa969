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
  /** All-time points after this row. */
  total: number;
}

export interface LevelUp {
  memberId: string;
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
