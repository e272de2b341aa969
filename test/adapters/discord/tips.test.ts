/**
 * Tips on Discord, end to end: the fake sends the interactions, the real discord.js client and
 * adapter answer them, the outbox's delivery DMs the receiver. What the fake received is the proof.
 */
import type { APIEmbed } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { opt } from "../../fakes/discord/fake-discord.js";
import { ALICE, BOB, GENERAL, GUILD, type Harness, startHarness, THREAD, withPoints } from "./harness.js";

interface Body {
  type: number;
  content?: string;
  embeds?: APIEmbed[];
  data?: { content?: string; embeds?: APIEmbed[]; flags?: number; custom_id?: string; title?: string; components?: { components: { custom_id: string; label?: string }[] }[] };
}

const shown = (b: { content?: string; embeds?: APIEmbed[] } | undefined) => [b?.content ?? "", ...(b?.embeds ?? []).map((e) => `${e.title ?? ""} ${e.description ?? ""}`)].join(" ");

let h: Harness;
beforeEach(async () => {
  // Every post earns (no cooldown), so a few posts give a balance to tip from.
  h = await startHarness({ defaults: withPoints({ messageCooldownSeconds: 0 }) });
});
afterEach(async () => {
  await h.close();
});

async function interact(payload: { id: string; token: string }): Promise<Body> {
  h.fake.dispatch("INTERACTION_CREATE", payload);
  return (await h.callback(payload)).body as Body;
}

/** DMs the bot sent to `userId`: the DM channel it opened, then the messages posted in it. */
async function dmsTo(userId: string): Promise<string[]> {
  const opened = h.fake.requestsTo("POST", "/users/@me/channels").filter((r) => (r.body as { recipient_id: string }).recipient_id === userId);
  expect(opened.length).toBeGreaterThan(0);
  const posts = h.fake.requestsTo("POST", /^\/channels\/[0-9]+\/messages$/).filter((r) => !r.path.includes(GENERAL));
  return posts.map((r) => shown(r.body as Body));
}

describe("tips on Discord", () => {
  it("GIVEN alice with points WHEN she runs /tip member:bob amount:10 THEN a private answer with her figures, and bob gets a DM with his", async () => {
    for (let i = 0; i < 4; i++) await h.say(ALICE, `Here is a detailed answer, part ${i}`);

    const answer = await interact(h.fake.build.chatInputInteraction({ name: "tip", userId: ALICE, channelId: GENERAL, options: [opt.user("member", BOB), opt.integer("amount", 10), opt.string("reason", "the **fix** @everyone")] }));

    expect(answer.type).toBe(4);
    expect(answer.data?.flags).toBe(64);
    expect(shown(answer.data)).toContain(`You tipped <@${BOB}> 10 points (“the \\*\\*fix\\*\\* @\u200beveryone”): they get 9, the community pool 1. Your balance: 10 points · tips left this week: 40 of 50`);
    await h.deliver();
    const dms = await dmsTo(BOB);
    expect(dms.join("\n")).toContain(`<@${BOB}>, <@${ALICE}> tipped you 10 points`);
    expect(dms.join("\n")).toContain("you get 9 (the community pool keeps 1). Your balance: 9 points.");
  });

  it("GIVEN bob's message WHEN alice uses “Tip the author” THEN a modal asks the amount, and submitting it tips bob (a replayed submission counts once)", async () => {
    for (let i = 0; i < 2; i++) await h.say(ALICE, `Here is a detailed answer, part ${i}`);
    const bobs = await h.say(BOB, "Use a lockfile and pin the node version");

    const opened = await interact(h.fake.build.messageContextMenuInteraction({ name: "Tip the author", targetMessageId: bobs, userId: ALICE, channelId: GENERAL }));

    expect(opened.type).toBe(9);
    expect(opened.data?.title).toBe("Tip the author");
    expect(opened.data?.custom_id).toBe(`tip:author:discord:${GUILD}:${BOB} discord:msg:${bobs}`);
    expect(opened.data?.components?.map((row) => row.components[0]!.custom_id)).toEqual(["amount", "reason"]);

    const submit = h.fake.build.modalSubmitInteraction({ customId: opened.data!.custom_id!, fields: { amount: "4", reason: "" }, userId: ALICE, channelId: GENERAL });
    const tipped = await interact(submit);
    expect(tipped.data?.flags).toBe(64);
    expect(shown(tipped.data)).toContain(`You tipped <@${BOB}> 4 points: they get 3, the community pool 1. Your balance: 6 points`);

    // The same submission delivered again (Discord may send an event more than once).
    h.fake.dispatch("INTERACTION_CREATE", submit);
    const answers = await h.fake.waitForRequests((r) => r.method === "POST" && r.path === `/interactions/${submit.id}/${submit.token}/callback`, 2);
    expect(shown((answers[1]!.body as Body).data)).toContain("That tip was already counted");
    const rows = await h.te.db.kysely.selectFrom("tips").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ amount: 4, source_message_key: `discord:msg:${bobs}` });
    await h.deliver();
    expect((await dmsTo(BOB)).join("\n")).toContain(`<@${ALICE}> tipped you 4 points: you get 3`);
  });

  it("GIVEN alice with 5 points WHEN she tips 6 THEN a private refusal naming her balance, and nothing moves", async () => {
    await h.say(ALICE, "Here is a detailed answer");

    const answer = await interact(h.fake.build.chatInputInteraction({ name: "tip", userId: ALICE, channelId: GENERAL, options: [opt.user("member", BOB), opt.integer("amount", 6)] }));

    expect(answer.data?.flags).toBe(64);
    expect(shown(answer.data)).toContain("You have 5 points to spend, not enough for a tip of 6.");
    expect(await h.te.db.kysely.selectFrom("tips").selectAll().execute()).toHaveLength(0);
  });

  it("GIVEN a /tip in a thread THEN bob is told in that thread, and no DM is opened", async () => {
    for (let i = 0; i < 2; i++) await h.say(ALICE, `Here is a detailed answer, part ${i}`);

    await interact(h.fake.build.chatInputInteraction({ name: "tip", userId: ALICE, channelId: THREAD, options: [opt.user("member", BOB), opt.integer("amount", 5)] }));
    await h.deliver();

    const inThread = h.fake.requestsTo("POST", `/channels/${THREAD}/messages`).map((r) => shown(r.body as Body));
    expect(inThread).toEqual([expect.stringContaining(`<@${BOB}>, <@${ALICE}> tipped you 5 points: you get 4 (the community pool keeps 1). Your balance: 4 points.`)]);
    expect(h.fake.requestsTo("POST", "/users/@me/channels")).toEqual([]);
  });
});
