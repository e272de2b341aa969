import { afterEach, describe, expect, it } from "vitest";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, member, ref } from "../../helpers/events.js";
import { admin, configure, RecordingOutbox, scheduleTalk } from "./harness.js";

const where = { platform: "discord", workspaceId: "g1" } as const;

/** Which talks the platform's calendar (Discord's scheduled events) must be brought in step with. */
describe.each(dialects)("talks' calendar sync on %s", (dialect) => {
  let t: TestEngine;
  afterEach(async () => {
    await t.close();
  });

  async function start() {
    t = await testEngine({ dialect, start: "2026-11-26T12:00:00Z" });
    t.engine.registerOutbox(new RecordingOutbox());
    await configure(t, { timezone: "Europe/Berlin", "channels.talks": "<#700>" });
  }

  const due = async () => (await t.engine.services.talkCalendar.due(where)).items;
  async function syncAll() {
    for (const item of await due()) await t.engine.services.talkCalendar.synced(item.talkId, item.version, item.cancelled ? item.eventId! : `event-${item.talkId}`);
  }

  it("GIVEN a cancelled talk whose event was never cancelled on the platform THEN it is due until the talk's end, and not after", async () => {
    await start();
    const id = await scheduleTalk(t, { title: "Gone", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 45 });
    await syncAll();
    expect(await due()).toEqual([]);
    await t.engine.command(command({ name: "talk", subcommand: "cancel", by: admin, options: { id } }));
    expect((await due()).map((i) => [i.talkId, i.cancelled])).toEqual([[id, true]]);
    t.clock.set("2026-12-03T17:45:00Z");
    expect(await due()).toEqual([]);
  });

  it("GIVEN a synced talk THEN RSVPs leave its event alone, and an edit of what it shows makes it due again", async () => {
    await start();
    const id = await scheduleTalk(t, { title: "Shown", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 45 });
    await syncAll();
    for (const [who, answer] of [["bob", "going"], ["cy", "maybe"], ["bob", "no"]] as const) {
      const reply = await t.engine.press({ kind: "button", key: `discord:interaction:${who}:${answer}`, at: t.clock.now(), place: { platform: "discord", workspaceId: "g1", channelId: "700" }, actor: member(who), buttonId: `talk:rsvp:${id}:${answer}` });
      expect(reply.tone).not.toBe("error");
    }
    expect(await due()).toEqual([]);
    await t.engine.command(command({ name: "talk", subcommand: "edit", by: admin, options: { id, title: "Shown, renamed" } }));
    expect((await due()).map((i) => [i.talkId, i.title])).toEqual([[id, "Shown, renamed"]]);
  });
});
