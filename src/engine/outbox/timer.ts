import type { ManualClock } from "../../core/clock.js";

/**
 * How the delivery loop waits: injected, so tests move time by hand and never wait on the wall
 * clock. `setTimeout` semantics: `set` returns a handle that `clear` cancels.
 */
export interface Timer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Node's timers, unref'd so a pending wake-up never keeps the process alive on shutdown. */
export const systemTimer: Timer = {
  set(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clear(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

interface Scheduled {
  at: number;
  callback: () => void;
}

/**
 * A timer driven by a {@link ManualClock}: `advance(ms)` moves the clock and runs every callback
 * that has come due, in time order. For tests and the console's `/wait`.
 */
export class ManualTimer implements Timer {
  private readonly scheduled = new Set<Scheduled>();

  constructor(private readonly clock: ManualClock) {}

  set(callback: () => void, ms: number): unknown {
    const entry = { at: this.clock.now().getTime() + Math.max(0, ms), callback };
    this.scheduled.add(entry);
    return entry;
  }

  clear(handle: unknown): void {
    this.scheduled.delete(handle as Scheduled);
  }

  /** Callbacks still waiting. */
  get pending(): number {
    return this.scheduled.size;
  }

  /** When the next callback is due (ms since the epoch), if any. */
  get nextAt(): number | undefined {
    let next: number | undefined;
    for (const s of this.scheduled) if (next === undefined || s.at < next) next = s.at;
    return next;
  }

  /** Moves the clock forward by `ms`, running callbacks as their time comes. */
  advance(ms: number): void {
    const end = this.clock.now().getTime() + ms;
    for (;;) {
      const due = [...this.scheduled].filter((s) => s.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.scheduled.delete(due);
      if (due.at > this.clock.now().getTime()) this.clock.set(new Date(due.at));
      due.callback();
    }
    this.clock.set(new Date(end));
  }
}
