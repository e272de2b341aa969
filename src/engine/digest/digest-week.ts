import { DateTime } from "luxon";

/**
 * The ISO week (Monday 00:00 to the next Monday 00:00, in the community's timezone) a digest is
 * about. Points are stored against their community-local day, and the weekly totals against that
 * day's ISO week, so a post at 23:30 local on Sunday counts in that week whatever its UTC date.
 */
export interface DigestWeek {
  /** `2026-W49`: what honors and the outbox dedupe key are keyed by. */
  week: string;
  /** The totals period of the week (`week:2026-W49`). */
  period: string;
  /** The week before it, for movers and retention. */
  previousPeriod: string;
  /** `[start, end)` as UTC ISO strings: local Monday 00:00 and the next Monday 00:00. */
  start: string;
  end: string;
  /** The previous week's bounds. */
  previousStart: string;
  /** "week 49 of 2026 (30 Nov – 6 Dec)". */
  label: string;
}

function isoWeek(dt: DateTime): string {
  return `${dt.weekYear}-W${String(dt.weekNumber).padStart(2, "0")}`;
}

/** The ISO week starting at local Monday `monday` (a luxon DateTime in the community's zone). */
function weekFrom(monday: DateTime): DigestWeek {
  const next = monday.plus({ weeks: 1 });
  const previous = monday.minus({ weeks: 1 });
  const sunday = monday.plus({ days: 6 });
  const week = isoWeek(monday);
  return {
    week,
    period: `week:${week}`,
    previousPeriod: `week:${isoWeek(previous)}`,
    start: monday.toUTC().toISO() as string,
    end: next.toUTC().toISO() as string,
    previousStart: previous.toUTC().toISO() as string,
    label: `week ${monday.weekNumber} of ${monday.weekYear} (${monday.toFormat("d LLL")} – ${sunday.toFormat("d LLL")})`,
  };
}

/** The last full ISO week that ended at or before `at`, in `timezone`: what a digest posted at `at` covers. */
export function coveredWeek(at: Date, timezone: string): DigestWeek {
  const thisMonday = DateTime.fromJSDate(at, { zone: timezone }).startOf("week");
  return weekFrom(thisMonday.minus({ weeks: 1 }));
}

/** The ISO week that contains `at`, in `timezone`. */
export function weekContaining(at: Date, timezone: string): DigestWeek {
  return weekFrom(DateTime.fromJSDate(at, { zone: timezone }).startOf("week"));
}

/** The `count` full weeks before `at`, oldest first (for /stats and its chart). */
export function weeksBefore(at: Date, timezone: string, count: number): DigestWeek[] {
  const last = DateTime.fromJSDate(at, { zone: timezone }).startOf("week").minus({ weeks: 1 });
  return Array.from({ length: count }, (_, i) => weekFrom(last.minus({ weeks: count - 1 - i })));
}

/** The 5-field cron expression for `digest.day` (ISO, 1 = Monday) at `digest.time` (`HH:MM`). */
export function digestCron(day: number, time: string): string {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return `${minute} ${hour} * * ${day % 7}`;
}
