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
 * σ never counts as smaller than this: a community whose messages all scored the same would
 * otherwise make the first different one infinitely unusual.
 */
export const MIN_SIGMA = 0.05;

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
