/**
 * /bounty in the console: a piped script, the transcript compared. The console runs a bot command
 * in a thread with `/reply <n> /bounty …`; the bot's own posts (the award in the thread, the
 * expiry's DM) print after the line that caused them.
 */
import { describe, expect, it } from "vitest";
import { runConsoleScript } from "../../helpers/console-script.js";


const runScript = (script: string): Promise<string> => runConsoleScript(script, { sharedClock: true });

const SCRIPT = `How do I parse YAML in Node?
/as bob
/reply 1 thanks @ada, good question: use the yaml package
/as ada
/bounty post 10
/reply 1 /bounty post 10
/bounty list
/as bob
/reply 1 /bounty award @bob
/as ada
/reply 1 /bounty award @bob
/bounty list
/wait 2m
Anyone running Bun in production?
/reply 3 /bounty post 5
/wait 7d
/points
`;

describe("bounties in the console", () => {
  it("GIVEN a question thread THEN /bounty post, list and award work, and an unawarded bounty is refunded by DM after bountyDays", async () => {
    const out = await runScript(SCRIPT);
    expect(out).toMatchInlineSnapshot(`
      "#1 ada: How do I parse YAML in Node?
        +5 ada (post) · 5 points
        (you are now @bob)
      #2 bob ↳ #1: thanks @ada, good question: use the yaml package
        +2 bob (reply) · 2 points
        +10 ada (thanks) · 15 points
        (you are now @ada, admin)
      bot (only you): Which question? Use it inside the question's thread or forum post, or give the question's message link as \`question\` (Discord “Copy Message Link”, Slack “Copy link”).
      bot: 💰 @ada put a bounty of 10 points on this question. The poster or a moderator awards it to the best answer with /bounty award; unawarded, it is refunded on Thu 3 Dec 2026, 12:00 (UTC).
           ada's spendable balance is now 5 points.
      bot (only you): • 10 points — a thread in #general by @ada · expires Thu 3 Dec 2026, 12:00 (UTC)
        (you are now @bob)
      bot (only you): Only @ada, who posted this bounty, or a moderator can award it.
        (you are now @ada, admin)
      bot (only you): Awarded the 10-point bounty on a thread in #general to @bob; the question is marked solved and they have been told.
      bot in #general ↳ #1: 🏅 @bob receives the 10-point bounty @ada put on this question. It is marked solved — thank you!
      bot (only you): There are no open bounties. Put one on a question with /bounty post <amount> in its thread.
        (time is now 2026-11-26T12:02:00Z)
      #3 ada: Anyone running Bun in production?
        +5 ada (post) · 20 points
      bot: 💰 @ada put a bounty of 5 points on this question. The poster or a moderator awards it to the best answer with /bounty award; unawarded, it is refunded on Thu 3 Dec 2026, 12:02 (UTC).
           ada's spendable balance is now 5 points.
        (time is now 2026-12-03T12:02:00Z)
      bot → @ada (direct message): ⌛ Your 5-point bounty on a thread in #general expired without an award, so the 5 points are back in your balance (now 10 points).
      bot (only you): @ada has 20 points: level 0, rank #1. This week: none yet. 30 more to level 1.
      "
    `);
  });
});
