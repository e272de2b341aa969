/**
 * Content quality end to end on Discord: the fake gateway delivers a low-quality post, the engine
 * queues one card in #mod-queue with buttons, a member's press is refused, a moderator's Remove
 * deletes the message through REST, claws back its points, writes an audit row and edits the card.
 * Reports by 🚩 from three members queue a message; one member's repeated reports do not.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALICE, BOB, CAROL, discordId, GENERAL, GUILD, type Harness, MOD, MOD_QUEUE, MOD_ROLE, OWNER, startHarness } from "../discord/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await h.updateSettings((s) => {
    s.channels.modQueue = `discord:${GUILD}:${MOD_QUEUE}`;
    s.roles.moderators = [`discord:${GUILD}:&${MOD_ROLE}`];
  });
});
afterEach(() => h.close());

interface Callback {
  type: number;
  data?: { flags?: number; content?: string; embeds?: { description?: string }[] };
}

const cardPosts = () => h.fake.requests.filter((r) => r.method === "POST" && r.path === `/channels/${MOD_QUEUE}/messages`);

async function press(customId: string, userId: string): Promise<Callback> {
  const payload = h.fake.build.buttonInteraction({ customId, userId, channelId: MOD_QUEUE });
  h.fake.dispatch("INTERACTION_CREATE", payload);
  return (await h.callback(payload)).body as Callback;
}

describe("moderation on Discord", () => {
  it("GIVEN keyboard mash THEN one card with buttons; a member's press is refused; Remove deletes it, claws back, audits and edits the card", async () => {
    const id = await h.say(BOB, "jkdfhgkjdfhg sdfkjhsdf");
    expect(await h.points(BOB)).toBe(5);
    await h.deliver();
    expect(cardPosts()).toHaveLength(1);
    const card = cardPosts()[0]!.body as { embeds: { description: string }[]; components: { components: { custom_id: string; label: string }[] }[] };
    expect(card.components[0]!.components.map((b) => [b.custom_id, b.label])).toEqual([
      ["mod:approve:1", "Approve"],
      ["mod:remove:1", "Remove"],
      ["mod:penalise:1", "Remove and penalise"],
    ]);
    expect(card.embeds[0]!.description).toContain(`https://discord.com/channels/${GUILD}/${GENERAL}/${id}`);

    const refused = await press("mod:remove:1", ALICE);
    expect(refused.data?.flags).toBe(64);
    expect(JSON.stringify(refused.data)).toContain("Only moderators");

    const removed = await press("mod:remove:1", MOD);
    expect(removed.data?.flags).toBe(64);
    expect(JSON.stringify(removed.data)).toContain("Removed review #1");
    await h.te.engine.drain();
    await h.deliver();
    await h.fake.waitForRequest((r) => r.method === "DELETE" && r.path === `/channels/${GENERAL}/messages/${id}`);
    const edit = await h.fake.waitForRequest((r) => r.method === "PATCH" && r.path.startsWith(`/channels/${MOD_QUEUE}/messages/`));
    const edited = edit.body as { embeds: { description: string }[]; components?: unknown[] };
    expect(edited.embeds[0]!.description).toContain(`Removed by <@${MOD}>`);
    expect(edited.components ?? []).toEqual([]);
    expect(h.fake.world.messages.has(id)).toBe(false);
    expect(await h.points(BOB)).toBe(0);
    const audit = await h.te.db.kysely.selectFrom("mod_audit").select(["action", "actor_id", "points_before", "points_after"]).where("action", "=", "remove").execute();
    expect(audit).toEqual([{ action: "remove", actor_id: discordId(MOD), points_before: 5, points_after: 0 }]);

    const again = await press("mod:approve:1", OWNER);
    expect(again.data?.flags).toBe(64);
    expect(JSON.stringify(again.data)).toContain(`already removed by <@${MOD}>`);
  });

  it("GIVEN 🚩 from three members THEN the message is queued once; one member's repeated 🚩 counts once", async () => {
    const id = await h.say(BOB, "I think tabs are better than spaces and everyone else is wrong about it.");
    const flag = (userId: string) => h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.build.reactionAdd({ userId, messageId: id, channelId: GENERAL, emoji: { name: "🚩" } }));
    for (let i = 0; i < 3; i++) flag(ALICE);
    flag(CAROL);
    await waitForReports(2);
    await h.te.engine.drain();
    await h.deliver();
    expect(cardPosts()).toHaveLength(0);
    flag(OWNER);
    await waitForReports(3);
    await h.te.engine.drain();
    await h.deliver();
    expect(cardPosts()).toHaveLength(1);
    expect(JSON.stringify(cardPosts()[0]!.body)).toContain("3 reports (weight 3.0)");
  });
});

async function waitForReports(n: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await h.te.engine.drain();
    const rows = await h.te.db.kysely.selectFrom("mod_reports").select("reporter_id").execute();
    if (rows.length >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fewer than ${n} reports arrived`);
}
