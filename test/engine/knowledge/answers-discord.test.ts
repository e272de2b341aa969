/**
 * Accepted answers end to end on Discord: the real discord.js client and adapter against the fake
 * Discord. A member asks (the thread's starter message), another answers in the thread, the asker
 * reacts ✅: the answerer earns the solution's points, is told in the thread, the question is
 * recorded as solved and its knowledge-base row written.
 */
import type { APIEmbed } from "discord.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ALICE, BOB, CAROL, discordId, GENERAL, GUILD, type Harness, startHarness, THREAD, withPoints } from "../../adapters/discord/harness.js";

interface Body {
  content?: string;
  embeds?: APIEmbed[];
}
const text = (b: Body | undefined) => [b?.content, ...(b?.embeds ?? []).map((e) => `${e.title ?? ""}\n${e.description ?? ""}`)].filter(Boolean).join("\n");

let h: Harness;
afterEach(() => h?.close());

describe("accepted answers on Discord", () => {
  it("GIVEN a question thread, an answer and the asker's ✅ THEN the answerer earns 15, is told in the thread, and the knowledge base has it", async () => {
    h = await startHarness({ defaults: withPoints({ post: 0, reply: 0, reactionReceived: 0 }) });
    // The thread was started from bob's message, so that message has the thread's id.
    await h.say(BOB, "Why does std::vector reallocate on push_back?", { channelId: GENERAL, id: THREAD });
    const answer = await h.say(ALICE, "Capacity grows geometrically; call reserve() first.", { channelId: THREAD });
    await h.say(CAROL, "No idea", { channelId: THREAD });

    // Someone other than the asker: simply ignored.
    h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.build.reactionAdd({ userId: CAROL, messageId: answer, channelId: THREAD, emoji: { name: "✅" } }));
    h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.build.reactionAdd({ userId: BOB, messageId: answer, channelId: THREAD, emoji: { name: "✅" } }));
    await vi.waitFor(async () => expect(await h.points(ALICE)).toBe(15), { timeout: 3_000, interval: 10 });
    await h.te.engine.drain();
    await h.deliver();

    const inThread = h.fake.requestsTo("POST", `/channels/${THREAD}/messages`);
    expect(inThread.map((r) => text(r.body as Body))).toEqual([expect.stringContaining(`✅ <@${BOB}> marked <@${ALICE}>'s reply as the solution. <@${ALICE}> earns 15 points`)]);
    const db = h.te.db.kysely;
    expect(await db.selectFrom("solved_questions").select(["question_key", "answer_key", "asker_id", "answer_author_id", "marked_by", "state"]).execute()).toEqual([
      { question_key: `discord:msg:${THREAD}`, answer_key: `discord:msg:${answer}`, asker_id: discordId(BOB), answer_author_id: discordId(ALICE), marked_by: discordId(BOB), state: "accepted" },
    ]);
    const kb = await db.selectFrom("kb_entries").select(["title", "question_text", "answer_text", "answer_link", "channel_key"]).execute();
    expect(kb).toEqual([
      {
        title: "Why does std::vector reallocate on push_back?",
        question_text: "Why does std::vector reallocate on push_back?",
        answer_text: "Capacity grows geometrically; call reserve() first.",
        answer_link: `https://discord.com/channels/${GUILD}/${THREAD}/${answer}`,
        channel_key: `discord:${GUILD}:${GENERAL}`,
      },
    ]);
    expect(await h.points(CAROL)).toBe(0);

    // The asker takes the ✅ off: the points go back and the entry goes.
    h.fake.dispatch("MESSAGE_REACTION_REMOVE", h.fake.build.reactionRemove({ userId: BOB, messageId: answer, channelId: THREAD, emoji: { name: "✅" } }));
    await vi.waitFor(async () => expect(await h.points(ALICE)).toBe(0), { timeout: 3_000, interval: 10 });
    expect(await db.selectFrom("kb_entries").selectAll().execute()).toEqual([]);
  });
});
