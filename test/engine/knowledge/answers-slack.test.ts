/**
 * Accepted answers end to end on Slack (HTTP mode): the real Bolt app against the fake Slack. The
 * asker's question is a channel message, the answer a reply in its thread, and the asker's
 * `:white_check_mark:` on the reply marks it. Slack's reaction events name no thread: the notice
 * still goes into the question's thread (`thread_ts`), found from the question's key. Then `/ask`
 * finds the solved question.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ALICE, BOB, GENERAL, readable, startWorld, TEAM, type World } from "../../adapters/slack/harness.js";
import { withPoints } from "../../adapters/discord/harness.js";

let w: World;
afterEach(() => w?.close());

describe("accepted answers on Slack", () => {
  it("GIVEN a question, a threaded answer and the asker's ✅ THEN the answerer earns 15, is told in the thread, the knowledge base has it and /ask finds it", async () => {
    w = await startWorld("http", { defaults: withPoints({ post: 0, reply: 0, reactionReceived: 0 }) });
    const q = "1764590000.000100";
    const a = "1764590000.000200";
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: BOB, text: "How do I pin a dependency in npm?", ts: q }));
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "Use an exact version: npm install --save-exact", ts: a, threadTs: q }));
    await w.te.engine.drain();

    await w.event(w.fake.payloads.reactionAdded({ user: BOB, reaction: "white_check_mark", itemUser: ALICE, channel: GENERAL, ts: a }));
    await vi.waitFor(async () => expect(await w.points(ALICE)).toBe(15), { timeout: 3_000, interval: 10 });
    await w.te.engine.drain();
    await w.deliver();

    const posts = w.fake.calls("chat.postMessage").filter((c) => readable(c.params.text).includes("as the solution"));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.params).toMatchObject({ channel: GENERAL, thread_ts: q });
    expect(readable(posts[0]!.params.text)).toContain(`✅ <@${BOB}> marked <@${ALICE}>'s reply as the solution. <@${ALICE}> earns 15 points`);
    const db = w.te.db.kysely;
    expect(await db.selectFrom("solved_questions").select(["question_key", "answer_key", "asker_id", "state"]).execute()).toEqual([
      { question_key: `slack:${TEAM}:${GENERAL}:${q}`, answer_key: `slack:${TEAM}:${GENERAL}:${a}`, asker_id: `slack:${TEAM}:${BOB}`, state: "accepted" },
    ]);
    expect(await db.selectFrom("kb_entries").select(["title", "answer_text", "question_link", "answer_link"]).execute()).toEqual([
      {
        title: "How do I pin a dependency in npm?",
        answer_text: "Use an exact version: npm install --save-exact",
        question_link: `https://slack.com/archives/${GENERAL}/p1764590000000100?thread_ts=${q}&cid=${GENERAL}`,
        answer_link: `https://slack.com/archives/${GENERAL}/p1764590000000200?thread_ts=${q}&cid=${GENERAL}`,
      },
    ]);

    // Anyone finds it with /ask, the whole line being the query; the answer is private.
    const { body } = await w.command("ask", "pin a dependency npm", ALICE);
    expect(body?.response_type).toBe("ephemeral");
    expect(readable(body?.text)).toContain("How do I pin a dependency in npm?");
    expect(readable(body?.text)).toContain("npm install --save-exact");
    // The links are in the answer's blocks.
    expect(JSON.stringify(body?.blocks)).toContain(`https://slack.com/archives/${GENERAL}/p1764590000000200`);
  });
});
