/**
 * How a failed run or timer is tried again: the delay doubles from `firstDelayMs` up to
 * `maxDelayMs`, for at most `maxAttempts` attempts in all, and never past the grace window (a retry
 * that would land after it is not made: the slot is recorded as failed for good instead).
 */
export interface RetryPolicy {
  maxAttempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, firstDelayMs: 30_000, maxDelayMs: 15 * 60_000 };

/** The policy with `overrides` applied, checked: a bad policy is a programming error, caught at definition. */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...defaultRetryPolicy, ...overrides };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new Error(`retry.maxAttempts must be a whole number ≥ 1, got ${policy.maxAttempts}`);
  if (!(policy.firstDelayMs >= 0) || !(policy.maxDelayMs >= policy.firstDelayMs)) {
    throw new Error(`retry delays must satisfy 0 ≤ firstDelayMs ≤ maxDelayMs, got ${policy.firstDelayMs} and ${policy.maxDelayMs}`);
  }
  return policy;
}

/** The wait before attempt `failedAttempts + 1`, after `failedAttempts` (≥ 1) attempts failed. */
export function retryDelay(policy: RetryPolicy, failedAttempts: number): number {
  return Math.min(policy.firstDelayMs * 2 ** (failedAttempts - 1), policy.maxDelayMs);
}

/** What a thrown value says, bounded so a huge message cannot bloat a row. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}
