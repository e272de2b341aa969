import { CronSchedule, type Period, ScheduleError } from "./cron-schedule.js";

/** The latest slot at or before some instant and the next one after it. */
export interface SlotWindow {
  latest: Period | undefined;
  next: Period | undefined;
}

const MAX_ENTRIES = 10_000;

/**
 * Slot arithmetic costs about a millisecond (cron-parser walks with luxon), and every tick asks it
 * for every job in every community. Communities mostly share a few (expression, zone) pairs, and
 * the answer only changes when a slot passes, so each pair's window is kept until its next slot.
 */
export class ScheduleCache {
  private readonly schedules = new Map<string, CronSchedule | ScheduleError>();
  private readonly windows = new Map<string, SlotWindow>();

  /** The parsed schedule; throws the (remembered) {@link ScheduleError} for a bad one. */
  schedule(expression: string, zone: string): CronSchedule {
    const id = `${zone} ${expression}`;
    let entry = this.schedules.get(id);
    if (!entry) {
      try {
        entry = CronSchedule.parse(expression, zone);
      } catch (error) {
        if (!(error instanceof ScheduleError)) throw error;
        entry = error;
      }
      if (this.schedules.size >= MAX_ENTRIES) this.schedules.clear();
      this.schedules.set(id, entry);
    }
    if (entry instanceof ScheduleError) throw entry;
    return entry;
  }

  window(expression: string, zone: string, now: Date): SlotWindow {
    const id = `${zone} ${expression}`;
    const t = now.getTime();
    const cached = this.windows.get(id);
    if (cached && (!cached.latest || cached.latest.at.getTime() <= t) && (!cached.next || t < cached.next.at.getTime())) return cached;
    const schedule = this.schedule(expression, zone);
    const window = { latest: schedule.latestAtOrBefore(now), next: schedule.nextAfter(now) };
    if (this.windows.size >= MAX_ENTRIES) this.windows.clear();
    this.windows.set(id, window);
    return window;
  }
}
