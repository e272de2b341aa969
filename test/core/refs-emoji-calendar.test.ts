import { describe, expect, it } from "vitest";
import { normalizeEmoji } from "../../src/core/emoji.js";
import { parseRef, parseRefOf, parseSettingRef, writeRef } from "../../src/core/refs.js";
import { currentPeriod, localDay, periodLabel, periodsOfDay } from "../../src/engine/calendar.js";
import { levelFor, levelProgress, pointsForLevel } from "../../src/engine/points/levels.js";

describe("mention markup", () => {
  const discord = { platform: "discord" as const, workspaceId: "G" };
  const slack = { platform: "slack" as const, workspaceId: "T" };
  it.each([
    ["<@123>", discord, { type: "member", id: "discord:G:123" }],
    ["<@!123>", discord, { type: "member", id: "discord:G:123" }],
    ["<@&9>", discord, { type: "role", id: "discord:G:&9" }],
    ["<#55>", discord, { type: "channel", id: "discord:G:55" }],
    ["<@U1|ada>", slack, { type: "member", id: "slack:T:U1", name: "ada" }],
    ["<#C1|general>", slack, { type: "channel", id: "slack:T:C1", name: "general" }],
    ["<!subteam^S9|@mods>", slack, { type: "role", id: "slack:T:&S9", name: "mods" }],
    ["@ada", { platform: "console" as const, workspaceId: "local" }, { type: "member", id: "console:local:ada", name: "ada" }],
  ])("GIVEN %s THEN it is read as %j", (token, where, expected) => {
    expect(parseRef(token, where)).toEqual(expected);
  });

  it("GIVEN another platform's markup THEN it is not read", () => {
    expect(parseRef("<@U1>", discord)).toBeUndefined();
  });

  const terminal = { platform: "console" as const, workspaceId: "local" };
  it("GIVEN console names and channels in any script THEN they are read; bidi controls and spaces are not names", () => {
    expect(parseRef("@日本", terminal)).toEqual({ type: "member", id: "console:local:日本", name: "日本" });
    expect(parseRef("#日本語", terminal)).toEqual({ type: "channel", id: "console:local:日本語", name: "日本語" });
    expect(parseRef("@ada\u202e", terminal)).toBeUndefined();
    expect(parseRef("@a b", terminal)).toBeUndefined();
  });

  it("GIVEN @name where the console asks for a role THEN it names that role", () => {
    expect(parseRefOf("role", "@Regular", terminal)).toEqual({ type: "role", id: "console:local:&Regular", name: "Regular" });
    expect(parseRefOf("member", "@Regular", terminal)).toEqual({ type: "member", id: "console:local:Regular", name: "Regular" });
  });

  it("GIVEN a typed namespaced id THEN only a setting value accepts it, of the right type and a plain shape", () => {
    expect(parseRefOf("member", "slack:T:U1", slack)).toBeUndefined();
    expect(parseSettingRef("member", "slack:T:U1", slack)).toEqual({ type: "member", id: "slack:T:U1" });
    expect(parseSettingRef("role", "discord:G:&9", slack)).toEqual({ type: "role", id: "discord:G:&9" });
    expect(parseSettingRef("member", "discord:G:&9", slack)).toBeUndefined();
    expect(parseSettingRef("member", "slack:T:U1\u202e", slack)).toBeUndefined();
    expect(parseSettingRef("member", "mysql:T:U1", slack)).toBeUndefined();
  });

  it.each([
    ["member", "discord:G:123", discord, "<@123>"],
    ["role", "discord:G:&9", discord, "<@&9>"],
    ["channel", "slack:T:C1", slack, "<#C1>"],
    ["role", "slack:T:&S9", slack, "<!subteam^S9>"],
    ["member", "console:local:bob", terminal, "@bob"],
    ["role", "console:local:&Regular", terminal, "@Regular"],
    ["member", "discord:G:123", slack, "discord:G:123"],
  ] as const)("GIVEN a stored %s id %s THEN it is written %s there, and reads back as the same id", (type, id, where, written) => {
    expect(writeRef(type, id, where)).toBe(written);
    expect(parseSettingRef(type, written, where)?.id).toBe(id);
  });
});

describe("emoji", () => {
  it.each([
    ["+1", "👍"],
    [":+1:", "👍"],
    ["thumbsup", "👍"],
    ["+1::skin-tone-4", "👍"],
    ["👍", "👍"],
    ["👍🏾", "👍"],
    ["❤️", "❤"],
    ["heart", "❤"],
    ["<:partyparrot:123456>", ":partyparrot:"],
    ["partyparrot", ":partyparrot:"],
    ["tada", "🎉"],
    [":unicorn:", "🦄"],
    ["unicorn_face", "🦄"],
    ["🦄", "🦄"],
    [":thumbsup:", "👍"],
  ])("GIVEN %s THEN it normalises to %s", (input, expected) => {
    expect(normalizeEmoji(input)).toBe(expected);
  });
});

describe("calendar", () => {
  it("GIVEN a UTC instant THEN the local day follows the timezone", () => {
    expect(localDay(new Date("2026-11-27T04:00:00Z"), "America/New_York")).toBe("2026-11-26");
    expect(localDay(new Date("2026-11-27T04:00:00Z"), "Asia/Tokyo")).toBe("2026-11-27");
  });

  it("GIVEN days around the new year THEN ISO weeks belong to the right week-year", () => {
    expect(periodsOfDay("2026-12-31")).toEqual(["all", "week:2026-W53", "month:2026-12"]);
    expect(periodsOfDay("2027-01-03")).toEqual(["all", "week:2026-W53", "month:2027-01"]);
    expect(periodsOfDay("2027-01-04")[1]).toBe("week:2027-W01");
  });

  it("GIVEN Sunday 23:30 in Berlin THEN it is still that week there, already next week in UTC", () => {
    const at = new Date("2026-11-29T23:30:00Z");
    expect(currentPeriod("week", at, "Europe/Berlin")).toBe("week:2026-W49");
    expect(currentPeriod("week", at, "UTC")).toBe("week:2026-W48");
    expect(periodLabel("week:2026-W48")).toBe("week 48 of 2026");
    expect(periodLabel("month:2026-11")).toBe("November 2026");
  });
});

describe("levels", () => {
  it("GIVEN the curve THEN thresholds are 25·L·(L+1)", () => {
    expect([1, 2, 3, 10].map(pointsForLevel)).toEqual([50, 150, 300, 2750]);
    expect([0, 49, 50, 149, 150, 2749, 2750].map(levelFor)).toEqual([0, 0, 1, 1, 2, 9, 10]);
    expect(levelProgress(200)).toEqual({ level: 2, into: 50, span: 150, toNext: 100 });
  });

  it("GIVEN every total up to 100 000 THEN the level is the largest whose threshold is reached", () => {
    for (let p = 0; p <= 100_000; p += 7) {
      const level = levelFor(p);
      expect(pointsForLevel(level) <= p || level === 0).toBe(true);
      expect(pointsForLevel(level + 1)).toBeGreaterThan(p);
    }
  });
});

describe("local day cache", () => {
  it("GIVEN any instant and timezone, including 45-minute offsets and half-hour DST THEN the cached day equals luxon's", async () => {
    const { DateTime } = await import("luxon");
    const fc = (await import("fast-check")).default;
    const zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns"];
    fc.assert(
      fc.property(fc.integer({ min: Date.parse("2020-01-01"), max: Date.parse("2030-01-01") }), fc.constantFrom(...zones), (ms, zone) => {
        expect(localDay(new Date(ms), zone)).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
      }),
      { numRuns: 5000 },
    );
  });
});
