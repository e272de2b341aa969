import { afterEach, describe, expect, it, vi } from "vitest";
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

describe("Slack level-ups: congratulated once, after commit", () => {
  it("GIVEN a post that reaches level 1 THEN the channel it happened in gets a congratulation and the level-up is marked announced", async () => {
    w = await startWorld("socket", { defaults: generous });

    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "my first post" }));

    const post = await w.fake.waitForCall("chat.postMessage");
    expect(post.params.channel).toBe(GENERAL);
    expect(readable(post.params.text)).toBe(`:tada: <@${ALICE}> reached level 1!`);
    await vi.waitFor(async () => expect((await announcedAt(w))[0]).not.toBeNull());
  });

  it("GIVEN an announcements channel of this workspace THEN congratulations go there", async () => {
    w = await startWorld("http", { defaults: { ...generous, channels: { announcements: `slack:${TEAM}:${NEWS}`, modQueue: null, talks: null } } });

    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "hi" }));

    expect((await w.fake.waitForCall("chat.postMessage")).params.channel).toBe(NEWS);
  });

  it("GIVEN a level-up left unannounced by a stop THEN the adapter announces it when it starts", async () => {
    w = await startWorld("socket", {
      defaults: generous,
      // Written while no adapter was listening, as if the process stopped before announcing.
      beforeStart: async (te) => {
        const key = naturalKeys.slackMessage(TEAM, GENERAL, "1700000000.000300");
        const alice = { id: memberId("slack", TEAM, ALICE), platform: "slack" as const, workspaceId: TEAM, userId: ALICE, displayName: "alice", isBot: false };
        await te.engine.ingest({ kind: "message.created", key, messageKey: key, at: new Date(), place: { platform: "slack", workspaceId: TEAM, channelId: GENERAL }, author: alice, text: "before", mentions: [] });
      },
    });

    expect(readable((await w.fake.waitForCall("chat.postMessage")).params.text)).toContain("reached level 1");
    await vi.waitFor(async () => expect(await announcedAt(w)).toEqual([expect.any(String)]));
  });
});
