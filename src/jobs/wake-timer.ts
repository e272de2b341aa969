/**
 * What wakes the scheduler: `setTimeout` in production, a recording fake in tests (which then move
 * an injected clock and fire it by hand, so no test waits on wall-clock time). A wake only makes
 * the scheduler look at the database; missing one delays work, never loses or repeats it.
 */
export interface WakeTimer {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

export const systemWakeTimer: WakeTimer = {
  set: (callback, delayMs) => setTimeout(callback, delayMs),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
