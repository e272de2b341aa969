import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { CronSchedule, type Period } from "../../src/jobs/cron-schedule.js";

/** Every slot in [from, to), walking forward with nextAfter. */
function slotsBetween(expr: string, zone: string, from: string, to: string): Period[] {
  const schedule = CronSchedule.parse(expr, zone);
  const out: Period[] = [];
  let t = new Date(new Date(from).getTime() - 1);
  for (;;) {
    const p = schedule.nextAfter(t);
    if (!p || p.at >= new Date(to)) return out;
    out.push(p);
    t = p.at;
  }
}

/** The same slots walking backwards with latestAtOrBefore, returned oldest first. */
function slotsBackwards(expr: string, zone: string, from: string, to: string): Period[] {
  const schedule = CronSchedule.parse(expr, zone);
  const out: Period[] = [];
  let t = new Date(new Date(to).getTime() - 1);
  for (;;) {
    const p = schedule.latestAtOrBefore(t);
    if (!p || p.at < new Date(from)) return out.reverse();
    out.push(p);
    t = new Date(p.at.getTime() - 1);
  }
}

// 2026: Europe/Berlin springs forward on Sunday 29 March (02:00 → 03:00) and falls back on Sunday
// 25 October (03:00 → 02:00); America/New_York on Sunday 8 March and Sunday 1 November.
const cases = [
  { zone: "Europe/Berlin", spring: "2026-03-29", fall: "2026-10-25" },
  { zone: "America/New_York", spring: "2026-03-08", fall: "2026-11-01" },
];

describe.each(cases)("CronSchedule in $zone", ({ zone, spring, fall }) => {
  const around = (day: string, days: number) => {
    // Local midnights, so each day's slots fall inside whatever its offset.
    const d = DateTime.fromISO(day, { zone });
    return [d.minus({ days }).toUTC().toISO() as string, d.plus({ days: days + 1 }).toUTC().toISO() as string] as const;
  };

  it("GIVEN a daily 02:30 job THEN on the spring-forward day it runs once, at 03:00 local (the first instant after the gap)", () => {
    const [from, to] = around(spring, 3);
    const slots = slotsBetween("30 2 * * *", zone, from, to);
    expect(slots).toHaveLength(7);
    const onTheDay = slots.filter((p) => p.local.startsWith(spring));
    expect(onTheDay).toHaveLength(1);
    expect(onTheDay[0]?.key).toBe(`${spring}T02:30[${zone}]`);
    expect(DateTime.fromJSDate(onTheDay[0]!.at, { zone }).toFormat("HH:mm")).toBe("03:00");
    // Every other day still at 02:30 local.
    expect(slots.filter((p) => p !== onTheDay[0]).every((p) => DateTime.fromJSDate(p.at, { zone }).toFormat("HH:mm") === "02:30")).toBe(true);
    expect(slotsBackwards("30 2 * * *", zone, from, to)).toEqual(slots);
  });

  it("GIVEN a daily 02:30 job (and 01:30, which New York repeats) THEN on the fall-back day it runs once, at the first occurrence", () => {
    const [from, to] = around(fall, 3);
    for (const expr of ["30 2 * * *", "30 1 * * *"]) {
      const slots = slotsBetween(expr, zone, from, to);
      expect(slots).toHaveLength(7);
      const onTheDay = slots.filter((p) => p.local.startsWith(fall));
      expect(onTheDay).toHaveLength(1);
      expect(new Set(slots.map((p) => p.key)).size).toBe(7);
      expect(slotsBackwards(expr, zone, from, to)).toEqual(slots);
    }
    // In the repeated hour (Berlin 02:xx, New York 01:xx) the first occurrence is the earlier instant.
    const repeated = zone === "Europe/Berlin" ? "30 2 * * *" : "30 1 * * *";
    const slot = slotsBetween(repeated, zone, from, to).find((p) => p.local.startsWith(fall))!;
    expect(DateTime.fromJSDate(slot.at, { zone }).offset).toBe(DateTime.fromISO(`${fall}T00:00`, { zone }).offset);
  });

  it("GIVEN a weekly Monday 09:00 job THEN across both DST weeks it runs every Monday at 09:00 local, once", () => {
    for (const day of [spring, fall]) {
      const [from, to] = around(day, 14);
      const slots = slotsBetween("0 9 * * 1", zone, from, to);
      expect(slots.length).toBe(4);
      for (const p of slots) {
        const dt = DateTime.fromJSDate(p.at, { zone });
        expect([dt.weekday, dt.toFormat("HH:mm")]).toEqual([1, "09:00"]);
        expect(p.key).toBe(`${dt.toFormat("yyyy-MM-dd")}T09:00[${zone}]`);
      }
      expect(slotsBackwards("0 9 * * 1", zone, from, to)).toEqual(slots);
    }
  });

  it("GIVEN a job every 15 minutes THEN the slots inside the spring-forward gap coalesce into one run at the gap's end, and the repeated hour runs once", () => {
    const gap = slotsBetween("*/15 * * * *", zone, DateTime.fromISO(`${spring}T00:00`, { zone }).toUTC().toISO()!, DateTime.fromISO(`${spring}T05:00`, { zone }).toUTC().toISO()!);
    // 00:00..01:45 (8), 02:xx does not exist and joins 03:00, then 03:00..04:45 (8): 16 runs in 4 real hours.
    expect(gap).toHaveLength(16);
    expect(gap.map((p) => p.local.slice(11))).not.toContain("02:00");
    expect(new Set(gap.map((p) => p.at.getTime())).size).toBe(16);
    const overlap = slotsBetween("*/15 * * * *", zone, DateTime.fromISO(`${fall}T00:00`, { zone }).toUTC().toISO()!, DateTime.fromISO(`${fall}T05:00`, { zone }).toUTC().toISO()!);
    expect(overlap).toHaveLength(20); // 5 wall-clock hours, each quarter once, in 6 real hours
    expect(new Set(overlap.map((p) => p.key)).size).toBe(20);
  });
});

