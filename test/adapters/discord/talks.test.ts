/**
 * Talks end to end on Discord: the real discord.js client and adapter against the fake Discord.
 * A member proposes (the card reaches the mod queue with Schedule / Decline), an organizer
 * schedules through the card's dialog, the announcement is posted in the talks channel, an RSVP
 * button edits its counts in place, the 15-minute reminder is posted, a member checks in with the
 * code from "starting now", and another attends by sitting in the stage channel (VOICE_STATE_UPDATE).
 */
import type { APIEmbed } from "discord.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { opt } from "../../fakes/discord/fake-discord.js";
import { PermissionFlagsBits } from "discord.js";
import { DEFAULT_BOT_PERMISSIONS } from "../../fakes/discord/world.js";
import { refuseScheduledEvents, scheduledEventsOf } from "../../fakes/discord/rest/routes-scheduled-events.js";
import { apiError } from "../../fakes/discord/rest/router.js";
import { ALICE, BOB, CAROL, GUILD, type Harness, MOD_QUEUE, OWNER, startHarness, WORLD } from "./harness.js";

const TALKS = "1300000000000000020";
const STAGE = "1300000000000000021";

interface Body {
  type?: number;
  content?: string;
  embeds?: APIEmbed[];
  components?: { components: { custom_id: string }[] }[];
  data?: { content?: string; embeds?: APIEmbed[]; flags?: number; custom_id?: string; components?: { components: { custom_id: string }[] }[] };
}

const text = (b: Body | undefined) => [b?.content, b?.data?.content, ...(b?.embeds ?? b?.data?.embeds ?? []).map((e) => `${e.title ?? ""}\n${e.description ?? ""}`)].filter(Boolean).join("\n");
const buttonIds = (b: Body | undefined) => (b?.components ?? b?.data?.components ?? []).flatMap((row) => row.components.map((c) => c.custom_id));

let h: Harness;

async function start(botPermissions: bigint = DEFAULT_BOT_PERMISSIONS): Promise<void> {
  const guild = WORLD.guilds![0]!;
  h = await startHarness({
    fake: { botPermissions, guilds: [{ ...guild, channels: [...guild.channels!, { id: TALKS, name: "talks" }, { id: STAGE, name: "stage", kind: "voice" }] }] },
  });
  await h.updateSettings((s) => {
    s.timezone = "Europe/Berlin";
    s.channels.talks = `discord:${GUILD}:${TALKS}`;
    s.channels.modQueue = `discord:${GUILD}:${MOD_QUEUE}`;
  });
}

afterEach(async () => {
  await h.close();
});

async function run(name: string, userId: string, options: Parameters<typeof opt.subcommand>[1]): Promise<Body> {
  const payload = h.fake.build.chatInputInteraction({ name, userId, channelId: TALKS, options });
  h.fake.dispatch("INTERACTION_CREATE", payload);
  return (await h.callback(payload)).body as Body;
}

async function pressButton(customId: string, userId: string, messageId: string): Promise<Body> {
  const payload = h.fake.build.buttonInteraction({ customId, userId, channelId: TALKS, messageId });
  h.fake.dispatch("INTERACTION_CREATE", payload);
  return (await h.callback(payload)).body as Body;
}

async function delivered(): Promise<void> {
  await h.te.engine.drain();
  await h.deliver();
  await h.deliver();
}

/** The id of the bot's newest message in a channel, as the fake stored it. */
const lastMessageIn = (channelId: string) => [...h.fake.world.messages.values()].filter((m) => m.channel_id === channelId).at(-1)!.id;

const posts = (channelId: string) => h.fake.requestsTo("POST", `/channels/${channelId}/messages`);

