/**
 * The level curve. Reaching level L takes 25·L·(L+1) points in all, so each level costs 50 more
 * than the one before:
 *
 *   level      1    2    3    4    5    10     20
 *   points    50  150  300  500  750  2 750  10 500
 *
 * At the default rules a member who posts a little every day (≈30 points) reaches level 3 in about
 * ten days; the daily cap (200) means level 10 takes at least two weeks of maximum activity.
 */
export function pointsForLevel(level: number): number {
  return 25 * level * (level + 1);
}

export function levelFor(points: number): number {
  if (points < pointsForLevel(1)) return 0;
  let level = Math.floor((Math.sqrt(1 + (4 * points) / 25) - 1) / 2);
  // Guard the float estimate at exact boundaries.
  while (pointsForLevel(level + 1) <= points) level++;
  while (level > 0 && pointsForLevel(level) > points) level--;
  return level;
}

export interface LevelProgress {
  level: number;
  /** Points earned inside the current level. */
  into: number;
  /** Points the current level spans (to the next). */
  span: number;
  toNext: number;
}

export function levelProgress(points: number): LevelProgress {
  const level = levelFor(Math.max(0, points));
  const floor = pointsForLevel(level);
  const next = pointsForLevel(level + 1);
  return { level, into: Math.max(0, points) - floor, span: next - floor, toNext: next - Math.max(0, points) };
}
