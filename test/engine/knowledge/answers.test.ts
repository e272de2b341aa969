import { afterEach, describe, expect, it } from "vitest";
import { naturalKeys } from "../../../src/core/events.js";
import { dialects } from "../../helpers/db.js";
import { restartTestEngine } from "../../helpers/engine-restart.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { assertTotalsMatchLedger } from "../../helpers/invariants.js";
import { ada, allTotals, balanceOf, bob, bounty, bountyRows, cat, check, configure, earn, GUILD, kbRows, linkTo, markAction, mod, question, RecordingOutbox, reply, robot, settle, solutionPoints, solvedCommand, solvedRows, text, thread } from "./answers-harness.js";

/**
 * Accepted answers through the engine: a ✅ by the asker, “Mark as solution”, /solved; who may mark;
 * points outside the cap that move with the mark; a bounty paid once; the knowledge-base row.
 */
const T = thread(700);
const BOB = thread(701);
const CAT = thread(702);
const ADA = thread(703);

describe.each(dialects)("accepted answers (%s)", (dialect) => {
  let t: TestEngine;
  let outbox: RecordingOutbox;
  afterEach(() => t?.close());

  async function start(extra: Record<string, string> = {}) {
    t = await testEngine({ dialect });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    // Activity earns nothing here, so every point seen is a solution's.
    await configure(t, { "roles.moderators": "<@&77>", "points.post": "0", "points.reply": "0", "points.reactionReceived": "0", ...extra });
    await t.ingest(question(t, T, ada, "How do I stop useEffect from running twice in React 18?"));
    await t.ingest(reply(t, BOB, T, bob, "StrictMode mounts twice in development: clean up in the effect's return."));
    await t.ingest(reply(t, CAT, T, cat, "Remove StrictMode."));
    await t.ingest(reply(t, ADA, T, ada, "Thanks, trying it"));
    await settle(t);
    outbox.sent.splice(0);
    return (await t.engine.communities.resolve({ platform: "discord", workspaceId: GUILD })).id;
  }

  it("GIVEN the asker's ✅ on a reply THEN its author earns 15 once, the question is solved, the thread is told and the knowledge base has it", async () => {
    const c = await start();
    const event = check(t, { message: BOB, threadId: T, by: ada });
    await t.ingest(event);
    await t.ingest(event); // a re-delivery
    await settle(t);
    expect(await solutionPoints(t)).toEqual({ [bob.id]: 15 });
    expect(await allTotals(t)).toEqual({ [bob.id]: 15 });
    await assertTotalsMatchLedger(t.db.kysely);
    expect(outbox.sent.map((s) => `${s.op} ${s.to} ${s.text}`)).toEqual(["post general ✅ @ada marked @bob's reply as the solution. @bob earns 15 points — thank you!"]);
    expect(await solvedRows(t)).toMatchObject([{ community_id: c, question_key: naturalKeys.discordMessage(T), state: "accepted", answer_key: naturalKeys.discordMessage(BOB), answer_author_id: bob.id, asker_id: ada.id, marked_by: ada.id, award_points: 15 }]);
    expect(await kbRows(t)).toEqual([
      {
        community_id: c,
        question_key: naturalKeys.discordMessage(T),
        title: "How do I stop useEffect from running twice in React 18?",
        question_text: "How do I stop useEffect from running twice in React 18?",
        answer_text: "StrictMode mounts twice in development: clean up in the effect's return.",
        question_link: linkTo(T, T),
        answer_link: linkTo(T, BOB),
        answer_key: naturalKeys.discordMessage(BOB),
        channel_key: `discord:${GUILD}:general`,
        asker_id: ada.id,
        answer_author_id: bob.id,
        solved_at: "2026-11-26T12:00:00.000Z",
      },
    ]);
    const ledger = await t.db.kysely.selectFrom("ledger").select(["key", "reason", "source_key"]).where("reason", "like", "knowledge:%").execute();
    expect(ledger).toEqual([{ key: `solution:discord:msg:${T}:1:discord:msg:${BOB}`, reason: "knowledge:solution", source_key: `discord:msg:${T}` }]);
  });

  it("GIVEN a ✅ by anyone but the asker or a moderator THEN it is simply ignored; a moderator's counts", async () => {
    await start();
    await t.ingest(check(t, { message: BOB, threadId: T, by: cat }));
    await t.ingest(check(t, { message: BOB, threadId: T, by: bob }));
    await t.ingest(check(t, { message: BOB, threadId: T, by: ada, emoji: "👍" }));
    await settle(t);
    expect(await solvedRows(t)).toEqual([]);
    expect(outbox.sent).toEqual([]);
    await t.ingest(check(t, { message: BOB, threadId: T, by: mod, emoji: "✔" }));
    await settle(t);
    expect(await solutionPoints(t)).toEqual({ [bob.id]: 15 });
    expect(outbox.sent.map((s) => s.text)).toEqual(["✅ @mod marked @bob's reply as the solution. @bob earns 15 points — thank you!"]);
  });

  it("GIVEN the asker's ✅ on their own reply THEN nothing is awarded and they are told privately why", async () => {
    await start();
    await t.ingest(check(t, { message: ADA, threadId: T, by: ada }));
    await settle(t);
    expect(await solvedRows(t)).toEqual([]);
    expect(outbox.sent.map((s) => `${s.op} ${s.to} ${s.text}`)).toEqual([`dm ${ada.id} You can't accept your own reply to your own question: mark the reply of the member who solved it.`]);
  });

  it("GIVEN “Mark as solution” THEN the asker or a moderator marks with a private answer; anyone else, their own reply or a bot's gets a clear refusal", async () => {
    await start();
    const refused = async (by: typeof ada, message: string, author: typeof ada) => {
      const r = await t.engine.messageAction(markAction(t, { message, threadId: T, by, author }));
      expect(r).toMatchObject({ ephemeral: true, tone: "error" });
      return text(r);
    };
    expect(await refused(cat, BOB, bob)).toBe("Only the member who asked this question (who started the thread or forum post) or a moderator can mark its solution.");
    expect(await refused(ada, ADA, ada)).toBe("You can't accept your own reply to your own question: mark the reply of the member who solved it.");
    expect(await refused(ada, thread(799), robot)).toBe("Bots' messages can't be marked as a solution: pick the member's reply that solved it.");
    expect(await refused(ada, T, ada)).toContain("That is the question itself, not an answer.");
    expect(await refused(mod, thread(798), mod)).toBe("You can't mark your own reply as the solution: the asker or another moderator can.");
    expect(await solvedRows(t)).toEqual([]);
    const ok = await t.engine.messageAction(markAction(t, { message: CAT, threadId: T, by: ada, author: cat }));
    expect(ok).toMatchObject({ ephemeral: true, tone: "success" });
    expect(text(ok)).toBe("Marked @cat's reply as the solution; they earn 15 points and are told in the thread.");
    expect(text(await t.engine.messageAction(markAction(t, { message: CAT, threadId: T, by: mod, author: cat })))).toBe("That reply is already marked as the solution.");
    expect(await solutionPoints(t)).toEqual({ [cat.id]: 15 });
    // The action's target carries the text: the entry has it.
    expect((await kbRows(t))[0]).toMatchObject({ answer_text: `answer ${CAT}`, answer_author_id: cat.id });
  });

  it("GIVEN /solved with the answer's link THEN it marks; without one it says what is accepted; with undo it takes the mark off", async () => {
    await start();
    expect(text(await solvedCommand(t, { by: ada, threadId: T }))).toContain("This question has no accepted answer yet.");
    expect(text(await solvedCommand(t, { by: ada }))).toBe("Use /solved inside the question's thread or forum post, or give the answer's message link as `answer`.");
    expect(text(await solvedCommand(t, { by: ada, threadId: T, options: { answer: "the second one" } }))).toContain("`the second one` is not a message link.");
    expect(text(await solvedCommand(t, { by: ada, threadId: T, options: { answer: linkTo(T, thread(790)) } }))).toBe("I never saw that message, so I don't know who wrote it: use “Mark as solution” on the message itself.");
    expect(text(await solvedCommand(t, { by: cat, threadId: T, options: { answer: linkTo(T, BOB) } }))).toContain("Only the member who asked this question");
    const marked = await solvedCommand(t, { by: ada, threadId: T, options: { answer: linkTo(T, BOB) } });
    expect(text(marked)).toBe("Marked @bob's reply as the solution; they earn 15 points and are told in the thread.");
    expect(text(await solvedCommand(t, { by: ada, threadId: T }))).toBe(`This question is solved by @${bob.userId}'s reply: ${linkTo(T, BOB)}.`);
    expect(text(await solvedCommand(t, { by: cat, threadId: T, options: { undo: true } }))).toContain("Only the member who asked this question");
    const undone = await solvedCommand(t, { by: ada, threadId: T, options: { undo: true } });
    expect(text(undone)).toBe("Took the solution mark off @bob's reply; their 15 points for it went back. An awarded bounty stays paid.");
    expect(text(await solvedCommand(t, { by: ada, threadId: T, options: { undo: true } }))).toBe("This question has no accepted answer to take off.");
    await settle(t);
    expect(await solutionPoints(t)).toEqual({});
    expect(await allTotals(t)).toEqual({});
    expect(await kbRows(t)).toEqual([]);
    expect(outbox.sent.map((s) => s.text)).toEqual([
      "✅ @ada marked @bob's reply as the solution. @bob earns 15 points — thank you!",
      "The solution mark was taken off this question; the 15 points @bob earned for it went back.",
    ]);
    const ledger = await t.db.kysely.selectFrom("ledger").select(["key", "amount", "reverses"]).where("reason", "like", "knowledge:%").orderBy("amount", "desc").execute();
    const award = `solution:discord:msg:${T}:1:discord:msg:${BOB}`;
    expect(ledger).toEqual([
      { key: award, amount: 15, reverses: null },
      { key: `${award}:undo`, amount: -15, reverses: award },
    ]);
  });

  it("GIVEN another reply accepted instead THEN the points move: a reversal for the old and an award for the new", async () => {
    await start();
    await t.ingest(check(t, { message: BOB, threadId: T, by: ada }));
    await t.ingest(check(t, { message: CAT, threadId: T, by: ada }));
    await settle(t);
    expect(await solutionPoints(t)).toEqual({ [cat.id]: 15 });
    expect(await allTotals(t)).toEqual({ [cat.id]: 15 });
    expect((await kbRows(t)).map((r) => r.answer_author_id)).toEqual([cat.id]);
    expect(outbox.sent.map((s) => s.text)[1]).toBe("✅ @ada marked @cat's reply as the solution instead. @cat earns 15 points — thank you!");
    // Removing the ✅ from the reply that is no longer accepted changes nothing; from the accepted one it unmarks.
    await t.ingest(check(t, { message: BOB, threadId: T, by: ada, added: false }));
    expect(await solutionPoints(t)).toEqual({ [cat.id]: 15 });
    await t.ingest(check(t, { message: CAT, threadId: T, by: ada, added: false }));
    expect(await solutionPoints(t)).toEqual({});
    expect(await kbRows(t)).toEqual([]);
    await assertTotalsMatchLedger(t.db.kysely);
  });

  it("GIVEN an open bounty THEN the first accept pays it to the answerer, once; unaccepting does not take it back", async () => {
    await start();
    await earn(t, ada, 100);
    await bounty(t, "post", { amount: 30 }, { by: ada, thread: T });
    await t.ingest(check(t, { message: BOB, threadId: T, by: ada }));
    await settle(t);
    expect(await balanceOf(t, bob)).toBe(15 + 30);
    expect((await bountyRows(t))[0]).toMatchObject({ status: "awarded", answerer_id: bob.id, settled_by: ada.id });
    expect(outbox.sent.map((s) => s.text)).toContain("✅ @ada marked @bob's reply as the solution. @bob earns 15 points and the 30-point bounty — thank you!");
    await t.ingest(check(t, { message: BOB, threadId: T, by: ada, added: false }));
    await t.ingest(check(t, { message: CAT, threadId: T, by: ada }));
    await settle(t);
    expect(await balanceOf(t, bob)).toBe(30);
    expect(await balanceOf(t, cat)).toBe(15);
    expect(await balanceOf(t, ada)).toBe(70);
    expect((await solvedRows(t))[0]!.bounty_paid).toBe(30);
  });

  it("GIVEN the accepted answer deleted THEN the entry goes and its points go back; the question deleted THEN the entry goes, the points stay", async () => {
    await start();
    await t.ingest(check(t, { message: BOB, threadId: T, by: ada }));
    await t.ingest({ kind: "message.deleted", key: naturalKeys.deleted(naturalKeys.discordMessage(BOB)), messageKey: naturalKeys.discordMessage(BOB), at: t.clock.now(), place: { platform: "discord", workspaceId: GUILD, channelId: "general", threadId: T } });
    await settle(t);
    expect(await kbRows(t)).toEqual([]);
    expect(await solutionPoints(t)).toEqual({});
    expect(outbox.sent.map((s) => s.text)[1]).toBe("The accepted answer was deleted, so this question is no longer marked solved; the 15 points @bob earned for it went back.");
    // A deleted message can't be marked.
    expect(text(await t.engine.messageAction(markAction(t, { message: BOB, threadId: T, by: ada, author: bob })))).toBe("That message was deleted: it can't be the solution.");

    await t.ingest(check(t, { message: CAT, threadId: T, by: ada }));
    expect(await kbRows(t)).toHaveLength(1);
    await t.ingest({ kind: "message.deleted", key: naturalKeys.deleted(naturalKeys.discordMessage(T)), messageKey: naturalKeys.discordMessage(T), at: t.clock.now(), place: { platform: "discord", workspaceId: GUILD, channelId: "general" } });
    expect(await kbRows(t)).toEqual([]);
    expect(await solutionPoints(t)).toEqual({ [cat.id]: 15 });
    await assertTotalsMatchLedger(t.db.kysely);
  });

  it("GIVEN a question in the moderators' queue channel THEN it is solved but not put in the knowledge base", async () => {
    await start({ "channels.modQueue": "<#1300000000000009999>" });
    await t.ingest({ ...question(t, thread(900), ada, "private question"), place: { platform: "discord", workspaceId: GUILD, channelId: "1300000000000009999" } });
    await t.ingest({ ...reply(t, thread(901), thread(900), bob), place: { platform: "discord", workspaceId: GUILD, channelId: "1300000000000009999", threadId: thread(900) } });
    await t.ingest({ ...check(t, { message: thread(901), threadId: thread(900), by: ada }), place: { platform: "discord", workspaceId: GUILD, channelId: "1300000000000009999", threadId: thread(900) } });
    expect(await solutionPoints(t)).toEqual({ [bob.id]: 15 });
    expect(await kbRows(t)).toEqual([]);
  });

  it("GIVEN a question in a channel not every member can read (the platform says restricted) THEN it is solved and rewarded but not put in the knowledge base", async () => {
    await start();
    await t.ingest({ ...question(t, thread(920), ada, "a question in a private channel"), restricted: true });
    await t.ingest({ ...reply(t, thread(921), thread(920), bob, "the private answer"), restricted: true });
    await t.ingest(check(t, { message: thread(921), threadId: thread(920), by: ada }));
    expect(await solutionPoints(t)).toEqual({ [bob.id]: 15 });
    expect(await kbRows(t)).toEqual([]);
    // The same in a public channel is indexed.
    await t.ingest({ ...question(t, thread(930), ada, "a public question"), restricted: false });
    await t.ingest(reply(t, thread(931), thread(930), bob, "the public answer"));
    await t.ingest(check(t, { message: thread(931), threadId: thread(930), by: ada }));
    expect((await kbRows(t)).map((r) => r.question_text)).toEqual(["a public question"]);
  });

  it("GIVEN a thread in a help channel answered, then the bot restarted (its memory of texts gone) THEN the asker's ✅ still indexes the question's words, recorded at the first reply", async () => {
    await start({ "knowledge.helpChannels": `discord:${GUILD}:general` });
    expect((await t.db.kysely.selectFrom("thread_questions").select(["question_key", "text"]).execute()).map((r) => r.text)).toEqual(["How do I stop useEffect from running twice in React 18?"]);
    t = await restartTestEngine(t, { advanceMs: 86_400_000 });
    await t.ingest(check(t, { message: BOB, threadId: T, by: ada }));
    expect(await solutionPoints(t)).toEqual({ [bob.id]: 15 });
    const [entry] = await kbRows(t);
    expect(entry?.question_text).toBe("How do I stop useEffect from running twice in React 18?");
    expect((await t.engine.services.kb.search(entry!.community_id, "useEffect twice")).hits.map((h) => h.questionKey)).toEqual([entry!.question_key]);
    // Deleting the question takes its recorded words too.
    await t.ingest({ kind: "message.deleted", key: naturalKeys.deleted(naturalKeys.discordMessage(T)), messageKey: naturalKeys.discordMessage(T), at: t.clock.now(), place: { platform: "discord", workspaceId: GUILD, channelId: "general" } });
    expect(await t.db.kysely.selectFrom("thread_questions").selectAll().execute()).toEqual([]);
    expect(await kbRows(t)).toEqual([]);
  });

  it("GIVEN a thread outside the help channels THEN nothing is written for its question on the message path", async () => {
    await start();
    expect(await t.db.kysely.selectFrom("thread_questions").selectAll().execute()).toEqual([]);
  });

  it("GIVEN forgetMessage and forgetMember THEN the entries they are part of are removed", async () => {
    const c = await start();
    await t.ingest(check(t, { message: BOB, threadId: T, by: ada }));
    await t.ingest(question(t, thread(710), cat, "second question"));
    await t.ingest(reply(t, thread(711), thread(710), bob));
    await t.ingest(check(t, { message: thread(711), threadId: thread(710), by: cat }));
    expect(await kbRows(t)).toHaveLength(2);
    const knowledge = t.engine.services.knowledge;
    expect(await t.engine.writes.submit((trx) => knowledge.forgetMessage(trx, c, naturalKeys.discordMessage(thread(711))))).toBe(1);
    expect((await kbRows(t)).map((r) => r.asker_id)).toEqual([ada.id]);
    expect(await t.engine.writes.submit((trx) => knowledge.forgetMember(trx, c, ada.id))).toBe(1);
    expect(await kbRows(t)).toEqual([]);
  });
});
