/**
 * The bot token never reaches a log line, at any level, on the paths that log the most: connecting, events,
 * interactions, a Discord error, a resume and stopping. The logger here does NOT scrub secrets (the app's does),
 * so this proves the adapter itself never hands the token to a logger.
 */
import { afterEach, expect, it } from "vitest";
import { commands } from "../../../commands/index.js";
import { startDiscord } from "../../../src/adapters/discord/index.js";
import { FakeDiscord, opt } from "../../fakes/discord/fake-discord.js";
import { testEngine } from "../../helpers/engine.js";
import { ALICE, BOB, capturingLog, GENERAL, GUILD, type Harness, REWARD_ROLE, startHarness, withPoints, WORLD } from "./harness.js";

const CANARY = "MTMwMDAwMDAwMDAwMDAwOTk5OQ.canary.c4n4ry-t0k3n-d0-n0t-l0g";

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

it("GIVEN a canary token WHEN the adapter connects, handles events and errors, resumes and stops THEN no log line at any level contains it", async () => {
  const { log, lines } = capturingLog();
  h = await startHarness({ log, token: CANARY, fake: { token: CANARY }, defaults: withPoints({ post: 50 }) });
  await h.updateSettings((s) => {
    s.levels.roleRewards = [{ level: 1, role: `discord:${GUILD}:&${REWARD_ROLE}` }];
  });
  h.fake.setRoleGrantPolicy("refuse");

  const id = await h.say(ALICE, "hello");
  h.fake.dispatch("MESSAGE_CREATE", h.fake.build.messageCreate({ channelId: GENERAL, authorId: ALICE, content: "hello", id }));
  const command = h.fake.build.chatInputInteraction({ name: "thanks", userId: BOB, channelId: GENERAL, options: [opt.user("member", ALICE)] });
  h.fake.dispatch("INTERACTION_CREATE", command);
  await h.callback(command);
  await h.fake.waitForRequest((r) => r.method === "PUT" && r.status === 403, 3_000);
  // An interaction Discord no longer knows: the error's URL holds the interaction token.
  const expired = h.fake.build.chatInputInteraction({ name: "points", userId: BOB, channelId: GENERAL });
  h.fake.scriptResponse({ method: "POST", path: `/interactions/${expired.id}/${expired.token}/callback` }, { status: 404, body: { code: 10062, message: "Unknown interaction" } });
  h.fake.dispatch("INTERACTION_CREATE", expired);
  await h.callback(expired);
  await h.fake.dropConnection({ redeliver: 1 });
  await h.fake.waitForResume();
  await h.say(BOB, "after resume");
  await h.stopAdapter();

  expect(lines.length).toBeGreaterThan(5);
  expect(lines.some((l) => l.includes("level reward role not granted"))).toBe(true);
  expect(lines.some((l) => l.includes("Unknown interaction"))).toBe(true);
  expect(lines.filter((l) => l.includes(CANARY) || l.includes(CANARY.split(".")[2]!))).toEqual([]);
  expect(lines.filter((l) => l.includes(expired.token) || l.includes(command.token))).toEqual([]);
});

it("GIVEN a token Discord refuses WHEN the adapter starts THEN start fails, the client is stopped, and the token is not in the error or the logs", async () => {
  const { log, lines } = capturingLog();
  const fake = await FakeDiscord.start({ ...WORLD, token: "the-only-token-the-fake-accepts" });
  const te = await testEngine();
  try {
    const failure = await startDiscord({ engine: te.engine, commands, log, token: CANARY, apiUrl: fake.restUrl }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).not.toContain(CANARY);
    expect(lines.filter((l) => l.includes(CANARY))).toEqual([]);
    expect(fake.gatewayConnections).toHaveLength(0);
  } finally {
    await fake.close();
    await te.close();
  }
});
