import { CronExpressionParser } from "cron-parser";
import { IANAZone } from "luxon";

/**
 * One scheduled slot of a recurring job in a community's timezone.
 *
 * `local` is the slot's nominal wall-clock time (`2026-03-29T02:30`), even when that time does not
 * exist that day; `at` is the instant it runs. `key` (`2026-03-29T02:30[Europe/Berlin]`, the
 * RFC 9557 way of naming a zone) is what run records are unique on, so a slot is one key however
 * often the clocks change.
 */
export interface Period {
  key: string;
  local: string;
  zone: string;
  at: Date;
}

/** A schedule the scheduler cannot use: the message names what was given and what is accepted. */
export class ScheduleError extends Error {
  override readonly name = "ScheduleError";
}

const MINUTE = 60_000;
const DAY = 86_400_000;
// A slot search that steps over this many candidates is a pathological expression, not a schedule.
const MAX_STEPS = 10_000;

/**
 * A 5-field cron expression (`minute hour day-of-month month day-of-week`) read as wall-clock time
 * in one IANA zone, with daylight saving handled here rather than left to cron-parser.
 *
 * Why not cron-parser's own `tz` option: measured on cron-parser 5.10.6, for a daily `30 2 * * *`
 * in Europe/Berlin `next()` puts the spring-forward slot at 03:30 (it shifts by the offset change)
 * while `prev()` skips that day altogether, and on the fall-back day `prev()` yields 02:30 twice
 * (once per offset) while `next()` yields it once. A scheduler that looks back for missed slots
 * and forward for the next wake needs one answer, so cron-parser only enumerates wall-clock times
 * (in UTC, where no clock ever changes) and this class maps each to an instant by two rules:
 *
 * - a wall time that does not exist (the spring-forward gap) runs at the first instant after the
 *   gap (02:30 → 03:00 in Berlin and New York); several slots in one gap (an every-15-minutes job)
 *   coalesce into one run, keyed by the last of them;
 * - a wall time that happens twice (the fall-back overlap) runs at its first occurrence only.
 */
export class CronSchedule {
  private readonly tz: IANAZone;

  private constructor(
    readonly expression: string,
    readonly zone: string,
  ) {
    this.tz = IANAZone.create(zone);
  }

  /** Parses `expression` for `zone`; throws {@link ScheduleError} naming what was wrong. */
  static parse(expression: string, zone: string): CronSchedule {
    const fields = expression.trim().split(/\s+/);
    if (fields.length !== 5 || fields[0] === "") {
      throw new ScheduleError(
        `schedule "${expression}" has ${fields[0] === "" ? 0 : fields.length} fields; expected 5: minute hour day-of-month month day-of-week (e.g. "0 9 * * 1")`,
      );
    }
    if (!IANAZone.isValidZone(zone)) throw new ScheduleError(`timezone "${zone}" is not an IANA timezone such as Europe/Berlin`);
    try {
      CronExpressionParser.parse(fields.join(" "), { tz: "UTC" });
    } catch (error) {
      throw new ScheduleError(`schedule "${expression}" is not valid cron: ${error instanceof Error ? error.message : String(error)}`);
    }
    return new CronSchedule(fields.join(" "), zone);
  }

  /** The latest slot that runs at or before `t`, if any. */
  latestAtOrBefore(t: Date): Period | undefined {
    for (const period of this.slotsAtOrBefore(t)) return period;
    return undefined;
  }

  /** Slots that run at or before `t`, latest first (one iterator: cheaper than repeated lookups). */
  *slotsAtOrBefore(t: Date): Generator<Period, void, undefined> {
    const ms = t.getTime();
    // In the fall-back overlap a wall time later than t's own can still have run before t (its
    // first occurrence), so the backwards walk starts that much later than t's wall time.
    const overlap = Math.max(0, Math.max(this.offset(ms - DAY), this.offset(ms - 2 * DAY)) - this.offset(ms));
    const it = this.wallClock(this.wall(ms) + overlap * MINUTE + MINUTE);
    let last: number | undefined;
    let idle = 0;
    while (idle < MAX_STEPS && it.hasPrev()) {
      const local = it.prev().getTime();
      const at = this.instantOf(local);
      // Walking backwards, the first wall time that ran by t is the latest; of several wall times
      // coalesced into one instant (a gap) it is the last one, as nextAfter also picks.
      if (at > ms || at === last) {
        idle += 1;
        continue;
      }
      idle = 0;
      last = at;
      yield this.period(local, at);
    }
  }

  /** The first slot that runs strictly after `t`, if any. */
  nextAfter(t: Date): Period | undefined {
    const ms = t.getTime();
    // Every wall time before t's own ran before t (gap slots map forward only to the gap's end,
    // overlap slots to their first occurrence), so the forward walk can start at t's wall time.
    const it = this.wallClock(this.wall(ms) - MINUTE);
    let found: { local: number; at: number } | undefined;
    for (let step = 0; step < MAX_STEPS && it.hasNext(); step++) {
      const local = it.next().getTime();
      const at = this.instantOf(local);
      if (at <= ms) continue;
      // Keep walking while later wall times coalesce into the same instant (a spring-forward gap).
      if (found && at !== found.at) break;
      found = { local, at };
    }
    return found && this.period(found.local, found.at);
  }

  /** The instant a wall-clock time (given as if it were UTC) runs at, by the two rules above. */
  instantOf(local: number): number {
    const offsets = new Set([this.offset(local - DAY), this.offset(local), this.offset(local + DAY)]);
    let first: number | undefined;
    for (const o of offsets) {
      const at = local - o * MINUTE;
      if (this.offset(at) === o && (first === undefined || at < first)) first = at;
    }
    if (first !== undefined) return first;
    // Not a valid wall time: find the transition between the instant read with the larger offset
    // (before the jump) and with the smaller (after it), to the millisecond.
    const sorted = [...offsets].sort((a, b) => a - b);
    let lo = local - (sorted.at(-1) as number) * MINUTE;
    let hi = local - (sorted[0] as number) * MINUTE;
    const before = this.offset(lo);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.offset(mid) === before) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  private period(local: number, at: number): Period {
    const text = new Date(local).toISOString().slice(0, 16);
    return { key: `${text}[${this.zone}]`, local: text, zone: this.zone, at: new Date(at) };
  }

  private wall(ms: number): number {
    return ms + this.offset(ms) * MINUTE;
  }

  /** The zone's UTC offset in minutes at an instant. */
  private offset(ms: number): number {
    return this.tz.offset(ms);
  }

  private wallClock(from: number) {
    return CronExpressionParser.parse(this.expression, { tz: "UTC", currentDate: new Date(from) });
  }
}