describe("talks on Discord", () => {
  beforeEach(() => start());
  it("GIVEN a proposal THEN organizers get a card, schedule it through its dialog, members RSVP, are reminded, check in and attend by voice", async () => {
    // Propose: the card goes to the mod queue with Schedule / Decline.
    const proposed = await run("talk", ALICE, [opt.subcommand("propose", [opt.string("title", "Rust in *prod*"), opt.string("description", "Lessons learned")])]);
    expect(proposed.data?.flags).toBe(64);
    expect(text(proposed)).toContain("went to the organizers");
    await delivered();
    const [card] = posts(MOD_QUEUE);
    expect(text(card!.body as Body)).toContain("Rust in \\*prod\\*");
    const [scheduleId, declineId] = buttonIds(card!.body as Body);
    expect(scheduleId).toMatch(/^talk:proposal-schedule:P/);
    expect(declineId).toMatch(/^talk:proposal-decline:P/);

    // Schedule: the button opens a dialog pre-filled from the proposal; submitting it schedules.
    const dialog = await pressButton(scheduleId!, OWNER, lastMessageIn(MOD_QUEUE));
    expect(dialog.type).toBe(9);
    const startAt = new Date(h.te.clock.now().getTime() + 2 * 3_600_000);
    const modal = h.fake.build.modalSubmitInteraction({ customId: dialog.data!.custom_id!, userId: OWNER, channelId: MOD_QUEUE, fields: { title: "Rust in *prod*", start: "in 2 hours", duration: "60", link: "", description: "Lessons learned" } });
    h.fake.dispatch("INTERACTION_CREATE", modal);
    const scheduled = (await h.callback(modal)).body as Body;
    expect(text(scheduled)).toContain("Scheduled");
    await delivered();
    const [announcement] = posts(TALKS);
    expect(text(announcement!.body as Body)).toContain("Going 0 · Maybe 0 · Can't go 0");
    const [going] = buttonIds(announcement!.body as Body);
    expect(going).toMatch(/^talk:rsvp:[A-Z0-9]+:going$/);
    // The proposer is told by DM, and the card no longer offers its buttons.
    expect(h.fake.requestsTo("POST", "/users/@me/channels").map((r) => (r.body as { recipient_id: string }).recipient_id)).toContain(ALICE);
    const cardEdit = h.fake.requestsTo("PATCH", new RegExp(`^/channels/${MOD_QUEUE}/messages/`));
    expect(text(cardEdit.at(-1)!.body as Body)).toContain("Scheduled");

    // The organizer puts it in the stage channel: the announcement is edited to say where.
    const talkId = /\(talk ([A-Z0-9]+)\)/.exec(text(scheduled))![1]!;
    const edited = await run("talk", OWNER, [opt.subcommand("edit", [opt.string("id", talkId), opt.channel("where", STAGE)])]);
    expect(text(edited)).toContain("Updated 1 talk");
    await delivered();
    expect(text(h.fake.requestsTo("PATCH", new RegExp(`^/channels/${TALKS}/messages/`)).at(-1)!.body as Body)).toContain(`<#${STAGE}>`);

    // RSVP: Bob presses Going; the answer is private, the announcement is edited in place.
    const announcementId = lastMessageIn(TALKS);
    const rsvp = await pressButton(going!, BOB, announcementId);
    expect(rsvp.data?.flags).toBe(64);
    expect(text(rsvp)).toContain("You're going");
    await delivered();
    const edits = h.fake.requestsTo("PATCH", new RegExp(`^/channels/${TALKS}/messages/`));
    expect(edits).toHaveLength(2);
    expect(text(edits[1]!.body as Body)).toContain("Going 1 · Maybe 0 · Can't go 0");

    // The 15-minute reminder.
    h.te.clock.set(new Date(startAt.getTime() - 15 * 60_000));
    await h.te.engine.scheduler.tick();
    await delivered();
    expect(text(posts(TALKS).at(-1)!.body as Body)).toContain("Reminder: Rust in \\*prod\\*");

    // Starting now, with the check-in code; Carol joins the stage channel.
    h.te.clock.set(startAt);
    await h.te.engine.scheduler.tick();
    await delivered();
    const starting = text(posts(TALKS).at(-1)!.body as Body);
    const code = /\/talk checkin ([A-Z0-9]+)/.exec(starting)?.[1];
    expect(code).toBeTruthy();
    h.fake.dispatch("VOICE_STATE_UPDATE", h.fake.build.voiceStateUpdate({ guildId: GUILD, userId: CAROL, channelId: STAGE }));
    await vi.waitFor(async () => expect(await h.te.db.kysely.selectFrom("voice_sessions").select("key").execute()).toHaveLength(1), { timeout: 3000, interval: 10 });

    const checkin = await run("talk", BOB, [opt.subcommand("checkin", [opt.string("code", code!)])]);
    expect(text(checkin)).toContain("Checked in");
    expect(await h.points(BOB)).toBe(10);

    h.te.clock.set(new Date(startAt.getTime() + 12 * 60_000));
    h.fake.dispatch("VOICE_STATE_UPDATE", h.fake.build.voiceStateUpdate({ guildId: GUILD, userId: CAROL, channelId: null }));
    await vi.waitFor(async () => expect(await h.points(CAROL)).toBe(10), { timeout: 3000, interval: 10 });

    // The end: the speaker (the proposer) earns.
    h.te.clock.set(new Date(startAt.getTime() + 60 * 60_000));
    await h.te.engine.scheduler.tick();
    expect(await h.points(ALICE)).toBe(50);
    const attendance = await h.te.db.kysely.selectFrom("talk_attendance").select(["member_id", "via"]).orderBy("member_id").execute();
    expect(attendance).toEqual([
      { member_id: `discord:${GUILD}:${BOB}`, via: "checkin" },
      { member_id: `discord:${GUILD}:${CAROL}`, via: "voice" },
    ]);
  });
});

