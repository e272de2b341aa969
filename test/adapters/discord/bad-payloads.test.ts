/**
 * A gateway payload that makes discord.js throw while handling it costs that event, not the
 * process: the failure is logged (event name only, never the payload) and the next ordinary message
 * is still counted. The first two are what Spacebar (an independent Discord server) sent.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALICE, APP, BOB, capturingLog, GENERAL, GUILD, type Harness, startHarness } from "./harness.js";

let h: Harness;
let lines: string[];

beforeEach(async () => {
  const captured = capturingLog();
  lines = captured.lines;
  h = await startHarness({ log: captured.log });
});

afterEach(async () => {
  await h.close();
});

describe("a gateway payload discord.js cannot handle", () => {
  it.each([
    [
      "a MESSAGE_UPDATE with components: null",
      "MESSAGE_UPDATE",
      () => ({ ...h.fake.build.messageUpdate({ id: "1300000000000050001", channelId: GENERAL, authorId: BOB, content: "edited" }), components: null }),
    ],
    [
      "the bot's own reply echoed with application.install_params: null",
      "MESSAGE_CREATE",
      () => ({
        ...h.fake.build.messageCreate({ channelId: GENERAL, authorId: APP, bot: true, content: "Thanks recorded" }),
        application: { id: APP, name: "guildkeeper", description: "", icon: null, bot_public: true, bot_require_code_grant: false, verify_key: "0", flags: 0, install_params: null },
      }),
    ],
  ])("GIVEN %s THEN the failure is logged and the next message is still counted", async (_, t, payload) => {
    const data = payload();
    h.fake.dispatch(t, data);

    await h.say(ALICE, "still here?");

    expect(await h.points(ALICE)).toBe(5);
    const failures = lines.filter((l) => l.includes("discord.js failed on a gateway event"));
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((l) => l.includes(`"event":"${t}"`))).toBe(true);
    // The payload itself is never logged.
    expect(failures.some((l) => l.includes(String(data.content)))).toBe(false);
  });

  it.each([
    ["a MESSAGE_CREATE whose author is null", "MESSAGE_CREATE", () => ({ ...h.fake.build.messageCreate({ channelId: GENERAL, authorId: BOB, content: "who?" }), author: null })],
    ["a MESSAGE_CREATE whose mentions are null", "MESSAGE_CREATE", () => ({ ...h.fake.build.messageCreate({ channelId: GENERAL, authorId: BOB, content: "hi" }), mentions: null })],
    ["a MESSAGE_REACTION_ADD whose emoji is null", "MESSAGE_REACTION_ADD", () => ({ ...h.fake.build.reactionAdd({ messageId: "1300000000000050002", channelId: GENERAL, userId: BOB, emoji: { name: "👍" }, messageAuthorId: ALICE }), emoji: null })],
    ["a MESSAGE_DELETE whose id is null", "MESSAGE_DELETE", () => ({ ...h.fake.build.messageDelete({ id: "1300000000000050003", channelId: GENERAL }), id: null })],
    ["a CHANNEL_UPDATE whose permission overwrites are null", "CHANNEL_UPDATE", () => ({ id: GENERAL, guild_id: GUILD, type: 0, name: "general", permission_overwrites: null })],
  ])("GIVEN %s THEN the next message is still counted", async (_, t, payload) => {
    h.fake.dispatch(t, payload());

    await h.say(ALICE, "still here?");

    expect(await h.points(ALICE)).toBe(5);
  });
});
