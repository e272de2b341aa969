import { describe, expect, it } from "vitest";
import { coveredWeek, digestCron, weekContaining, weeksBefore } from "../../../src/engine/digest/digest-week.js";

describe("digest weeks", () => {
  it("GIVEN a Monday 09:00 digest in New York THEN it covers the previous Monday–Sunday in local time", () => {
    const w = coveredWeek(new Date("2026-11-30T14:00:00Z"), "America/New_York");
    expect(w).toMatchObject({ week: "2026-W48", period: "week:2026-W48", previousPeriod: "week:2026-W47", start: "2026-11-23T05:00:00.000Z", end: "2026-11-30T05:00:00.000Z" });
    expect(w.label).toBe("week 48 of 2026 (23 Nov – 29 Nov)");
  });

  it("GIVEN a post at 23:30 local on Sunday THEN its instant (04:30 UTC on Monday) lies in that week", () => {
    const w = weekContaining(new Date("2026-11-30T04:30:00Z"), "America/New_York");
    expect(w.week).toBe("2026-W48");
    expect(weekContaining(new Date("2026-11-30T05:00:00Z"), "America/New_York").week).toBe("2026-W49");
  });

  it("GIVEN a week with a daylight-saving change THEN it is 169 hours long (fall back) and ends at local midnight", () => {
    const w = coveredWeek(new Date("2026-11-02T14:00:00Z"), "America/New_York");
    expect(w.week).toBe("2026-W44");
    expect((Date.parse(w.end) - Date.parse(w.start)) / 3_600_000).toBe(169);
    expect(w.end).toBe("2026-11-02T05:00:00.000Z");
  });

  it("GIVEN the year's turn THEN ISO week years are used (29 Dec 2025 is 2026-W01)", () => {
    expect(coveredWeek(new Date("2026-01-05T09:00:00Z"), "UTC").week).toBe("2026-W01");
    expect(weeksBefore(new Date("2026-01-05T09:00:00Z"), "UTC", 2).map((w) => w.week)).toEqual(["2025-W52", "2026-W01"]);
  });

  it("GIVEN digest.day and digest.time THEN the cron expression uses cron's Sunday 0", () => {
    expect(digestCron(1, "09:00")).toBe("0 9 * * 1");
    expect(digestCron(7, "18:30")).toBe("30 18 * * 0");
  });
});
