import { DateTime } from "luxon";

/**
 * Community-local calendar. Points are stored against the community-local day they were earned on;
 * weeks (ISO, Monday first) and months are derived from that day alone, so the weekly and monthly
 * tables can always be recomputed from the ledger even if the community later changes timezone.
 */
export type PeriodKind = "week" | "month" | "all";

const QUARTER_HOUR = 15 * 60 * 1000;
const dayCache = new Map<string, string>();
let last = { bucket: Number.NaN, timezone: "", day: "" };

/**
 * `yyyy-MM-dd` of `at` in `timezone`. Every event asks this, and luxon takes ~12 µs per answer, so
 * answers are cached per quarter hour: every timezone's offset changes only on a quarter-hour
 * boundary, so all instants in one quarter hour fall on the same local day.
 */
export function localDay(at: Date, timezone: string): string {
  const bucket = Math.floor(at.getTime() / QUARTER_HOUR);
  // Events come mostly in time order: the last answer is usually the one asked for again, and
  // checking it first saves building the cache key.
  if (bucket === last.bucket && timezone === last.timezone) return last.day;
  const key = `${timezone}|${bucket}`;
  let day = dayCache.get(key);
  if (day === undefined) {
    day = DateTime.fromMillis(bucket * QUARTER_HOUR, { zone: timezone }).toISODate() as string;
    if (dayCache.size > 20_000) dayCache.clear();
    dayCache.set(key, day);
  }
  last = { bucket, timezone, day };
  return day;
}

const boundsCache = new Map<string, readonly [string, string]>();

/**
 * The instants (ISO, UTC) a community-local day starts and ends: `[start, end)`. A day may last 23
 * or 25 hours across a daylight-saving change, so this asks the timezone rather than adding 24 h.
 */
export function dayBounds(day: string, timezone: string): readonly [string, string] {
  const key = `${timezone}|${day}`;
  let bounds = boundsCache.get(key);
  if (!bounds) {
    const start = DateTime.fromISO(day, { zone: timezone }).startOf("day");
    bounds = [start.toUTC().toISO() as string, start.plus({ days: 1 }).toUTC().toISO() as string] as const;
    if (boundsCache.size > 5000) boundsCache.clear();
    boundsCache.set(key, bounds);
  }
  return bounds;
}

const periodsCache = new Map<string, readonly [string, string, string]>();

/** The three totals rows a day's points go to: all-time, its ISO week and its month. */
export function periodsOfDay(day: string): readonly [string, string, string] {
  let periods = periodsCache.get(day);
  if (!periods) {
    const dt = DateTime.fromISO(day, { zone: "UTC" });
    const week = `week:${dt.weekYear}-W${String(dt.weekNumber).padStart(2, "0")}`;
    periods = ["all", week, `month:${day.slice(0, 7)}`] as const;
    // Days are few (one per calendar day), but keep the cache bounded anyway.
    if (periodsCache.size > 5000) periodsCache.clear();
    periodsCache.set(day, periods);
  }
  return periods;
}

/** The totals period key for "this week", "this month" or all time, as of `now` in `timezone`. */
export function currentPeriod(kind: PeriodKind, now: Date, timezone: string): string {
  if (kind === "all") return "all";
  const [, week, month] = periodsOfDay(localDay(now, timezone));
  return kind === "week" ? week : month;
}

/** A readable label for a period key: "all time", "week 48 of 2026", "November 2026". */
export function periodLabel(period: string): string {
  if (period === "all") return "all time";
  const week = /^week:(\d{4})-W(\d{2})$/.exec(period);
  if (week) return `week ${Number(week[2])} of ${week[1]}`;
  const month = /^month:(\d{4})-(\d{2})$/.exec(period);
  if (month) return DateTime.fromObject({ year: Number(month[1]), month: Number(month[2]) }, { zone: "UTC" }).toFormat("LLLL yyyy");
  return period;
}
