/**
 * Level-ups reached on Slack, with the real adapter (Bolt) against the fake Slack. The
 * announcement is the engine's: decided in the transaction that recorded the level-up (an outbox
 * row), and posted by a delivery pass through the Slack outbox — read here off what the fake
 * received. The engine's loop is not started: each test delivers with `w.deliver()`.
 */
import { afterEach, describe, expect, it } from "vitest";
import { naturalKeys } from "../../../src/core/events.js";
import { memberId } from "../../../src/core/identity.js";
import { settingsSchema } from "../../../src/engine/communities/settings.js";
import { ALICE, GENERAL, NEWS, readable, startWorld, TEAM, type World } from "./harness.js";

// One post reaches level 1 (50 points).
const generous = { points: settingsSchema.parse({ points: { post: 50 } }).points };

let w: World;
afterEach(async () => {
  await w.close();
});

async function announcedAt(world: World): Promise<(string | null)[]> {
  const rows = await world.te.db.kysely.selectFrom("level_ups").select("announced_at").where("member_id", "=", memberId("slack", TEAM, ALICE)).execute();
  return rows.map((r) => r.announced_at);
}

const posts = (world: World) => world.fake.calls("chat.postMessage");

describe("Slack level-ups: decided with the points, posted by the outbox", () => {
  it("GIVEN a post that reaches level 1 THEN the level-up is marked announced at once, and one delivery congratulates in the channel it happened in, with the level-up's key as metadata", async () => {
    w = await startWorld("socket", { defaults: generous });

    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "my first post" }));
    await w.te.engine.drain();
    expect(await announcedAt(w)).toEqual([expect.any(String)]);
    expect(posts(w)).toHaveLength(0);

    expect(await w.deliver()).toMatchObject({ sent: 1, failed: 0 });
    const [post, ...more] = posts(w);
    expect(more).toHaveLength(0);
    expect(post!.params.channel).toBe(GENERAL);
    expect(readable(post!.params.text)).toBe(`🎉 <@${ALICE}> reached level 1!`);
    const [shown] = w.fake.channelMessages(GENERAL).filter((m) => m.bot_id !== undefined);
    expect(shown?.metadata).toEqual({ event_type: "guildkeeper_outbox", event_payload: { dedupe_key: expect.stringMatching(new RegExp(`^levelup:[^:]+:slack:${TEAM}:${ALICE}:1@`)) } });
    expect(await w.deliver()).toMatchObject({ sent: 0 });
    expect(posts(w)).toHaveLength(1);
  });

  it("GIVEN an announcements channel of this workspace THEN congratulations go there, not where it happened", async () => {
    w = await startWorld("http", { defaults: { ...generous, channels: { announcements: `slack:${TEAM}:${NEWS}`, modQueue: null, talks: null, reviews: null, feedback: null } } });

    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "hi" }));
    await w.te.engine.drain();
    expect(await w.deliver()).toMatchObject({ sent: 1 });

    expect(posts(w).map((c) => c.params.channel)).toEqual([NEWS]);
  });

  it("GIVEN levels.announce off THEN the level-up is marked announced and nothing is posted", async () => {
    w = await startWorld("http", { defaults: { ...generous, levels: settingsSchema.parse({ levels: { announce: false } }).levels } });

    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "quietly" }));
    await w.te.engine.drain();
    expect(await announcedAt(w)).toEqual([expect.any(String)]);
    expect(await w.deliver()).toMatchObject({ sent: 0 });
    expect(posts(w)).toHaveLength(0);
  });

  it("GIVEN a level-up reached while no adapter was running THEN the started adapter's outbox delivers it once", async () => {
    w = await startWorld("socket", {
      defaults: generous,
      // Written while no adapter was listening, as if the process stopped before delivering.
      beforeStart: async (te) => {
        const key = naturalKeys.slackMessage(TEAM, GENERAL, "1700000000.000300");
        const alice = { id: memberId("slack", TEAM, ALICE), platform: "slack" as const, workspaceId: TEAM, userId: ALICE, displayName: "alice", isBot: false };
        await te.engine.ingest({ kind: "message.created", key, messageKey: key, at: te.clock.now(), place: { platform: "slack", workspaceId: TEAM, channelId: GENERAL }, author: alice, text: "before", mentions: [] });
      },
    });

    expect(await w.deliver()).toMatchObject({ sent: 1 });
    expect(posts(w).map((c) => readable(c.params.text))).toEqual([`🎉 <@${ALICE}> reached level 1!`]);
    expect(await w.deliver()).toMatchObject({ sent: 0 });
  });
});
