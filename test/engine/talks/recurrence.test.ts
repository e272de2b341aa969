import { describe, expect, it } from "vitest";
import { occurrences, seriesRule } from "../../../src/engine/talks/recurrence.js";

describe("recurring talks keep their local time", () => {
  it("GIVEN a weekly 18:00 in Berlin across the spring change THEN 17:00Z before and 16:00Z after", () => {
    const rule = seriesRule(new Date("2026-03-19T17:00:00Z"), "Europe/Berlin", "weekly", 3);
    expect(rule).toContain("RRULE:FREQ=WEEKLY;INTERVAL=1;COUNT=3");
    expect(occurrences(rule, "Europe/Berlin")).toEqual([
      { local: "2026-03-19T18:00", at: new Date("2026-03-19T17:00:00Z") },
      { local: "2026-03-26T18:00", at: new Date("2026-03-26T17:00:00Z") },
      { local: "2026-04-02T18:00", at: new Date("2026-04-02T16:00:00Z") },
    ]);
  });

  it("GIVEN a biweekly 12:00 in New York across the autumn change THEN 16:00Z then 17:00Z", () => {
    const rule = seriesRule(new Date("2026-10-22T16:00:00Z"), "America/New_York", "biweekly", 2);
    expect(occurrences(rule, "America/New_York").map((o) => o.at.toISOString())).toEqual(["2026-10-22T16:00:00.000Z", "2026-11-05T17:00:00.000Z"]);
  });

  it("GIVEN monthly THEN the same day of month", () => {
    const rule = seriesRule(new Date("2026-01-15T18:00:00Z"), "UTC", "monthly", 3);
    expect(occurrences(rule, "UTC").map((o) => o.local)).toEqual(["2026-01-15T18:00", "2026-02-15T18:00", "2026-03-15T18:00"]);
  });
});
