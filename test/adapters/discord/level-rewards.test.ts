/**
 * Level-ups on Discord. The announcement is the engine's: written to the outbox with the level-up
 * and delivered through the Discord outbox (a nonce Discord enforces, nobody pinged). The adapter
 * keeps what is Discord's own: reward roles granted after commit, and a refused grant that keeps
 * the points and tells moderators once. Everything is read off what the fake Discord received.
 *
 * The engine's delivery loop is not started here: each test delivers with `h.deliver()`, so what
 * was decided and what was sent can be told apart.
 */
import type { APIEmbed } from "discord.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { naturalKeys } from "../../../src/core/events.js";
import type { Place } from "../../../src/core/identity.js";
import { nonceFor } from "../../../src/adapters/discord/outbox.js";
import { placeDedupeKey } from "../../../src/engine/outbox/index.js";
import { findOutboxRow } from "../../../src/engine/outbox/outbox.repo.js";
import type { RecordedRequest } from "../../fakes/discord/fake-discord.js";
import { ALICE, ANNOUNCEMENTS, BOB, CAROL, discordId, GENERAL, GUILD, type Harness, MOD_QUEUE, REWARD_ROLE, startHarness, withPoints } from "./harness.js";

interface PostBody {
  embeds?: APIEmbed[];
  nonce?: string;
  enforce_nonce?: boolean;
  allowed_mentions?: { parse: string[] };
}

let h: Harness;

afterEach(async () => {
  await h.close();
});

const announcementsPlace: Place = { platform: "discord", workspaceId: GUILD, channelId: ANNOUNCEMENTS };

/** A post is worth a whole level (level 1 takes 50 points), announcements go to #announcements, level 1 grants a role. */
async function levelingCommunity(): Promise<void> {
  h = await startHarness({ defaults: withPoints({ post: 50, messageCooldownSeconds: 0 }) });
  await h.updateSettings((s) => {
    s.channels.announcements = `discord:${GUILD}:${ANNOUNCEMENTS}`;
    s.channels.modQueue = `discord:${GUILD}:${MOD_QUEUE}`;
    s.levels.roleRewards = [{ level: 1, role: `discord:${GUILD}:&${REWARD_ROLE}` }];
  });
}

const posts = (channelId: string): RecordedRequest[] => h.fake.requestsTo("POST", `/channels/${channelId}/messages`);
const mentioning = (requests: RecordedRequest[], userId: string) => requests.filter((r) => JSON.stringify(r.body).includes(`<@${userId}>`));
const grantPath = (userId: string) => `/guilds/${GUILD}/members/${userId}/roles/${REWARD_ROLE}`;

/** The outbox key of a member's level-up announcement in #announcements. */
async function announcementKey(userId: string, level: number): Promise<string> {
  const community = await h.community();
  return placeDedupeKey(`levelup:${community.id}:${discordId(userId)}:${level}`, announcementsPlace);
}

async function announcedAt(userId: string, level: number): Promise<string | null | undefined> {
  const community = await h.community();
  const row = await h.te.db.kysely
    .selectFrom("level_ups")
    .select("announced_at")
    .where("community_id", "=", community.id)
    .where("member_id", "=", discordId(userId))
    .where("level", "=", level)
    .executeTakeFirst();
  return row?.announced_at;
}

