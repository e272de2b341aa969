/**
 * The engine never calls `new Date()` itself: it asks a clock, so tests and the console can move
 * time forward (cooldowns, daily caps, weekly boards) without waiting.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at a given moment (default: now) and moves only when told to. */
export class ManualClock implements Clock {
  private ms: number;
  constructor(start: Date | string = new Date()) {
    this.ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.ms);
  }
  set(at: Date | string): void {
    this.ms = new Date(at).getTime();
  }
  advance(ms: number): Date {
    this.ms += ms;
    return this.now();
  }
}

/** The real clock plus an offset that only grows: the console's `/wait 2h` moves it forward. */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  advance(ms: number): Date {
    this.offsetMs += ms;
    return this.now();
  }
}