describe("talks' voice attendance across reconnects on Discord", () => {
  beforeEach(() => start());
  it("GIVEN a guild that comes back (as after a re-identify) THEN its GUILD_CREATE's voice states reconcile the sessions: a leave missed earns nothing, who is there now gets a session", async () => {
    await run("talk", OWNER, [opt.subcommand("schedule", [opt.string("title", "Voice"), opt.user("speaker", ALICE), opt.string("start", "in 1 hour"), opt.integer("duration", 60), opt.channel("where", STAGE)])]);
    const sessions = () => h.te.db.kysely.selectFrom("voice_sessions").select(["member_id", "joined_at", "left_at"]).orderBy("member_id").execute();
    h.fake.dispatch("VOICE_STATE_UPDATE", h.fake.build.voiceStateUpdate({ guildId: GUILD, userId: CAROL, channelId: STAGE }));
    await vi.waitFor(async () => expect(await sessions()).toHaveLength(1), { timeout: 3000, interval: 10 });
    // The guild goes away and comes back (READY after a re-identify marks every guild unavailable
    // the same way): Carol left meanwhile, unseen; Bob is in the stage channel now.
    h.te.clock.set(new Date(h.te.clock.now().getTime() + 30 * 60_000));
    h.fake.dispatch("GUILD_DELETE", { id: GUILD, unavailable: true });
    const back = h.fake.world.guildCreatePayload(GUILD);
    const state = { guild_id: GUILD, channel_id: STAGE, user_id: BOB, session_id: "s-bob", deaf: false, mute: false, self_deaf: false, self_mute: false, self_video: false, suppress: false, request_to_speak_timestamp: null };
    h.fake.dispatch("GUILD_CREATE", { ...back, voice_states: [state] });
    await vi.waitFor(async () => expect((await sessions()).map((r) => r.member_id)).toEqual([`discord:${GUILD}:${BOB}`, `discord:${GUILD}:${CAROL}`]), { timeout: 3000, interval: 10 });
    const [bob, carol] = await sessions();
    expect(bob!.left_at).toBeNull();
    expect(bob!.joined_at).toBe(h.te.clock.now().toISOString());
    // Carol's session is closed at its own start: the time nobody saw earns nothing.
    expect(carol!.left_at).toBe(carol!.joined_at);
  });
});

