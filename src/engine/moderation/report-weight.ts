/**
 * How much one member's report weighs, as Discourse weighs flags: by the reporter's standing
 * (level) and by how their past reports were decided.
 *
 *   weight = (1 + min(level, 10) / 10) × 2 × (agreed + 1) / (agreed + rejected + 2)
 *
 * A new member at level 0 with no decided reports weighs exactly 1, so with the default threshold
 * of 3, three members' reports queue a message. Level 10 doubles that; reports that moderators kept
 * rejecting shrink towards 0, reports they kept agreeing with grow towards 2×. A moderator's own
 * report always reaches the threshold.
 */
export function reportWeight(level: number, record: { agreed: number; rejected: number }): number {
  const standing = 1 + Math.min(Math.max(level, 0), 10) / 10;
  const accuracy = (record.agreed + 1) / (record.agreed + record.rejected + 2);
  return Math.round(standing * 2 * accuracy * 100) / 100;
}
