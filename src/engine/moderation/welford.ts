/**
 * Welford's running mean and variance, as stored per community (`mod_stats`). Pure functions on a
 * plain value: the service adds a score when a message is counted and swaps one when it is edited.
 *
 * Welford's update is numerically stable (no sum of squares that loses precision) and needs only
 * n, the mean and m2 — a single small row per community.
 */
export interface RunningStats {
  /** Scores counted. */
  n: number;
  mean: number;
  /** Sum of squared deviations from the mean; the sample variance is m2 / (n − 1). */
  m2: number;
}

export const EMPTY_STATS: RunningStats = Object.freeze({ n: 0, mean: 0, m2: 0 });

/**
 * σ never counts as smaller than this. The score moves in steps of 0.05–0.45, so ordinary chat
 * spreads little (σ ≈ 0.03–0.06 in a quiet community): without a floor, one short "ok" would sit
 * two deviations below the mean, and a community whose messages all scored the same would make the
 * first different one infinitely unusual. With 0.08, z < −2 means "at least 0.16 below the mean":
 * one strong negative feature, or two mild ones.
 */
export const MIN_SIGMA = 0.08;

export function add(s: RunningStats, x: number): RunningStats {
  const n = s.n + 1;
  const delta = x - s.mean;
  const mean = s.mean + delta / n;
  return { n, mean, m2: s.m2 + delta * (x - mean) };
}

/** Takes one counted score out again (the reverse of {@link add}). */
export function remove(s: RunningStats, x: number): RunningStats {
  if (s.n <= 1) return { n: 0, mean: 0, m2: 0 };
  const n = s.n - 1;
  const mean = (s.n * s.mean - x) / n;
  return { n, mean, m2: Math.max(0, s.m2 - (x - mean) * (x - s.mean)) };
}

export function sigma(s: RunningStats): number {
  return s.n < 2 ? MIN_SIGMA : Math.max(MIN_SIGMA, Math.sqrt(s.m2 / (s.n - 1)));
}

/** How many standard deviations `x` lies from the mean (negative: below it). */
export function zScore(s: RunningStats, x: number): number {
  return (x - s.mean) / sigma(s);
}
