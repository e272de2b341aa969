import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineJob, type JobContext } from "../../src/jobs/job.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";
import { community, harness, runRows } from "./harness.js";

const HOUR = 3_600_000;

// 2026 transitions: Berlin 29 March / 25 October, New York 8 March / 1 November (all Sundays).
const zones = [
  { zone: "Europe/Berlin", spring: "2026-03-29", fall: "2026-10-25", repeatedHour: "02", summer: "+02:00" },
  { zone: "America/New_York", spring: "2026-03-08", fall: "2026-11-01", repeatedHour: "01", summer: "-04:00" },
];

function jobs(calls: JobContext[]) {
  const record = async (ctx: JobContext) => {
    calls.push(ctx);
  };
  return [
    defineJob({ name: "daily-0230", schedule: () => "30 2 * * *", graceMs: HOUR, run: record }),
    defineJob({ name: "weekly-mon-0900", schedule: () => "0 9 * * 1", graceMs: HOUR, run: record }),
  ];
}

const localOf = (ctx: JobContext, zone: string) => DateTime.fromJSDate(ctx.now, { zone });

describe.each(dialects)("daylight saving on %s", (dialect) => {
  // One database for the file: every test uses communities of its own.
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(dialect === "sqlite" ? "sqlite-memory" : dialect);
  });
  afterAll(() => t.cleanup());

  describe.each(zones)("in $zone", ({ zone, spring, fall, repeatedHour, summer }) => {
    /**
     * Runs the jobs from the Monday before the transition (`day` is a Sunday) to the Tuesday after,
     * in a community created at the start, waking either when asked or on a fixed cadence.
     */
    async function drive(day: string, mode: "wake" | { everyMs: number }): Promise<JobContext[]> {
      const calls: JobContext[] = [];
      const from = DateTime.fromISO(day, { zone }).minus({ days: 6 });
      const to = from.plus({ days: 9 });
      const h = harness(t.db.kysely, { start: from.toUTC().toISO()!, jobs: jobs(calls), communities: () => [community(`c-${day}-${mode === "wake" ? "wake" : mode.everyMs}`, zone, from.toUTC().toISO()!)], maxSleepMs: 8 * 24 * HOUR });
      while (h.clock.now() < to.toJSDate()) {
        const report = await h.scheduler.tick();
        expect(report.runs.every((r) => r.outcome === "done")).toBe(true);
        if (mode === "wake") h.clock.set(report.nextWakeAt);
        else h.clock.advance(mode.everyMs);
      }
      return calls;
    }

    it("GIVEN a daily 02:30 job and a weekly Monday 09:00 job over the spring-forward week THEN the daily runs once a day, at 03:00 on the day itself, and Mondays at 09:00", async () => {
      const calls = await drive(spring, "wake");
      const daily = calls.filter((c) => c.job === "daily-0230");
      expect(daily).toHaveLength(9);
      expect(new Set(daily.map((c) => c.period.local.slice(0, 10))).size).toBe(9);
      for (const c of daily) {
        expect(c.now).toEqual(c.scheduledFor); // woken exactly on time
        expect(localOf(c, zone).toFormat("HH:mm")).toBe(c.period.local.startsWith(spring) ? "03:00" : "02:30");
      }
      const weekly = calls.filter((c) => c.job === "weekly-mon-0900");
      expect(weekly.map((c) => localOf(c, zone).toFormat("ccc HH:mm"))).toEqual(["Mon 09:00", "Mon 09:00"]);
      // The same slots, at the same instants, when woken every 50 minutes instead.
      const cadence = await drive(spring, { everyMs: 50 * 60_000 });
      expect(cadence.map((c) => [c.job, c.period.key, c.scheduledFor])).toEqual(calls.map((c) => [c.job, c.period.key, c.scheduledFor]));
    });

    it("GIVEN the same jobs over the fall-back week THEN the daily runs once on the day (at the first of the two 02:30s where it repeats) and Mondays at 09:00", async () => {
      const calls = await drive(fall, "wake");
      const daily = calls.filter((c) => c.job === "daily-0230");
      expect(daily).toHaveLength(9);
      expect(daily.filter((c) => c.period.local.startsWith(fall))).toHaveLength(1);
      expect(daily.every((c) => localOf(c, zone).toFormat("HH:mm") === "02:30")).toBe(true);
      const weekly = calls.filter((c) => c.job === "weekly-mon-0900");
      expect(weekly.map((c) => localOf(c, zone).toFormat("ccc HH:mm"))).toEqual(["Mon 09:00", "Mon 09:00"]);
      const cadence = await drive(fall, { everyMs: 50 * 60_000 });
      expect(cadence.map((c) => [c.job, c.period.key, c.scheduledFor])).toEqual(calls.map((c) => [c.job, c.period.key, c.scheduledFor]));
    });

    it("GIVEN a job in the hour that repeats, run at its first occurrence THEN a restarted scheduler during the second occurrence does not run it again", async () => {
      const calls: JobContext[] = [];
      const expr = `30 ${Number(repeatedHour)} * * *`;
      const job = () => defineJob({ name: "repeated-hour", schedule: () => expr, graceMs: 2 * HOUR, run: async (ctx) => void calls.push(ctx) });
      const first = DateTime.fromISO(`${fall}T${repeatedHour}:30${summer}`, { setZone: true }).setZone(zone);
      const second = first.plus({ hours: 1 });
      expect(first.toFormat("HH:mm")).toBe(`${repeatedHour}:30`);
      expect(second.toFormat("HH:mm")).toBe(`${repeatedHour}:30`);
      const communities = () => [community(`repeated-${zone}`, zone)];
      const a = harness(t.db.kysely, { start: first.toUTC().toISO()!, jobs: [job()], communities });
      expect((await a.scheduler.tick()).runs).toMatchObject([{ outcome: "done", period: `${fall}T${repeatedHour}:30[${zone}]` }]);
      await a.scheduler.stop();
      const b = harness(t.db.kysely, { start: second.toUTC().toISO()!, jobs: [job()], communities });
      expect((await b.scheduler.tick()).runs).toEqual([]);
      expect(calls).toHaveLength(1);
      expect((await runRows(t.db.kysely)).filter((r) => r.job === "repeated-hour" && r.community_id === `repeated-${zone}`)).toHaveLength(1);
    });
  });
});
