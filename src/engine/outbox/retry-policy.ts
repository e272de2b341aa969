/**
 * When the delivery loop tries a row again. Exponential backoff with "equal jitter" (half the
 * delay fixed, half random) for transient failures, so many rows failing together do not retry in
 * lockstep; a rate limit waits exactly what the platform said (never less) plus a little jitter.
 */
export interface RetryPolicy {
  /** Delay after the first failed attempt (ms). */
  baseDelayMs: number;
  /** Longest delay between two attempts (ms). */
  maxDelayMs: number;
  /**
   * Failed attempts before a row is given up. An attempt the platform answered with a rate limit
   * does not count: the platform said when to come back, not that the post failed (a long global
   * rate limit had used up a burst of level-ups' attempts in minutes). See `rateLimitPatienceMs`.
   */
  maxAttempts: number;
  /**
   * How long after it was written a row still waits out rate limits: past this, the next 429 gives
   * it up (a platform that never stops answering 429 must not keep a row forever).
   */
  rateLimitPatienceMs: number;
  /** Longest a claimed row may stay `sending` before another loop may take it (ms). */
  leaseMs: number;
  /** Most extra wait added to a `Retry-After` (ms), so a burst of 429s does not return at once. */
  rateLimitJitterMs: number;
}

/**
 * About 45 minutes of retries in all (2 s, 4 s, … capped at 15 min), enough to ride out a platform
 * incident; calls end well within the 60 s lease (the adapters' clients time out after 15 s).
 * Rate limits are waited out for up to 6 hours from when the row was written.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 2_000,
  maxDelayMs: 15 * 60_000,
  maxAttempts: 12,
  rateLimitPatienceMs: 6 * 3_600_000,
  leaseMs: 60_000,
  rateLimitJitterMs: 250,
};

/** Of a row's `attempts`, those that count towards `maxAttempts`: all but the ones a rate limit answered. */
export function failedAttempts(attempts: number, rateLimited: number): number {
  return attempts - rateLimited;
}

/** Delay before attempt `attempts + 1`, after `attempts` failed ones; `random` in [0, 1). */
export function backoffDelay(policy: RetryPolicy, attempts: number, random: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random);
}

/** Delay after a rate limit: `Retry-After`, then up to `rateLimitJitterMs` more; at least 1 ms. */
export function rateLimitDelay(policy: RetryPolicy, retryAfterMs: number, random: number): number {
  return Math.max(1, Math.ceil(retryAfterMs) + Math.floor(policy.rateLimitJitterMs * random));
}
