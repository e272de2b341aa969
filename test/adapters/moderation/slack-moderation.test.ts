/**
 * Content quality end to end on Slack (the real Bolt app against the fake Slack): one card in the
 * moderators' channel, a member's press refused, Remove claws back the points and edits the card to
 * explain that a bot token cannot delete a member's message (with its link) — no chat.delete is
 * tried. 🚩 (`:triangular_flag_on_post:`) from three members queues a message; one member's
 * repeated reports count once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { memberId } from "../../../src/core/identity.js";
import { ADA, ALICE, BOB, GENERAL, NEWS, readable, startWorld, TEAM, type World } from "../slack/harness.js";

const CAROL = "U0CAROL001";
const DAN = "U0DAN00001";
let w: World;
afterEach(() => w.close());

async function open(): Promise<World> {
  const world = await startWorld("http", {
    fake: {
      users: [
        { id: ALICE, name: "alice", realName: "Alice Liddell", displayName: "alice" },
        { id: BOB, name: "bob", realName: "Bob Builder", displayName: "bob" },
        { id: ADA, name: "ada", realName: "Ada Lovelace", displayName: "ada", isAdmin: true },
        { id: CAROL, name: "carol", realName: "Carol", displayName: "carol" },
        { id: DAN, name: "dan", realName: "Dan", displayName: "dan" },
      ],
    },
  });
  const community = await world.te.engine.communities.resolve({ platform: "slack", workspaceId: TEAM });
  const settings = structuredClone(community.settings);
  settings.channels.modQueue = `slack:${TEAM}:${NEWS}`;
  await world.te.engine.communities.updateSettings(community, settings);
  return world;
}

const cards = () => w.fake.calls("chat.postMessage").filter((c) => c.params.channel === NEWS);

describe("moderation on Slack", () => {
  it("GIVEN keyboard mash THEN one card; a member's press is refused; Remove claws back and the card explains and links", async () => {
    w = await open();
    const message = w.fake.payloads.messageEvent({ channel: GENERAL, user: BOB, text: "jkdfhgkjdfhg sdfkjhsdf" });
    await w.event(message);
    expect(await w.points(BOB)).toBe(5);
    await w.deliver();
    expect(cards()).toHaveLength(1);
    const card = cards()[0]!;
    const blocks = JSON.stringify(card.params.blocks);
    expect(blocks).toContain("mod:approve:1");
    expect(blocks).toContain("mod:penalise:1");
    const link = `https://slack.com/archives/${GENERAL}/p${message.ts.replace(".", "")}`;
    expect(readable(card.params.text)).toContain(link);
    const cardTs = (card.response as unknown as { ts: string }).ts;

    await w.interaction(w.fake.payloads.blockActions({ actionId: "mod:remove:1", user: ALICE, channel: NEWS, messageTs: cardTs }));
    const refusal = await w.fake.waitForResponse((r) => JSON.stringify(r.body).includes("Only moderators"));
    expect(refusal.body).toMatchObject({ response_type: "ephemeral", replace_original: false });

    await w.interaction(w.fake.payloads.blockActions({ actionId: "mod:remove:1", user: ADA, channel: NEWS, messageTs: cardTs }));
    await w.fake.waitForResponse((r) => JSON.stringify(r.body).includes("Removed review #1"));
    await w.te.engine.drain();
    await w.deliver();
    const update = await w.fake.waitForCall("chat.update", (c) => c.params.ts === cardTs);
    const text = readable(update.params.text);
    expect(text).toContain(`Removed by <@${ADA}>`);
    expect(text).toContain(`Slack doesn't let a bot delete members' messages: a workspace admin can delete it here: ${link}`);
    expect(w.fake.calls("chat.delete")).toHaveLength(0);
    expect(await w.points(BOB)).toBe(0);
    const audit = await w.te.db.kysely.selectFrom("mod_audit").select(["action", "actor_id", "points_before", "points_after"]).where("action", "=", "remove").execute();
    expect(audit).toEqual([{ action: "remove", actor_id: memberId("slack", TEAM, ADA), points_before: 5, points_after: 0 }]);
  });

  it("GIVEN :triangular_flag_on_post: from three members THEN one card; one member's repeats count once", async () => {
    w = await open();
    const message = w.fake.payloads.messageEvent({ channel: GENERAL, user: BOB, text: "Honestly the new release is fine, I don't get the complaints at all." });
    await w.event(message);
    const flag = (user: string) => w.event(w.fake.payloads.reactionAdded({ user, reaction: "triangular_flag_on_post", itemUser: BOB, channel: GENERAL, ts: message.ts }));
    await flag(ALICE);
    await flag(ALICE);
    await flag(CAROL);
    await w.deliver();
    expect(cards()).toHaveLength(0);
    await flag(DAN);
    await w.deliver();
    expect(cards()).toHaveLength(1);
    expect(readable(cards()[0]!.params.text)).toContain("3 reports (weight 3.0)");
  });
});
