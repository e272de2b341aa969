import ICAL from "ical.js";
import { afterEach, describe, expect, it } from "vitest";
import { talksCalendar } from "../../../src/engine/talks/talks-ical.js";
import { icsFor } from "../../../src/engine/talks/talks-ics.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, member, ref } from "../../helpers/events.js";
import { configure, scheduleTalk } from "./harness.js";

/** The .ics is checked with a parser (ical.js), never by matching strings. */
describe("the talks calendar", () => {
  let t: TestEngine;
  afterEach(async () => t.close());

  it("GIVEN a one-off and a weekly series with one occurrence cancelled THEN the .ics parses, holds the series' RRULE in its zone and excludes the cancelled one", async () => {
    t = await testEngine({ start: "2026-03-10T12:00:00Z" });
    await configure(t, { timezone: "Europe/Berlin", "channels.talks": "<#700>" });
    const single = await scheduleTalk(t, { title: "One-off", speaker: ref("ada"), start: "2026-03-12 18:00", duration: 45, link: "https://meet.example.com/x" });
    await scheduleTalk(t, { title: "Weekly", speaker: ref("bob"), start: "2026-03-19 18:00", duration: 30, repeat: "weekly", occurrences: 3 });
    const second = await t.db.kysely.selectFrom("talks").select("id").where("occurrence", "=", "2026-03-26T18:00").executeTakeFirstOrThrow();
    await t.engine.command(command({ name: "talk", subcommand: "cancel", by: member("root", { isPlatformAdmin: true }), options: { id: second.id } }));
    const third = await t.db.kysely.selectFrom("talks").select("id").where("occurrence", "=", "2026-04-02T18:00").executeTakeFirstOrThrow();
    await t.engine.command(command({ name: "talk", subcommand: "edit", by: member("root", { isPlatformAdmin: true }), options: { id: third.id, title: "Weekly: finale", start: "2026-04-02 19:00" } }));
    const community = await t.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });

    const ics = await talksCalendar(t.db.kysely, community.id, { name: "Dev talks", now: t.clock.now() });
    const calendar = new ICAL.Component(ICAL.parse(ics));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.summary)).toEqual(["One-off", "Weekly", "Weekly: finale"]);
    const [oneOff, weekly, finale] = events;
    // The changed occurrence overrides the rule's: same UID, RECURRENCE-ID at the rule's time, its own start (after DST: 17:00Z).
    expect(finale!.uid).toBe(weekly!.uid);
    expect(finale!.recurrenceId.toString()).toBe("2026-04-02T18:00:00");
    expect(finale!.startDate.toString()).toBe("2026-04-02T19:00:00");
    expect(oneOff!.uid).toBe(`${single}@guildkeeper.local`);
    expect(oneOff!.startDate.toJSDate().toISOString()).toBe("2026-03-12T17:00:00.000Z");
    expect(oneOff!.component.getFirstPropertyValue("url")).toBe("https://meet.example.com/x");

    const rrule = weekly!.component.getFirstPropertyValue("rrule") as ICAL.Recur;
    expect(rrule.freq).toBe("WEEKLY");
    expect(rrule.count).toBe(3);
    expect(weekly!.component.getFirstProperty("dtstart")!.getParameter("tzid")).toBe("Europe/Berlin");
    expect(weekly!.startDate.toString()).toBe("2026-03-19T18:00:00");
    const exdate = weekly!.component.getFirstPropertyValue("exdate") as ICAL.Time;
    expect(exdate.toString()).toBe("2026-03-26T18:00:00");
  });

  it("GIVEN several communities THEN talks:ics asks which one; GIVEN --community THEN it prints that one's calendar", async () => {
    t = await testEngine();
    await t.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
    await t.engine.communities.resolve({ platform: "slack", workspaceId: "T1" });
    const ask = await icsFor(t.db.kysely, [], t.clock.now());
    expect(ask).toMatchObject({ ok: false, error: expect.stringContaining("Several communities") });
    const community = await t.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
    const one = await icsFor(t.db.kysely, ["--community", community.id], t.clock.now());
    expect(one.ok).toBe(true);
    expect(new ICAL.Component(ICAL.parse(one.ok ? one.ics : "")).name).toBe("vcalendar");
    expect(await icsFor(t.db.kysely, ["--community", "nope"], t.clock.now())).toMatchObject({ ok: false, error: expect.stringContaining('No community is called or numbered "nope"') });
  });
});
