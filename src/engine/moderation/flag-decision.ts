import type { Settings } from "../communities/settings.js";
import type { HardRule, QualityScore } from "./quality/score.js";
import { type RunningStats, zScore } from "./welford.js";

/**
 * Whether a scored message goes to the review queue — a pure function of the score, the
 * community's statistics before this message, how many messages it has seen, and its settings.
 *
 * - A hard rule flags at once, whatever the score.
 * - During the warm-up (fewer than `moderation.warmup` messages seen) a fixed threshold applies:
 *   q below `moderation.fixedThreshold`.
 * - After it, the adaptive rule: z = (q − μ) / σ below `moderation.zThreshold`.
 *
 * Whether the score then joins the statistics: not when flagged. Flagged messages are the ones the
 * baseline exists to find; a spam wave counted into μ and σ would lower μ and widen σ until the
 * wave itself looked normal.
 */
export interface FlagDecision {
  flagged: boolean;
  /** z against the statistics before this message; undefined during the warm-up. */
  z: number | undefined;
  /** What flagged it: the hard rules, then `low-quality` for the threshold. */
  reasons: (HardRule | "low-quality")[];
  /** Whether q is added to the running statistics. */
  counts: boolean;
}

export function decideFlag(score: QualityScore, stats: RunningStats, seen: number, rules: Settings["moderation"]): FlagDecision {
  const warm = seen >= rules.warmup && stats.n >= 2;
  const z = warm ? Math.round(zScore(stats, score.q) * 100) / 100 : undefined;
  const low = z !== undefined ? z < rules.zThreshold : score.q < rules.fixedThreshold;
  const reasons: FlagDecision["reasons"] = [...score.hard];
  if (low) reasons.push("low-quality");
  const flagged = reasons.length > 0;
  return { flagged, z, reasons, counts: !flagged };
}
