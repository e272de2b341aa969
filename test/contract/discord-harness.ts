/**
 * The Discord side of the outbox contract: the real @discordjs/rest (built by `outboxRest`, so it
 * rejects on 429) against the fake Discord. No gateway client is needed: the outbox only speaks REST.
 *
 * @discordjs/rest keeps its own rate-limit buckets on `Date.now()`. The suite's clock is a
 * ManualClock, so this harness fakes `Date` (nothing else: sockets and timers stay real) and moves
 * it with the suite's clock: a retry the loop makes "3 s later" is 3 s later for REST too.
 */
import { PermissionFlagsBits } from "discord.js";
import { vi } from "vitest";
import { DiscordOutbox, outboxRest } from "../../src/adapters/discord/outbox.js";
import { channelOfPlace } from "../../src/adapters/discord/identity.js";
import type { Place } from "../../src/core/identity.js";
import { FakeDiscord } from "../fakes/discord/fake-discord.js";
import { silentLog } from "../helpers/engine.js";
import type { OutboxHarness } from "./outbox-contract.js";

export const GUILD = "1400000000000000001";
export const GENERAL = "1400000000000000010";
export const THREAD = "1400000000000000011";
export const ALICE = "1400000000000001001";
export const BOB = "1400000000000001002";
export const APP = "1400000000000009999";

const MESSAGE_ROUTE = /^\/channels\/\d+\/messages(\/\d+)?$/;

export async function startDiscordHarness(start: Date): Promise<OutboxHarness & { fake: FakeDiscord }> {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(start);
  const fake = await FakeDiscord.start({
    botUserId: APP,
    applicationId: APP,
    guilds: [
      {
        id: GUILD,
        channels: [
          { id: GENERAL, name: "general" },
          { id: THREAD, name: "help", kind: "public_thread", parentId: GENERAL },
        ],
        members: [
          { userId: ALICE, username: "alice" },
          { userId: BOB, username: "bob" },
        ],
      },
    ],
  });
  fake.closeDirectMessages(BOB);
  const rest = outboxRest({ token: FakeDiscord.TOKEN, apiUrl: fake.restUrl, retries: 0 });
  const place = (channelId: string, threadId?: string): Place => ({ platform: "discord", workspaceId: GUILD, channelId, ...(threadId ? { threadId } : {}) });
  return {
    fake,
    outbox: new DiscordOutbox(rest, silentLog),
    channel: place(GENERAL),
    thread: place(GENERAL, THREAD),
    member: `discord:${GUILD}:${ALICE}`,
    memberWithClosedDms: `discord:${GUILD}:${BOB}`,
    deletesMemberMessages: true,
    async memberMessage() {
      const message = fake.build.messageCreate({ channelId: GENERAL, authorId: ALICE, content: "buy cheap followers" });
      fake.world.observeDispatch("MESSAGE_CREATE", message);
      return message.id;
    },
    refuseDeletes() {
      // A server admin took Manage Messages from the bot's role.
      const guild = fake.world.guild(GUILD);
      const role = guild.roles.find((r) => r.id === guild.botRoleId)!;
      role.permissions = (BigInt(role.permissions) & ~PermissionFlagsBits.ManageMessages).toString();
    },
    shown: (at) => fake.botMessagesIn(channelOfPlace(at)).map((m) => ({ messageId: m.id, text: m.content })),
    pictures: (at) =>
      fake.requests
        .filter((r) => r.method === "POST" && r.path === `/channels/${channelOfPlace(at)}/messages` && r.status < 300)
        .flatMap((r) => r.files.map((f) => f.data)),
    received: () =>
      fake.requests
        .filter((r) => MESSAGE_ROUTE.test(r.path))
        .map((r) => ({ op: r.method === "POST" ? ("post" as const) : r.method === "PATCH" ? ("edit" as const) : ("delete" as const), ok: r.status < 300 })),
    rateLimitNextPost: (seconds) => fake.rateLimitNext({ method: "POST", path: /^\/channels\/\d+\/messages$/ }, { retryAfterSeconds: seconds }),
    failNextPost: () => fake.scriptResponse({ method: "POST", path: /^\/channels\/\d+\/messages$/ }, { status: 502, body: { message: "502: Bad Gateway", code: 0 } }),
    timeMoved: (now) => vi.setSystemTime(now),
    async close() {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
      await fake.close();
      vi.useRealTimers();
    },
  };
}
