import { describe, expect, it } from "vitest";
import { parseStart } from "../../../src/engine/talks/talk-time.js";

// Friday 27 March 2026, 12:00 UTC: Berlin moves its clocks forward on Sunday the 29th.
const NOW = new Date("2026-03-27T12:00:00Z");

describe("reading a talk's start", () => {
  it("GIVEN natural language in Europe/Berlin THEN the wall time is placed in the zone, across the DST change", () => {
    const r = parseStart("next thursday 18:00", "Europe/Berlin", NOW);
    expect(r).toMatchObject({ ok: true, at: new Date("2026-04-02T16:00:00Z") }); // CEST, UTC+2
    expect(parseStart("tomorrow 9am", "Europe/Berlin", NOW)).toMatchObject({ ok: true, at: new Date("2026-03-28T08:00:00Z") }); // CET
    expect(parseStart("in 2 hours", "Europe/Berlin", NOW)).toMatchObject({ ok: true, at: new Date("2026-03-27T14:00:00Z") });
  });

  it("GIVEN America/New_York THEN its own offset applies", () => {
    expect(parseStart("tomorrow 9am", "America/New_York", NOW)).toMatchObject({ ok: true, at: new Date("2026-03-28T13:00:00Z") });
    expect(parseStart("2026-04-02 18:00", "America/New_York", NOW)).toMatchObject({ ok: true, at: new Date("2026-04-02T22:00:00Z") });
  });

  it("GIVEN an explicit offset THEN it is honoured", () => {
    expect(parseStart("2026-04-02T18:00Z", "Europe/Berlin", NOW)).toMatchObject({ ok: true, at: new Date("2026-04-02T18:00:00Z") });
  });

  it("GIVEN a past time THEN the answer echoes how it was understood", () => {
    const r = parseStart("yesterday 9am", "Europe/Berlin", NOW);
    expect(r).toMatchObject({ ok: false, reason: "past" });
    expect(r.ok ? "" : r.message).toContain("Thursday 26 March 2026 at 09:00 (Europe/Berlin)");
  });

  it("GIVEN a day without a time THEN it is ambiguous, and says which day it read", () => {
    const r = parseStart("friday", "Europe/Berlin", NOW);
    expect(r).toMatchObject({ ok: false, reason: "ambiguous" });
    expect(r.ok ? "" : r.message).toMatch(/no time of day/);
  });

  it("GIVEN two times THEN it is ambiguous; GIVEN nonsense THEN unparseable with examples", () => {
    expect(parseStart("tomorrow 9am or friday 10am", "UTC", NOW)).toMatchObject({ ok: false, reason: "ambiguous" });
    const r = parseStart("whenever suits", "UTC", NOW);
    expect(r).toMatchObject({ ok: false, reason: "unparseable" });
    expect(r.ok ? "" : r.message).toContain("next thursday 18:00");
  });

  it("GIVEN markup, a mention or a link in what was typed THEN every echo of it is member text, never markup", () => {
    const cases = ["**soon** <@123> @everyone", "friday [x](https://evil.example)", "yesterday 9am <@&1>", "tomorrow 9am **and** <#5>", "tomorrow 9am or friday 10am"];
    for (const typed of cases) {
      const r = parseStart(typed, "UTC", NOW);
      expect(r.ok).toBe(false);
      const message = r.ok ? "" : r.message;
      // Outside the ⟦l:…⟧ literals nothing of what was typed is left.
      const outside = message.replace(/⟦l:[^⟧]*⟧/g, "");
      for (const piece of ["<@", "@everyone", "](", "**", "<#"]) expect(outside, `${typed} → ${message}`).not.toContain(piece);
    }
  });
});