describe("talks as Discord Guild Scheduled Events", () => {
  const events = () => [...scheduledEventsOf(h.fake.world).values()];

  it("GIVEN the bot may manage events THEN a talk becomes a scheduled event in its voice channel, kept in step on edit and cancel", async () => {
    await start(DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageEvents);
    const scheduled = await run("talk", OWNER, [opt.subcommand("schedule", [opt.string("title", "Stage talk"), opt.user("speaker", ALICE), opt.string("start", "in 3 hours"), opt.integer("duration", 45), opt.channel("where", STAGE)])]);
    const id = /\(talk ([A-Z0-9]+)\)/.exec(text(scheduled))![1]!;
    await vi.waitFor(() => expect(events()).toHaveLength(1), { timeout: 3000, interval: 10 });
    expect(events()[0]).toMatchObject({ name: "Stage talk", channel_id: STAGE, entity_type: 2, privacy_level: 2, status: 1 });
    expect(Date.parse(events()[0]!.scheduled_end_time!) - Date.parse(events()[0]!.scheduled_start_time)).toBe(45 * 60_000);

    await run("talk", OWNER, [opt.subcommand("edit", [opt.string("id", id), opt.string("title", "Stage talk, revised")])]);
    await vi.waitFor(() => expect(events()[0]!.name).toBe("Stage talk, revised"), { timeout: 3000, interval: 10 });
    await run("talk", OWNER, [opt.subcommand("cancel", [opt.string("id", id)])]);
    await vi.waitFor(() => expect(events()[0]!.status).toBe(4), { timeout: 3000, interval: 10 });
    expect(events()).toHaveLength(1);
    expect(h.fake.requestsTo("POST", `/guilds/${GUILD}/scheduled-events`)).toHaveLength(1);
  });

  it("GIVEN a title and description with markup and mentions THEN the event shows them as typed, escaped", async () => {
    await start(DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageEvents);
    const title = "Rust in *prod* @everyone";
    const description = `**Lessons** <@${BOB}> [click](https://evil.example) ${"x".repeat(920)}`;
    await run("talk", OWNER, [opt.subcommand("schedule", [opt.string("title", title), opt.user("speaker", ALICE), opt.string("start", "in 3 hours"), opt.integer("duration", 45), opt.string("description", description)])]);
    await vi.waitFor(() => expect(events()).toHaveLength(1), { timeout: 3000, interval: 10 });
    const [event] = events();
    expect(event!.name).toBe("Rust in \\*prod\\* @\u200beveryone");
    expect(event!.description!.startsWith(`\\*\\*Lessons\\*\\* <\u200b@${BOB}> \\[click](https://evil.example)`)).toBe(true);
    expect(event!.description!.length).toBeLessThanOrEqual(1000);
  });

  it("GIVEN a talk's event WHEN members press RSVP buttons THEN the event is not edited", async () => {
    await start(DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageEvents);
    await run("talk", OWNER, [opt.subcommand("schedule", [opt.string("title", "Quiet event"), opt.user("speaker", ALICE), opt.string("start", "in 3 hours"), opt.integer("duration", 45), opt.channel("where", STAGE)])]);
    await vi.waitFor(() => expect(events()).toHaveLength(1), { timeout: 3000, interval: 10 });
    await delivered();
    const [going, maybe] = buttonIds(posts(TALKS)[0]!.body as Body);
    await pressButton(going!, BOB, lastMessageIn(TALKS));
    await pressButton(maybe!, CAROL, lastMessageIn(TALKS));
    await vi.waitFor(async () => expect((await h.te.engine.services.talkCalendar.due({ platform: "discord", workspaceId: GUILD })).items).toEqual([]), { timeout: 3000, interval: 10 });
    await run("talk", BOB, [opt.subcommand("list", [])]);
    expect(h.fake.requestsTo("PATCH", new RegExp(`^/guilds/${GUILD}/scheduled-events/`))).toEqual([]);
  });

  it("GIVEN a talk that has begun WHEN its title is edited THEN its event is renamed without sending its (past) start again", async () => {
    await start(DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageEvents);
    const scheduled = await run("talk", OWNER, [opt.subcommand("schedule", [opt.string("title", "Live"), opt.user("speaker", ALICE), opt.string("start", "in 1 hour"), opt.integer("duration", 60), opt.channel("where", STAGE)])]);
    const id = /\(talk ([A-Z0-9]+)\)/.exec(text(scheduled))![1]!;
    await vi.waitFor(() => expect(events()).toHaveLength(1), { timeout: 3000, interval: 10 });
    h.te.clock.set(new Date(h.te.clock.now().getTime() + 70 * 60_000));
    const edited = await run("talk", OWNER, [opt.subcommand("edit", [opt.string("id", id), opt.string("title", "Live, renamed")])]);
    expect(text(edited)).toContain("Updated 1 talk");
    await vi.waitFor(() => expect(events()[0]!.name).toBe("Live, renamed"), { timeout: 3000, interval: 10 });
    const patch = h.fake.requestsTo("PATCH", new RegExp(`^/guilds/${GUILD}/scheduled-events/`)).at(-1)!.body as Record<string, unknown>;
    expect(patch).not.toHaveProperty("scheduled_start_time");
    expect(patch).toHaveProperty("scheduled_end_time");
  });

  it("GIVEN Discord refuses one talk's event with a 400 THEN the other talks get theirs and the refused one is not asked about again", async () => {
    await start(DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageEvents);
    refuseScheduledEvents(h.fake.world, (body) => (body.name === "Refused" ? apiError(400, 50035, "Invalid Form Body") : undefined));
    const creates = () => h.fake.requestsTo("POST", `/guilds/${GUILD}/scheduled-events`).map((r) => (r.body as { name: string }).name);
    await run("talk", OWNER, [opt.subcommand("schedule", [opt.string("title", "Refused"), opt.user("speaker", ALICE), opt.string("start", "in 2 hours"), opt.integer("duration", 30)])]);
    await run("talk", OWNER, [opt.subcommand("schedule", [opt.string("title", "Accepted"), opt.user("speaker", ALICE), opt.string("start", "in 3 hours"), opt.integer("duration", 30)])]);
    await vi.waitFor(() => expect(events().map((e) => e.name)).toEqual(["Accepted"]), { timeout: 3000, interval: 10 });
    // More passes (each /talk interaction makes one): the refused talk is not tried again.
    await run("talk", BOB, [opt.subcommand("list", [])]);
    await run("talk", BOB, [opt.subcommand("list", [])]);
    await vi.waitFor(async () => expect((await h.te.engine.services.talkCalendar.due({ platform: "discord", workspaceId: GUILD })).items).toEqual([]), { timeout: 3000, interval: 10 });
    expect(creates().filter((n) => n === "Refused")).toHaveLength(1);
  });

  it("GIVEN the bot may not manage events THEN talks still work and the organizers are told once", async () => {
    await start();
    for (const title of ["First", "Second"]) {
      const reply = await run("talk", OWNER, [opt.subcommand("schedule", [opt.string("title", title), opt.user("speaker", ALICE), opt.string("start", "in 3 hours"), opt.integer("duration", 30)])]);
      expect(text(reply)).toContain("Scheduled");
    }
    await vi.waitFor(async () => {
      await delivered();
      expect(posts(MOD_QUEUE).filter((p) => text(p.body as Body).includes("Manage Events"))).toHaveLength(1);
    }, { timeout: 3000, interval: 20 });
    expect(events()).toEqual([]);
    expect(posts(TALKS)).toHaveLength(2);
  });
});
