/**
 * Tips in the console, end to end: /tip, "Tip the author" through `/use` and its dialog, the DM the
 * receiver gets (the console's outbox prints it), and /wallet's two numbers.
 */
import { describe, expect, it } from "vitest";
import { runConsoleScript } from "../helpers/console-script.js";

const runScript = (script: string): Promise<string> => runConsoleScript(script);

const SCRIPT = `Here is how to fix the flaky build: pin the node version
/as bob
Thanks, that worked for me too
/wait 2m
Pinning fixed our CI as well, and the cache trick helped
/tip @ada 5 for the fix
/use 1 Tip the author
/submit amount:3 reason:"the pinning"
/use 1 Tip the author
/submit amount:50
/wallet
/wallet @ada
/as ada
/wallet
/use 1 Tip the author
/tip @ada 1
`;

describe("console tips", () => {
  it("GIVEN bob with points WHEN he tips ada with /tip and with “Tip the author” THEN both see their figures (ada by DM) and /wallet shows the two numbers", async () => {
    expect(await runScript(SCRIPT)).toMatchInlineSnapshot(`
      "#1 ada: Here is how to fix the flaky build: pin the node version
        +5 ada (post) · 5 points
        (you are now @bob)
      #2 bob: Thanks, that worked for me too
        +5 bob (post) · 5 points
        (time is now 2026-11-26T12:02:00Z)
      #3 bob: Pinning fixed our CI as well, and the cache trick helped
        +5 bob (post) · 10 points
      bot (only you): You tipped @ada 5 points (“for the fix”): they get 4, the community pool 1. Your balance: 5 points · tips left this week: 45 of 50 (resets Mon 30 Nov 2026 00:00 UTC).
      bot → @ada (direct message): 💸 @ada, @bob tipped you 5 points (“for the fix”): you get 4 (the community pool keeps 1). Your balance: 9 points.
      bot (only you): dialog “Tip the author” asks for amount, reason — answer with /submit <text>
      bot (only you): You tipped @ada 3 points (“the pinning”): they get 2, the community pool 1. Your balance: 2 points · tips left this week: 42 of 50 (resets Mon 30 Nov 2026 00:00 UTC).
      bot → @ada (direct message): 💸 @ada, @bob tipped you 3 points (“the pinning”): you get 2 (the community pool keeps 1). Your balance: 11 points.
      bot (only you): dialog “Tip the author” asks for amount, reason — answer with /submit <text>
      bot (only you): You have 2 points to spend, not enough for a tip of 50. Tip at most 2, or earn more by taking part.
        (the dialog “Tip the author” is still open: /submit again)
      bot (only you): @bob: lifetime XP 10 (level 0) · balance 2 points · tips this week: 8 of 50 given (resets Mon 30 Nov 2026 00:00 UTC).
                      XP is everything ever earned — it sets levels and ranks, and spending never lowers it; the balance is what can be spent: earned points plus tips received, minus tips given.
      bot (only you): @ada: lifetime XP 5 (level 0) · balance 11 points.
                      XP is everything ever earned — it sets levels and ranks, and spending never lowers it; the balance is what can be spent: earned points plus tips received, minus tips given.
        (you are now @ada, admin)
      bot (only you): @ada: lifetime XP 5 (level 0) · balance 11 points · tips this week: 0 of 50 given (resets Mon 30 Nov 2026 00:00 UTC).
                      XP is everything ever earned — it sets levels and ranks, and spending never lowers it; the balance is what can be spent: earned points plus tips received, minus tips given.
      bot (only you): You can't tip yourself — tip someone whose help you valued.
      bot (only you): You can't tip yourself — tip someone whose help you valued.
      "
    `);
  });
});