describe("CronSchedule", () => {
  it("GIVEN an instant inside the repeated hour THEN the latest slot is the one that ran at its first occurrence", () => {
    const s = CronSchedule.parse("30 2 * * *", "Europe/Berlin");
    // 01:15Z on 25 October is 02:15 Berlin the second time round; 02:30 ran at 00:30Z already.
    expect(s.latestAtOrBefore(new Date("2026-10-25T01:15:00Z"))?.key).toBe("2026-10-25T02:30[Europe/Berlin]");
    expect(s.nextAfter(new Date("2026-10-25T01:15:00Z"))?.key).toBe("2026-10-26T02:30[Europe/Berlin]");
  });

  it("GIVEN a slot exactly at an instant THEN it is the latest at that instant and not the next", () => {
    const s = CronSchedule.parse("0 9 * * *", "UTC");
    expect(s.latestAtOrBefore(new Date("2026-12-07T09:00:00Z"))?.at.toISOString()).toBe("2026-12-07T09:00:00.000Z");
    expect(s.nextAfter(new Date("2026-12-07T09:00:00Z"))?.at.toISOString()).toBe("2026-12-08T09:00:00.000Z");
  });

  it.each([
    ["* * * *", /4 fields; expected 5/],
    ["0 9 * * 1 2", /6 fields; expected 5/],
    ["", /0 fields/],
    ["61 * * * *", /not valid cron: .*0-59/],
    ["0 9 31 2 *", /not valid cron/],
  ])("GIVEN the schedule %j THEN parsing fails naming what is accepted", (expr, message) => {
    expect(() => CronSchedule.parse(expr, "UTC")).toThrow(message);
  });

  it("GIVEN an unknown timezone THEN parsing fails naming it", () => {
    expect(() => CronSchedule.parse("0 9 * * *", "Mars/Olympus")).toThrow(/"Mars\/Olympus" is not an IANA timezone/);
  });
});
