import { DateTime } from "luxon";

/**
 * The sponsors' calendar, in the community's timezone: ISO weeks (the rotation's clock) and
 * quarters (the ledger's periods). Stored with each row when it is written, so a later change of
 * timezone never moves history from one week or quarter to another.
 */

const WEEK_ZERO = Date.UTC(1970, 0, 5); // a Monday
const WEEK_MS = 7 * 86_400_000;

/** The local ISO week of `at` in `zone`, as whole weeks since Monday 1970-01-05. */
export function weekIndex(at: Date, zone: string): number {
  const local = DateTime.fromJSDate(at, { zone }).startOf("week");
  return Math.round((Date.UTC(local.year, local.month - 1, local.day) - WEEK_ZERO) / WEEK_MS);
}

/** `2026-Q4`: the local quarter of `at` in `zone`. */
export function quarterOf(at: Date, zone: string): string {
  const local = DateTime.fromJSDate(at, { zone });
  return `${local.year}-Q${local.quarter}`;
}

const QUARTER = /^(\d{4})-Q([1-4])$/;

/** The quarter named by `text` (`2026-Q4`, any case), or undefined. */
export function parseQuarter(text: string): string | undefined {
  const m = QUARTER.exec(text.trim().toUpperCase());
  return m && Number(m[1]) >= 2000 && Number(m[1]) <= 2999 ? `${m[1]}-Q${m[2]}` : undefined;
}

/** The quarter's first and last local days, for the report's heading (`2026-10-01 – 2026-12-31`). */
export function quarterDays(quarter: string): { first: string; last: string } {
  const [year, q] = quarter.split("-Q").map(Number) as [number, number];
  const first = DateTime.fromObject({ year, month: (q - 1) * 3 + 1, day: 1 }, { zone: "UTC" });
  return { first: first.toISODate()!, last: first.plus({ months: 3 }).minus({ days: 1 }).toISODate()! };
}
