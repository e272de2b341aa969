import { CronSchedule, ScheduleError } from "../../jobs/index.js";
import { SponsorRefusal } from "./sponsor-input.js";

/** Slots of a sponsor's own schedule must be at least this far apart: a shout-out a day at most. */
export const MIN_GAP_MS = 20 * 3_600_000;

/** What `/sponsor schedule` accepts, for messages. */
export const SCHEDULE_ACCEPTS =
  'a 5-field cron expression read in the community\'s timezone — minute hour day-of-month month day-of-week, e.g. "0 10 * * 3" (Wednesdays 10:00) — at most once a day; or "none" to stop it';

/**
 * Checks a typed schedule: `none` (or `off`) clears it; anything else must be a 5-field cron
 * expression whose slots are at least {@link MIN_GAP_MS} apart (measured over its next 60 slots,
 * so "every weekday" passes and "09:00 and 10:00" does not).
 */
export function parseSchedule(text: string, zone: string, now: Date): string | null {
  const typed = text.trim();
  if (/^(none|off|-)$/i.test(typed)) return null;
  let schedule: CronSchedule;
  try {
    schedule = CronSchedule.parse(typed, zone);
  } catch (error) {
    if (error instanceof ScheduleError) throw new SponsorRefusal(`That schedule can't be used: expected ${SCHEDULE_ACCEPTS}.`);
    throw error;
  }
  let previous = schedule.nextAfter(now);
  if (!previous) throw new SponsorRefusal(`That schedule never comes round: expected ${SCHEDULE_ACCEPTS}.`);
  for (let i = 0; i < 60; i++) {
    const next = schedule.nextAfter(previous.at);
    if (!next) break;
    if (next.at.getTime() - previous.at.getTime() < MIN_GAP_MS) throw new SponsorRefusal(`That schedule is too frequent (two shout-outs less than 20 hours apart): expected ${SCHEDULE_ACCEPTS}.`);
    previous = next;
  }
  return schedule.expression;
}