describe("level-ups on Discord", () => {
  it("GIVEN a post that reaches level 1 THEN the role is granted, the level-up is decided in the outbox, and one delivery posts it to #announcements with enforce_nonce, pinging nobody", async () => {
    await levelingCommunity();
    const community = await h.community();

    const first = await h.say(ALICE, "my first post");
    const grant = await h.fake.waitForRequest((r) => r.method === "PUT" && r.path === grantPath(ALICE), 3_000);
    expect(grant.auditLogReason).toBe("guildkeeper: reached level 1");
    expect(h.fake.world.member(GUILD, ALICE).roles).toContain(REWARD_ROLE);
    // Decided with the points (marked announced, the post in the outbox), not yet sent.
    expect(await announcedAt(ALICE, 1)).toBeTruthy();
    expect(await findOutboxRow(h.te.db.kysely, await announcementKey(ALICE, 1))).toMatchObject({ state: "pending", platform: "discord" });
    expect(posts(ANNOUNCEMENTS)).toHaveLength(0);

    expect(await h.deliver()).toMatchObject({ sent: 1, retrying: 0, failed: 0 });
    const [announcement, ...more] = posts(ANNOUNCEMENTS);
    expect(more).toHaveLength(0);
    const body = announcement!.body as PostBody;
    expect(body.embeds?.[0]).toMatchObject({ title: "Level up!", description: `🎉 <@${ALICE}> reached level 1!` });
    expect(body.enforce_nonce).toBe(true);
    expect(body.nonce).toBe(nonceFor(await announcementKey(ALICE, 1)));
    expect(body.nonce?.length).toBeLessThanOrEqual(25);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(posts(GENERAL)).toHaveLength(0);
    expect(await findOutboxRow(h.te.db.kysely, await announcementKey(ALICE, 1))).toMatchObject({ state: "sent", attempts: 1 });

    // Deleted, then back to level 1 with a new post: that level was reached before, so it is not announced again.
    h.fake.dispatch("MESSAGE_DELETE", h.fake.build.messageDelete({ id: first, channelId: GENERAL }));
    await vi.waitFor(async () => expect(await h.points(ALICE)).toBe(0), { timeout: 3_000, interval: 10 });
    await h.say(ALICE, "back again");
    expect(await h.points(ALICE)).toBe(50);
    await h.say(BOB, "bob's own first level");
    expect(await h.deliver()).toMatchObject({ sent: 1 });
    expect(mentioning(posts(ANNOUNCEMENTS), BOB)).toHaveLength(1);
    expect(mentioning(posts(ANNOUNCEMENTS), ALICE)).toHaveLength(1);
  });

  it("GIVEN the bot may not grant the reward role (403, 50013) THEN members keep their points, level and announcement, and moderators are told once in the mod queue", async () => {
    await levelingCommunity();
    h.fake.setRoleGrantPolicy("refuse");

    await h.say(ALICE, "first post");
    await h.say(BOB, "another first post");
    await h.fake.waitForRequests((r) => r.method === "PUT" && r.path.includes(`/roles/${REWARD_ROLE}`) && r.status === 403, 2, 3_000);
    // A stop waits for the grants in hand (and what they tell the moderators) to settle.
    await h.stopAdapter();
    await h.startAdapter();
    expect(await h.deliver()).toMatchObject({ sent: 3, failed: 0 });

    expect(await h.points(ALICE)).toBe(50);
    expect(await h.points(BOB)).toBe(50);
    expect(mentioning(posts(ANNOUNCEMENTS), ALICE)).toHaveLength(1);
    expect(mentioning(posts(ANNOUNCEMENTS), BOB)).toHaveLength(1);
    const notices = posts(MOD_QUEUE);
    expect(notices).toHaveLength(1);
    const notice = notices[0]!.body as PostBody;
    expect(notice.embeds?.[0]).toMatchObject({ title: "I can't grant a level reward role" });
    expect(notice.embeds?.[0]?.description).toContain(`<@&${REWARD_ROLE}>`);
    expect(notice).toMatchObject({ enforce_nonce: true, allowed_mentions: { parse: [] } });

    // Refused again for a third member: still the one notice.
    await h.say(CAROL, "a third first post");
    await h.fake.waitForRequests((r) => r.method === "PUT" && r.path.includes(`/roles/${REWARD_ROLE}`) && r.status === 403, 3, 3_000);
    await h.stopAdapter();
    await h.startAdapter();
    expect(await h.deliver()).toMatchObject({ sent: 1 });
    expect(posts(MOD_QUEUE)).toHaveLength(1);
  });

  it("GIVEN a level-up reached while the adapter was down THEN it is announced once the outbox is delivered, and its role is granted at the member's next level-up", async () => {
    await levelingCommunity();
    await h.stopAdapter();
    // Reached with no adapter listening: recorded by the engine with its announcement, no role granted.
    const key = naturalKeys.discordMessage("1300000000000003333");
    await h.te.engine.ingest({
      kind: "message.created",
      key,
      messageKey: key,
      at: h.te.clock.now(),
      place: { platform: "discord", workspaceId: GUILD, channelId: GENERAL },
      author: { id: discordId(ALICE), platform: "discord", workspaceId: GUILD, userId: ALICE, displayName: "Alice", isBot: false },
      text: "posted while the bot restarted",
      mentions: [],
    });

    await h.startAdapter();
    expect(await h.deliver()).toMatchObject({ sent: 1 });
    expect(mentioning(posts(ANNOUNCEMENTS), ALICE)).toHaveLength(1);
    expect(h.fake.requestsTo("PUT", grantPath(ALICE))).toHaveLength(0);

    // Level 2 (150 points): the grant is cumulative, so the level-1 role comes with it.
    await h.say(ALICE, "second post");
    await h.say(ALICE, "third post");
    await h.fake.waitForRequest((r) => r.method === "PUT" && r.path === grantPath(ALICE), 3_000);
    expect(h.fake.world.member(GUILD, ALICE).roles).toContain(REWARD_ROLE);
    expect(await h.deliver()).toMatchObject({ sent: 1 });
    expect(mentioning(posts(ANNOUNCEMENTS), ALICE).map((r) => (r.body as PostBody).embeds?.[0]?.description)).toEqual([
      `🎉 <@${ALICE}> reached level 1!`,
      `🎉 <@${ALICE}> reached level 2!`,
    ]);
  });

  it("GIVEN Discord answers the announcement with a 429 THEN the delivery loop tries again no earlier than Retry-After, with the same nonce, and it is posted once", async () => {
    await levelingCommunity();
    h.fake.rateLimitNext({ method: "POST", path: `/channels/${ANNOUNCEMENTS}/messages` }, { retryAfterSeconds: 3 });
    await h.say(ALICE, "first post");
    const key = await announcementKey(ALICE, 1);

    expect(await h.deliver()).toMatchObject({ retrying: 1, sent: 0 });
    const row = (await findOutboxRow(h.te.db.kysely, key))!;
    expect(row).toMatchObject({ state: "pending", attempts: 1, last_error: expect.stringMatching(/^rate-limited/) });
    const wait = Date.parse(row.next_attempt_at) - h.te.clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(3_000);
    expect(wait).toBeLessThan(5_000);

    h.te.clock.advance(wait - 1);
    expect(await h.deliver()).toMatchObject({ sent: 0, retrying: 0 });
    expect(posts(ANNOUNCEMENTS)).toHaveLength(1);
    h.te.clock.advance(1);
    expect(await h.deliver()).toMatchObject({ sent: 1 });

    const attempts = posts(ANNOUNCEMENTS);
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect((attempts[1]!.body as PostBody).nonce).toBe((attempts[0]!.body as PostBody).nonce);
    expect((attempts[1]!.body as PostBody).nonce).toBe(nonceFor(key));
    expect(h.fake.botMessagesIn(ANNOUNCEMENTS)).toHaveLength(1);
    expect(await h.deliver()).toMatchObject({ sent: 0 });
    expect(posts(ANNOUNCEMENTS)).toHaveLength(2);
  });

  it("GIVEN announcements are off THEN the role is still granted, the level-up is marked announced and nothing is posted", async () => {
    await levelingCommunity();
    await h.updateSettings((s) => {
      s.levels.announce = false;
    });

    await h.say(ALICE, "quiet level-up");
    await h.fake.waitForRequest((r) => r.method === "PUT" && r.path === grantPath(ALICE), 3_000);
    expect(await announcedAt(ALICE, 1)).toBeTruthy();
    expect(await findOutboxRow(h.te.db.kysely, await announcementKey(ALICE, 1))).toBeUndefined();

    expect(await h.deliver()).toMatchObject({ sent: 0 });
    expect(posts(ANNOUNCEMENTS)).toHaveLength(0);
    expect(posts(GENERAL)).toHaveLength(0);
  });
});
