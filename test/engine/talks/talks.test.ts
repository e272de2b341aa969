import { afterEach, describe, expect, it } from "vitest";
import { plainText } from "../../../src/core/reply.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { assertTotalsMatchLedger } from "../../helpers/invariants.js";
import { command, member, ref } from "../../helpers/events.js";
import { configure, RecordingOutbox, scheduleTalk, settle } from "./harness.js";

const ada = member("ada");
const bob = member("bob");
const cy = member("cy");
const dee = member("dee");

const press = (t: TestEngine, by: ReturnType<typeof member>, buttonId: string) =>
  t.engine.press({ kind: "button", key: `discord:interaction:${buttonId}:${by.userId}:${Math.random()}`, at: t.clock.now(), place: { platform: "discord", workspaceId: "g1", channelId: "700" }, actor: by, buttonId });

describe.each(dialects)("talks on %s", (dialect) => {
  let t: TestEngine;
  let outbox: RecordingOutbox;
  afterEach(async () => {
    await assertTotalsMatchLedger(t.db.kysely);
    await t.close();
  });

  async function start(at = "2026-11-26T12:00:00Z", tz = "Europe/Berlin") {
    t = await testEngine({ dialect, start: at });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    await configure(t, { timezone: tz, "channels.talks": "<#700>" });
  }

  it("GIVEN no talks channel THEN /talk schedule says how to set it", async () => {
    t = await testEngine({ dialect });
    const reply = await t.engine.command(command({ name: "talk", subcommand: "schedule", by: member("root", { isPlatformAdmin: true }), options: { title: "x", speaker: ref("ada"), start: "tomorrow 18:00", duration: 30 } }));
    expect(reply).toMatchObject({ ephemeral: true, tone: "error" });
    expect(reply.text).toContain("/config set channels.talks");
  });

  it("GIVEN a member THEN /talk schedule is for organizers; GIVEN bad times THEN the answer echoes how they were read", async () => {
    await start();
    expect((await t.engine.command(command({ name: "talk", subcommand: "schedule", by: ada, options: { title: "x", speaker: ref("ada"), start: "tomorrow 18:00", duration: 30 } }))).text).toBe("Only organizers can use /talk schedule.");
    const root = member("root", { isPlatformAdmin: true });
    const past = await t.engine.command(command({ name: "talk", subcommand: "schedule", by: root, options: { title: "x", speaker: ref("ada"), start: "yesterday 18:00", duration: 30 } }));
    expect(past).toMatchObject({ ephemeral: true, tone: "error" });
    expect(past.text).toContain("Wednesday 25 November 2026 at 18:00 (Europe/Berlin)");
    const vague = await t.engine.command(command({ name: "talk", subcommand: "schedule", by: root, options: { title: "x", speaker: ref("ada"), start: "soonish", duration: 30 } }));
    expect(vague.text).toContain("couldn't read a date or time");
  });

  it("GIVEN a scheduled talk THEN it is announced in the talks channel with RSVP buttons, and each answer edits the counts in place", async () => {
    await start();
    const id = await scheduleTalk(t, { title: "Rust for *everyone*", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 45 });
    await settle(t);
    const [post] = outbox.of("post");
    expect(post).toMatchObject({ to: "700" });
    expect(post!.text).toContain("Rust for *everyone*");
    expect(post!.text).toContain("Going 0 · Maybe 0 · Can't go 0");
    expect(post!.buttons).toEqual([`talk:rsvp:${id}:going`, `talk:rsvp:${id}:maybe`, `talk:rsvp:${id}:no`, `talk:remind:${id}`]);

    expect((await press(t, bob, `talk:rsvp:${id}:going`)).text).toContain("You're going");
    await press(t, cy, `talk:rsvp:${id}:maybe`);
    await press(t, bob, `talk:rsvp:${id}:no`);
    expect((await press(t, cy, `talk:rsvp:${id}:maybe`)).text).toContain("already your answer");
    await settle(t);
    const edits = outbox.of("edit");
    expect(edits.map((e) => e.id)).toEqual([post!.id, post!.id, post!.id]);
    expect(edits.map((e) => /Going .*/.exec(e.text)?.[0])).toEqual(["Going 1 · Maybe 0 · Can't go 0", "Going 1 · Maybe 1 · Can't go 0", "Going 0 · Maybe 1 · Can't go 1"]);
  });

  it("GIVEN a capacity THEN extra Going members wait, and a drop-out promotes the first and tells them", async () => {
    await start();
    const id = await scheduleTalk(t, { title: "Small room", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 45, capacity: 2 });
    await press(t, bob, `talk:rsvp:${id}:going`);
    await press(t, cy, `talk:rsvp:${id}:going`);
    t.clock.advance(1000);
    expect((await press(t, dee, `talk:rsvp:${id}:going`)).text).toContain("waitlist");
    t.clock.advance(1000);
    await press(t, member("eve"), `talk:rsvp:${id}:going`);
    await settle(t);
    expect(outbox.of("edit").at(-1)!.text).toContain("Going 2/2 · Maybe 0 · Can't go 0 · Waitlist 2");
    await press(t, bob, `talk:rsvp:${id}:maybe`);
    await settle(t);
    expect(outbox.of("edit").at(-1)!.text).toContain("Going 2/2 · Maybe 1 · Can't go 0 · Waitlist 1");
    expect(outbox.of("dm")).toEqual([expect.objectContaining({ to: "discord:g1:dee", text: expect.stringContaining("moved from the waitlist to Going") })]);
    const info = await t.engine.command(command({ name: "talk", subcommand: "info", by: ada, options: { id } }));
    expect(plainText(info.text)).toContain("Going: @cy, @dee");
    expect(plainText(info.text)).toContain("Waitlist: @eve");
  });

  it("GIVEN the default offsets THEN the 24 h and 15 min reminders, starting-now and the DM to who asked fire at the right instants, once", async () => {
    await start();
    const id = await scheduleTalk(t, { title: "Timing", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 45 }); // 17:00Z
    await press(t, bob, `talk:rsvp:${id}:going`);
    expect((await press(t, bob, `talk:remind:${id}`)).text).toContain("direct message");
    await press(t, cy, `talk:rsvp:${id}:going`);
    await settle(t);
    const before = outbox.sent.length;
    t.clock.set("2026-12-02T16:59:59Z");
    await settle(t);
    expect(outbox.sent.length).toBe(before);
    t.clock.set("2026-12-02T17:00:00Z");
    await settle(t);
    await settle(t);
    const reminders = outbox.sent.slice(before);
    expect(reminders.map((r) => [r.op, r.to])).toEqual([["post", "700"], ["dm", "discord:g1:bob"]]);
    expect(reminders[0]!.text).toContain("Reminder: Timing");
    t.clock.set("2026-12-03T16:45:00Z");
    await settle(t);
    t.clock.set("2026-12-03T17:00:00Z");
    await settle(t);
    const later = outbox.sent.slice(before + 2).map((r) => [r.op, r.text.split(":")[0]]);
    expect(later).toEqual([["post", "⏰ Reminder"], ["dm", "⏰ Reminder"], ["post", "▶️ Starting now"]]);
    const rows = await t.db.kysely.selectFrom("talk_reminders").select(["reminder", "outcome"]).orderBy("decided_at").execute();
    expect(rows.map((r) => [r.reminder.split("@")[0], r.outcome])).toEqual([["1440m", "sent"], ["15m", "sent"], ["start", "sent"]]);
  });

  it("GIVEN downtime past the start THEN the stale reminders are skipped and nothing is said twice", async () => {
    await start();
    await scheduleTalk(t, { title: "Missed", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 60 });
    await settle(t);
    const before = outbox.sent.length;
    t.clock.set("2026-12-03T17:10:00Z"); // back up ten minutes into the talk
    await settle(t);
    const said = outbox.sent.slice(before);
    expect(said.map((s) => s.text.split(":")[0])).toEqual(["▶️ Starting now"]);
    const rows = await t.db.kysely.selectFrom("talk_reminders").select(["reminder", "outcome"]).orderBy("reminder").execute();
    expect(rows.map((r) => [r.reminder.split("@")[0], r.outcome])).toEqual([["1440m", "skipped"], ["15m", "skipped"], ["start", "sent"]]);
  });

  it("GIVEN a cancelled talk THEN no reminder fires, the announcement says cancelled and Going members get a DM", async () => {
    await start();
    const id = await scheduleTalk(t, { title: "Doomed", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 45 });
    await press(t, bob, `talk:rsvp:${id}:going`);
    const refused = await t.engine.command(command({ name: "talk", subcommand: "cancel", by: cy, options: { id } }));
    expect(refused.text).toContain("Only organizers or the talk's speaker");
    const ok = await t.engine.command(command({ name: "talk", subcommand: "cancel", by: ada, options: { id } }));
    expect(ok.text).toContain("Cancelled");
    await settle(t);
    expect(outbox.of("edit").at(-1)).toMatchObject({ buttons: [] });
    expect(outbox.of("edit").at(-1)!.text).toContain("Cancelled");
    expect(outbox.of("dm").map((d) => [d.to, d.text.includes("was cancelled")])).toEqual([["discord:g1:bob", true]]);
    const before = outbox.sent.length;
    for (const at of ["2026-12-02T17:00:00Z", "2026-12-03T16:45:00Z", "2026-12-03T17:00:00Z", "2026-12-03T18:00:00Z"]) {
      t.clock.set(at);
      await settle(t);
    }
    expect(outbox.sent.length).toBe(before);
    expect(await t.db.kysely.selectFrom("ledger").selectAll().execute()).toEqual([]);
  });

  it("GIVEN a check-in code THEN the attendee earns once, outside the daily cap, and the speaker earns at the end", async () => {
    await start();
    await configure(t, { "points.dailyCap": "0" });
    const id = await scheduleTalk(t, { title: "Points", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 45 });
    const talk = await t.db.kysely.selectFrom("talks").select("checkin_code").where("id", "=", id).executeTakeFirstOrThrow();
    const early = await t.engine.command(command({ name: "talk", subcommand: "checkin", by: bob, options: { code: talk.checkin_code } }));
    expect(early.text).toContain("opens when it starts");
    t.clock.set("2026-12-03T17:05:00Z");
    await settle(t);
    expect(outbox.of("post").at(-1)!.text).toContain(`/talk checkin ${talk.checkin_code}`);
    const first = await t.engine.command(command({ name: "talk", subcommand: "checkin", by: bob, options: { code: talk.checkin_code.toLowerCase() } }));
    expect(first.text).toContain("+10 points");
    const again = await t.engine.command(command({ name: "talk", subcommand: "checkin", by: bob, options: { code: talk.checkin_code } }));
    expect(again.text).toContain("already counted");
    expect((await t.engine.command(command({ name: "talk", subcommand: "checkin", by: bob, options: { code: "NOPE42" } }))).text).toContain("isn't a check-in code");
    t.clock.set("2026-12-03T17:45:00Z");
    await settle(t);
    await settle(t);
    const ledger = await t.db.kysely.selectFrom("ledger").select(["key", "member_id", "amount", "reason"]).orderBy("key").execute();
    expect(ledger).toEqual([
      { key: `talk:${id}:attendee:discord:g1:bob`, member_id: "discord:g1:bob", amount: 10, reason: "talk:attendee" },
      { key: `talk:${id}:speaker:discord:g1:ada`, member_id: "discord:g1:ada", amount: 50, reason: "talk:speaker" },
    ]);
    const late = await t.engine.command(command({ name: "talk", subcommand: "checkin", by: cy, options: { code: talk.checkin_code } }));
    expect(late.text).toContain("has ended");
    const attendance = await t.engine.command(command({ name: "talk", subcommand: "attendance", by: member("root", { isPlatformAdmin: true }), options: { id } }));
    expect(plainText(attendance.text)).toContain("@bob (check-in");
  });

  it("GIVEN voice joins and leaves in the talk's channel THEN ten minutes during the talk count once; a repeated join changes nothing", async () => {
    await start();
    const id = await scheduleTalk(t, { title: "Voice", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 60, where: { id: "discord:g1:800" } });
    const voice = (by: ReturnType<typeof member>, kind: "voice.joined" | "voice.left", at: string) =>
      t.engine.ingest({ kind, key: `discord:voice:${by.userId}:${kind}:${at}`, at: new Date(at), place: { platform: "discord", workspaceId: "g1", channelId: "800" }, actor: by });
    t.clock.set("2026-12-03T16:55:00Z");
    await voice(bob, "voice.joined", "2026-12-03T16:55:00Z");
    await voice(bob, "voice.joined", "2026-12-03T16:56:00Z"); // repeated: still the first session
    await voice(bob, "voice.left", "2026-12-03T17:04:00Z"); // 4 minutes of the talk
    await voice(cy, "voice.joined", "2026-12-03T17:10:00Z");
    await voice(cy, "voice.left", "2026-12-03T17:15:00Z"); // 5 minutes
    await voice(bob, "voice.joined", "2026-12-03T17:20:00Z");
    t.clock.set("2026-12-03T17:27:00Z");
    await voice(bob, "voice.left", "2026-12-03T17:27:00Z"); // 4 + 7 = 11 minutes
    await voice(dee, "voice.joined", "2026-12-03T17:30:00Z"); // stays to the end
    t.clock.set("2026-12-03T18:00:00Z");
    await settle(t);
    const ledger = await t.db.kysely.selectFrom("ledger").select(["member_id", "amount"]).orderBy("member_id").execute();
    expect(ledger).toEqual([
      { member_id: "discord:g1:ada", amount: 50 },
      { member_id: "discord:g1:bob", amount: 10 },
      { member_id: "discord:g1:dee", amount: 10 },
    ]);
    await voice(dee, "voice.left", "2026-12-03T18:05:00Z");
    expect(await t.db.kysely.selectFrom("ledger").select("key").execute()).toHaveLength(3);
    const via = await t.db.kysely.selectFrom("talk_attendance").select(["member_id", "via"]).orderBy("member_id").execute();
    expect(via).toEqual([{ member_id: "discord:g1:bob", via: "voice" }, { member_id: "discord:g1:dee", via: "voice" }]);
    expect(id).toBeTruthy();
  });

  it("GIVEN a voice leave missed while the bot was away THEN the reconnect snapshot closes it without credit, and opens who is there now", async () => {
    await start();
    await scheduleTalk(t, { title: "Snapshot", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 60, where: { id: "discord:g1:800" } });
    const voicePlace = { platform: "discord" as const, workspaceId: "g1", channelId: "800" };
    // Bob joined on Monday; his leave was never seen (the bot was down).
    t.clock.set("2026-11-30T10:00:00Z");
    await t.engine.ingest({ kind: "voice.joined", key: "discord:voice:bob:monday", at: t.clock.now(), place: voicePlace, actor: bob });
    // The bot reconnects during the talk: only Cy is in the channel.
    t.clock.set("2026-12-03T17:05:00Z");
    expect(await t.engine.services.talks.voiceSnapshot({ platform: "discord", workspaceId: "g1" }, [{ channelId: "800", actor: cy }])).toEqual({ opened: 1, closed: 1 });
    expect(await t.engine.services.talks.voiceSnapshot({ platform: "discord", workspaceId: "g1" }, [{ channelId: "800", actor: cy }])).toEqual({ opened: 0, closed: 0 });
    t.clock.set("2026-12-03T18:00:00Z");
    await settle(t);
    const ledger = await t.db.kysely.selectFrom("ledger").select(["member_id", "reason"]).orderBy("member_id").execute();
    expect(ledger).toEqual([
      { member_id: "discord:g1:ada", reason: "talk:speaker" },
      { member_id: "discord:g1:cy", reason: "talk:attendee" },
    ]);
  });

  it("GIVEN a weekly series crossing DST WHEN the series is moved to 19:00 THEN every later occurrence is at 19:00 local; cancelling 'series' from the second leaves the first", async () => {
    await start("2026-03-10T12:00:00Z");
    const root = member("root", { isPlatformAdmin: true });
    await scheduleTalk(t, { title: "Weekly", speaker: ref("ada"), start: "2026-03-19 18:00", duration: 30, repeat: "weekly", occurrences: 3 });
    const rows = () => t.db.kysely.selectFrom("talks").select(["id", "starts_at", "status", "title"]).orderBy("starts_at").execute();
    const [first, second] = await rows();
    const moved = await t.engine.command(command({ name: "talk", subcommand: "edit", by: root, options: { id: second!.id, start: "2026-03-26 19:00", title: "Weekly (later)", scope: "series" } }));
    expect(moved.text).toContain("Updated 2 talks");
    expect((await rows()).map((r) => [r.starts_at, r.title])).toEqual([
      ["2026-03-19T17:00:00.000Z", "Weekly"],
      ["2026-03-26T18:00:00.000Z", "Weekly (later)"],
      ["2026-04-02T17:00:00.000Z", "Weekly (later)"], // 19:00 CEST
    ]);
    const cancelled = await t.engine.command(command({ name: "talk", subcommand: "cancel", by: root, options: { id: second!.id, scope: "series" } }));
    expect(cancelled.text).toContain("2 talks of the series");
    expect((await rows()).map((r) => r.status)).toEqual(["scheduled", "cancelled", "cancelled"]);
    const pending = await t.db.kysely.selectFrom("job_timers").select("key").where("state", "=", "pending").execute();
    expect(pending.every((p) => p.key.startsWith(`talk:${first!.id}:`))).toBe(true);
  });
});
