/**
 * Level-ups on Discord: one announcement (posted with a nonce Discord enforces), reward roles granted, and a refused
 * grant that keeps the points and tells moderators once.
 */
import type { APIEmbed } from "discord.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { naturalKeys } from "../../../src/core/events.js";
import { nonceFor } from "../../../src/adapters/discord/outbox.js";
import type { RecordedRequest } from "../../fakes/discord/fake-discord.js";
import { ALICE, ANNOUNCEMENTS, BOB, discordId, GENERAL, GUILD, type Harness, MOD_QUEUE, REWARD_ROLE, startHarness, withPoints } from "./harness.js";

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

async function announced(communityId: string, userId: string, level: number): Promise<string | null | undefined> {
  const row = await h.te.db.kysely
    .selectFrom("level_ups")
    .select("announced_at")
    .where("community_id", "=", communityId)
    .where("member_id", "=", discordId(userId))
    .where("level", "=", level)
    .executeTakeFirst();
  return row?.announced_at;
}

describe("level-ups", () => {
  it("GIVEN a post that reaches level 1 THEN one announcement is posted with enforce_nonce, the reward role granted and the level-up marked announced", async () => {
    await levelingCommunity();
    const community = await h.community();

    const first = await h.say(ALICE, "my first post");
    const announcement = await h.fake.waitForRequest((r) => r.method === "POST" && r.path === `/channels/${ANNOUNCEMENTS}/messages`, 3_000);
    const grant = await h.fake.waitForRequest((r) => r.method === "PUT" && r.path === `/guilds/${GUILD}/members/${ALICE}/roles/${REWARD_ROLE}`, 3_000);

    const body = announcement.body as PostBody;
    expect(body.embeds?.[0]?.description).toBe(`🎉 <@${ALICE}> reached **level 1**!`);
    expect(body.enforce_nonce).toBe(true);
    expect(body.nonce).toBe(nonceFor(`levelup:${community.id}:${discordId(ALICE)}:1`));
    expect(body.nonce?.length).toBeLessThanOrEqual(25);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(grant.auditLogReason).toBe("guildkeeper: reached level 1");
    expect(h.fake.world.member(GUILD, ALICE).roles).toContain(REWARD_ROLE);
    await vi.waitFor(async () => expect(await announced(community.id, ALICE, 1)).toBeTruthy(), { timeout: 3_000, interval: 10 });

    // Deleted, then back to level 1 with a new post: that level was reached before, so it is not announced again.
    h.fake.dispatch("MESSAGE_DELETE", h.fake.build.messageDelete({ id: first, channelId: GENERAL }));
    await vi.waitFor(async () => expect(await h.points(ALICE)).toBe(0), { timeout: 3_000, interval: 10 });
    await h.say(ALICE, "back again");
    expect(await h.points(ALICE)).toBe(50);
    await h.say(BOB, "marker: bob's own level-up is announced after alice's second post was handled");
    await h.fake.waitForRequest((r) => r.method === "POST" && r.path === `/channels/${ANNOUNCEMENTS}/messages` && JSON.stringify(r.body).includes(`<@${BOB}>`), 3_000);
    expect(posts(ANNOUNCEMENTS).filter((r) => JSON.stringify(r.body).includes(`<@${ALICE}>`))).toHaveLength(1);
  });

  it("GIVEN the bot may not grant the reward role (403, 50013) THEN members keep their points and level and moderators are told once", async () => {
    await levelingCommunity();
    h.fake.setRoleGrantPolicy("refuse");

    await h.say(ALICE, "first post");
    await h.say(BOB, "another first post");
    await h.fake.waitForRequests((r) => r.method === "PUT" && r.path.includes(`/roles/${REWARD_ROLE}`) && r.status === 403, 2, 3_000);
    await h.fake.waitForRequests((r) => r.method === "POST" && r.path === `/channels/${ANNOUNCEMENTS}/messages`, 2, 3_000);

    expect(await h.points(ALICE)).toBe(50);
    expect(await h.points(BOB)).toBe(50);
    const community = await h.community();
    await vi.waitFor(async () => expect(await announced(community.id, BOB, 1)).toBeTruthy(), { timeout: 3_000, interval: 10 });
    const notices = posts(MOD_QUEUE);
    expect(notices).toHaveLength(1);
    expect((notices[0]!.body as PostBody).embeds?.[0]).toMatchObject({ title: "I can't grant a level reward role" });
    expect((notices[0]!.body as PostBody).embeds?.[0]?.description).toContain(`<@&${REWARD_ROLE}>`);
  });

  it("GIVEN a level-up committed while the adapter was down THEN the next start announces it once, and a later start does not", async () => {
    await levelingCommunity();
    await h.stopAdapter();
    // Reached with no adapter listening: recorded by the engine, never announced.
    const key = naturalKeys.discordMessage("1300000000000003333");
    await h.te.engine.ingest({
      kind: "message.created",
      key,
      messageKey: key,
      at: new Date(),
      place: { platform: "discord", workspaceId: GUILD, channelId: GENERAL },
      author: { id: discordId(ALICE), platform: "discord", workspaceId: GUILD, userId: ALICE, displayName: "Alice", isBot: false },
      text: "posted while the bot restarted",
      mentions: [],
    });
    const community = await h.community();
    expect(await announced(community.id, ALICE, 1)).toBeNull();

    await h.startAdapter();
    await h.fake.waitForRequest((r) => r.method === "POST" && r.path === `/channels/${ANNOUNCEMENTS}/messages`, 3_000);
    await vi.waitFor(async () => expect(await announced(community.id, ALICE, 1)).toBeTruthy(), { timeout: 3_000, interval: 10 });
    await h.stopAdapter();
    await h.startAdapter();
    await h.say(BOB, "marker");

    expect(posts(ANNOUNCEMENTS).filter((r) => JSON.stringify(r.body).includes(`<@${ALICE}>`))).toHaveLength(1);
    expect(h.fake.world.member(GUILD, ALICE).roles).toContain(REWARD_ROLE);
  });

  it("GIVEN Discord answers the announcement with a 429 THEN it is posted once, after Retry-After, with the same nonce", async () => {
    await levelingCommunity();
    h.fake.rateLimitNext({ method: "POST", path: `/channels/${ANNOUNCEMENTS}/messages` }, { retryAfterSeconds: 0.3 });

    await h.say(ALICE, "first post");
    await h.fake.waitForRequests((r) => r.method === "POST" && r.path === `/channels/${ANNOUNCEMENTS}/messages`, 2, 3_000);
    const community = await h.community();
    await vi.waitFor(async () => expect(await announced(community.id, ALICE, 1)).toBeTruthy(), { timeout: 3_000, interval: 10 });

    const attempts = posts(ANNOUNCEMENTS);
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(280);
    expect((attempts[1]!.body as PostBody).nonce).toBe((attempts[0]!.body as PostBody).nonce);
  });

  it("GIVEN announcements are off THEN the role is still granted and nothing is posted", async () => {
    await levelingCommunity();
    await h.updateSettings((s) => {
      s.levels.announce = false;
    });

    await h.say(ALICE, "quiet level-up");
    await h.fake.waitForRequest((r) => r.method === "PUT" && r.path === `/guilds/${GUILD}/members/${ALICE}/roles/${REWARD_ROLE}`, 3_000);
    const community = await h.community();
    await vi.waitFor(async () => expect(await announced(community.id, ALICE, 1)).toBeTruthy(), { timeout: 3_000, interval: 10 });

    expect(posts(ANNOUNCEMENTS)).toHaveLength(0);
  });
});
