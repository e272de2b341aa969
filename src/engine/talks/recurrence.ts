import { DateTime } from "luxon";
import rrulePkg from "rrule";

// rrule ships CommonJS with an ESM build that Node cannot load as ESM; the default import works in both.
const { RRule } = rrulePkg as unknown as typeof import("rrule");

/**
 * Recurring talks are an RFC 5545 RRULE whose DTSTART is a *floating* local wall time, read in the
 * community's zone. rrule computes the wall times (in UTC, where no clock ever changes) and luxon
 * places each in the zone, so a weekly 18:00 in Berlin stays at 18:00 local when Berlin moves its
 * clocks — 17:00 UTC in winter, 16:00 UTC in summer.
 */
export type Repeat = "weekly" | "biweekly" | "monthly";

export const REPEATS = ["weekly", "biweekly", "monthly"] as const;

/** One occurrence: its local wall time (`2026-03-26T18:00`, unique in the series) and its instant. */
export interface Occurrence {
  local: string;
  at: Date;
}

/** The RRULE text (with a floating DTSTART) for `count` occurrences from `first`. */
export function seriesRule(first: Date, timezone: string, repeat: Repeat, count: number): string {
  const local = DateTime.fromJSDate(first, { zone: timezone });
  const rule = new RRule({
    freq: repeat === "monthly" ? RRule.MONTHLY : RRule.WEEKLY,
    interval: repeat === "biweekly" ? 2 : 1,
    count,
    dtstart: new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute)),
  });
  // rrule writes a UTC DTSTART (…Z); the wall time is floating, read in the series' zone.
  return rule.toString().replace(/^DTSTART:(\d{8}T\d{6})Z/m, "DTSTART:$1");
}

/** Just the RRULE line's value (`FREQ=WEEKLY;COUNT=6`), for iCal. */
export function ruleLine(rule: string): string {
  return /RRULE:([^\n]+)/.exec(rule)?.[1] ?? "";
}

/** Every occurrence of a series' rule, each at the same local time in `timezone`. */
export function occurrences(rule: string, timezone: string): Occurrence[] {
  const floating = rule.replace(/^DTSTART:(\d{8}T\d{6})$/m, "DTSTART:$1Z");
  const parsed = RRule.fromString(floating);
  return parsed.all((_, i) => i < 500).map((wall) => {
    const at = DateTime.fromObject(
      { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes() },
      { zone: timezone },
    );
    return { local: at.toFormat("yyyy-MM-dd'T'HH:mm"), at: at.toJSDate() };
  });
}
