/**
 * Accepted answers end to end on Discord: the real discord.js client and adapter against the fake
 * Discord. A member asks (the thread's starter message), another answers in the thread, the asker
 * reacts ✅: the answerer earns the solution's points, is told in the thread, the question is
 * recorded as solved and its knowledge-base row written, and /ask finds it.
 */
import type { APIEmbed } from "discord.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { opt } from "../../fakes/discord/fake-discord.js";
import { ALICE, BOB, CAROL, discordId, GENERAL, GUILD, type Harness, startHarness, THREAD, withPoints, WORLD } from "../../adapters/discord/harness.js";

interface Body {
  content?: string;
  embeds?: APIEmbed[];
}
const text = (b: Body | undefined) => [b?.content, ...(b?.embeds ?? []).map((e) => `${e.title ?? ""}\n${e.description ?? ""}`)].filter(Boolean).join("\n");

let h: Harness;
afterEach(() => h?.close());

describe("accepted answers on Discord", () => {
  it("GIVEN a question thread, an answer and the asker's ✅ THEN the answerer earns 15, is told in the thread, the knowledge base has it and /ask finds it", async () => {
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

    // Anyone finds it with /ask: a private answer with the question, a piece of the answer and its link.
    const ask = h.fake.build.chatInputInteraction({ name: "ask", userId: CAROL, channelId: GENERAL, options: [opt.string("query", "vector reallocate push_back")] });
    h.fake.dispatch("INTERACTION_CREATE", ask);
    const found = (await h.callback(ask)).body as { type: number; data: Body & { flags?: number } };
    expect(found.data.flags! & 64).toBe(64);
    // Member text is escaped for Discord's markdown (push\_back), so it shows as typed.
    expect(text(found.data)).toContain("Why does std::vector reallocate on push\\_back?");
    expect(text(found.data)).toContain("call reserve() first");
    expect(text(found.data)).toContain(`https://discord.com/channels/${GUILD}/${THREAD}/${answer}`);

    // The asker takes the ✅ off: the points go back and the entry goes.
    h.fake.dispatch("MESSAGE_REACTION_REMOVE", h.fake.build.reactionRemove({ userId: BOB, messageId: answer, channelId: THREAD, emoji: { name: "✅" } }));
    await vi.waitFor(async () => expect(await h.points(ALICE)).toBe(0), { timeout: 3_000, interval: 10 });
    expect(await db.selectFrom("kb_entries").selectAll().execute()).toEqual([]);
  });

  it("GIVEN a forum post with a “Solved” tag available THEN a ✅ by the asker applies it after commit, and unmarking takes it off", async () => {
    const FORUM = "1300000000000000020";
    const POST = "1300000000000000021";
    const SOLVED = "1300000000000000030";
    const OTHER = "1300000000000000031";
    const guild = WORLD.guilds![0]!;
    const channels = [...guild.channels!, { id: FORUM, name: "help", kind: "forum" as const, tags: [{ id: OTHER, name: "react" }, { id: SOLVED, name: "Solved" }] }, { id: POST, name: "useEffect twice?", kind: "public_thread" as const, parentId: FORUM, ownerId: BOB }];
    h = await startHarness({ defaults: withPoints({ post: 0, reply: 0, reactionReceived: 0 }), fake: { guilds: [{ ...guild, channels }] } });
    // A forum post's first message has the post's (thread's) id.
    await h.say(BOB, "Why does useEffect run twice?", { channelId: POST, id: POST });
    const answer = await h.say(ALICE, "React 18 StrictMode mounts twice in development.", { channelId: POST });

    h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.build.reactionAdd({ userId: BOB, messageId: answer, channelId: POST, emoji: { name: "✅" } }));
    const tagged = await h.fake.waitForRequest((r) => r.method === "PATCH" && r.path === `/channels/${POST}`, 3_000);
    expect(tagged.body).toEqual({ applied_tags: [SOLVED] });
    expect(await h.points(ALICE)).toBe(15);

    h.fake.dispatch("MESSAGE_REACTION_REMOVE", h.fake.build.reactionRemove({ userId: BOB, messageId: answer, channelId: POST, emoji: { name: "✅" } }));
    await vi.waitFor(() => expect(h.fake.requestsTo("PATCH", `/channels/${POST}`).map((r) => r.body)).toEqual([{ applied_tags: [SOLVED] }, { applied_tags: [] }]), { timeout: 3_000, interval: 10 });
    expect(await h.points(ALICE)).toBe(0);
  });

  it("GIVEN a thread in a text channel THEN solving it changes no tags", async () => {
    h = await startHarness({ defaults: withPoints({ post: 0, reply: 0, reactionReceived: 0 }) });
    await h.say(BOB, "Question", { channelId: GENERAL, id: THREAD });
    const answer = await h.say(ALICE, "Answer", { channelId: THREAD });
    h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.build.reactionAdd({ userId: BOB, messageId: answer, channelId: THREAD, emoji: { name: "✅" } }));
    await vi.waitFor(async () => expect(await h.points(ALICE)).toBe(15), { timeout: 3_000, interval: 10 });
    await h.te.engine.drain();
    await vi.waitFor(() => expect(h.fake.requestsTo("GET", `/channels/${GENERAL}`)).toHaveLength(1), { timeout: 3_000, interval: 10 });
    expect(h.fake.requestsTo("PATCH", `/channels/${THREAD}`)).toEqual([]);
  });
});
