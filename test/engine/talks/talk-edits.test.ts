import { afterEach, describe, expect, it } from "vitest";
import { memberText, plainText } from "../../../src/core/reply.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, member, ref } from "../../helpers/events.js";
import { admin, configure, RecordingOutbox, scheduleTalk } from "./harness.js";

/** `/talk edit` and `/talk cancel`: what they refuse, and how. */
describe.each(dialects)("talk edits on %s", (dialect) => {
  let t: TestEngine;
  let outbox: RecordingOutbox;
  afterEach(async () => {
    await t.close();
  });

  async function start() {
    t = await testEngine({ dialect, start: "2026-11-26T12:00:00Z" });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    await configure(t, { timezone: "Europe/Berlin", "channels.talks": "<#700>" });
  }
  const press = (who: string, buttonId: string) =>
    t.engine.press({ kind: "button", key: `discord:interaction:${who}:${buttonId}`, at: t.clock.now(), place: { platform: "discord", workspaceId: "g1", channelId: "700" }, actor: member(who), buttonId });
  const settle = async () => {
    await t.engine.drain();
    await t.engine.delivery.deliverDue();
  };
  const edit = (options: Record<string, unknown>) => t.engine.command(command({ name: "talk", subcommand: "edit", by: admin, options }));

  it("GIVEN a talk under way THEN its title can still be changed, but not its start to a past time", async () => {
    await start();
    const id = await scheduleTalk(t, { title: "Live", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 60 });
    t.clock.set("2026-12-03T17:10:00Z");
    const renamed = await edit({ id, title: "Live, renamed" });
    expect(plainText(renamed.text)).toContain("Updated 1 talk");
    const moved = await edit({ id, start: "2026-12-03 17:30" });
    expect(moved.tone).toBe("error");
    expect(plainText(moved.text)).toContain("already passed");
  });

  it("GIVEN a full talk with a waitlist WHEN the capacity is raised THEN the promoted members get the same DM a drop-out's promotion sends", async () => {
    await start();
    const id = await scheduleTalk(t, { title: "Small room", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 45, capacity: 1 });
    for (const who of ["bob", "cy", "dee"]) await press(who, `talk:rsvp:${id}:going`);
    await settle();
    const before = outbox.of("dm").length;
    const raised = await edit({ id, capacity: 2 });
    expect(plainText(raised.text)).toContain("Updated 1 talk");
    await settle();
    const dms = outbox.of("dm").slice(before);
    const promoted = dms.filter((d) => d.text.includes("has a place for you now"));
    expect(promoted.map((d) => d.to)).toEqual(["discord:g1:cy"]);
    const statuses = await t.db.kysely.selectFrom("talk_rsvps").select(["member_id", "status"]).where("talk_id", "=", id).orderBy("member_id").execute();
    expect(statuses.map((r) => r.status)).toEqual(["going", "going", "waitlist"]);
  });

  it("GIVEN an id that names no talk THEN /talk edit and /talk cancel say so as /talk info does, with the id as typed and the /talk list hint", async () => {
    await start();
    const typed = "**NO** <@1>";
    for (const sub of ["edit", "cancel", "info"]) {
      const reply = await t.engine.command(command({ name: "talk", subcommand: sub, by: admin, options: sub === "edit" ? { id: typed, title: "x" } : { id: typed } }));
      expect(reply.tone, sub).toBe("error");
      expect(reply.text, sub).toContain("There's no talk with id");
      expect(reply.text, sub).toContain(memberText(typed));
      expect(reply.text, sub).toContain("/talk list");
    }
  });

  it("GIVEN /talk edit with only an id THEN it is refused privately, naming the fields it accepts, and nobody is told anything", async () => {
    await start();
    const id = await scheduleTalk(t, { title: "Unchanged", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 45 });
    await press("bob", `talk:rsvp:${id}:going`);
    await settle();
    const before = outbox.sent.length;
    const reply = await edit({ id });
    expect(reply.tone).toBe("error");
    expect(reply.ephemeral).toBe(true);
    for (const field of ["title", "start", "duration", "where", "link", "capacity", "description"]) expect(reply.text).toContain(`\`${field}\``);
    await settle();
    expect(outbox.sent.length).toBe(before);
  });

  it("GIVEN answers to a later occurrence of a series before it is announced THEN its announcement shows them", async () => {
    await start();
    await scheduleTalk(t, { title: "Weekly", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 45, repeat: "weekly", occurrences: 3 });
    const [, second] = await t.db.kysely.selectFrom("talks").select(["id", "starts_at"]).orderBy("starts_at").execute();
    await press("bob", `talk:rsvp:${second!.id}:going`);
    await press("cy", `talk:rsvp:${second!.id}:maybe`);
    t.clock.set(new Date(Date.parse(second!.starts_at) - 7 * 86_400_000));
    await t.engine.scheduler.tick();
    await settle();
    const announcement = outbox.of("post").filter((p) => p.buttons.some((b) => b.includes(second!.id)));
    expect(announcement).toHaveLength(1);
    expect(announcement[0]!.text).toContain("Going 1 · Maybe 1 · Can't go 0");
  });
});
