/**
 * Code-review requests in the console: a piped script, the transcript compared. The card is the
 * bot's own post in #reviews, so its buttons are the latest reply's: `/press 1` claims it, and on
 * the edited card `/press 1` is Done. The reviewer's DM prints after the line that caused it.
 */
import { describe, expect, it } from "vitest";
import { runConsoleScript } from "../../helpers/console-script.js";


const runScript = (script: string): Promise<string> => runConsoleScript(script, { sharedClock: true });

const SCRIPT = `/review request https://github.com/acme/widgets/pull/42
/config set channels.reviews #reviews
/review request https://github.com/acme/widgets/pull/42 "adds retries"
/press 1
/as bob
/press 1
/as ada
/press 1
/review request "SELECT * FROM users WHERE id = $1" is this injectable?
/as bob
/review claim 2
/wait 1h
/review list
/wait 2d
/points
`;

describe("code-review requests in the console", () => {
  it("GIVEN channels.reviews THEN a request is posted, claimed with /press, marked done (the reviewer earns and is told), and a claim left 48 h lapses", async () => {
    const out = await runScript(SCRIPT);
    expect(out).toMatchInlineSnapshot(`
      "bot (only you): The code-review channel isn't set, so there is nowhere to post the request: an admin sets it with \`/config set channels.reviews #channel\`.
      bot (only you): Set \`channels.reviews\` to #reviews. (where code-review requests are posted with a Claim button (/review request); accepts a channel (#name) or "none")
      bot (only you): Posted your request as code review #1 in #reviews. A reviewer claims it there and replies in its thread; when they're done, mark it with the card's Done button or /review done 1.
      bot in #reviews: 🔍 Code review #1 requested by @ada
                       GitHub pull request: https://github.com/acme/widgets/pull/42
                       “adds retries”
                       🟢 Open — press Claim to review it (not your own).
                       buttons: [1] Claim — /press <n>
      bot (only you): That's your own request: someone else has to claim code review #1.
        (you are now @bob)
      bot (only you): You're reviewing code review #1 — reply in the card's thread. You earn 20 points when @ada marks it done. If it isn't marked done by Sat 28 Nov 2026 12:00 UTC, it is released for others; let it go sooner with /review release 1.
      bot edited its post in #reviews: 🔍 Code review #1 requested by @ada
                                       GitHub pull request: https://github.com/acme/widgets/pull/42
                                       “adds retries”
                                       👀 @bob is reviewing — reply in this thread.
                                       Claimed Thu 26 Nov 2026 12:00 UTC; released again if not marked done by Sat 28 Nov 2026 12:00 UTC. Only @ada can mark it done.
                                       buttons: [1] Done (requester)  [2] Release (reviewer) — /press <n>
        (you are now @ada, admin)
      bot (only you): Marked code review #1 done: @bob earns 20 points and has been told. Thank you!
      bot edited its post in #reviews: 🔍 Code review #1 requested by @ada
                                       GitHub pull request: https://github.com/acme/widgets/pull/42
                                       “adds retries”
                                       ✅ Done — reviewed by @bob (+20 points), marked Thu 26 Nov 2026 12:00 UTC. Thank you!
      bot → @bob (direct message): ✅ @ada marked code review #1 done — thank you for reviewing! You earned 20 points.
      bot (only you): Posted your request as code review #2 in #reviews. A reviewer claims it there and replies in its thread; when they're done, mark it with the card's Done button or /review done 2.
      bot in #reviews: 🔍 Code review #2 requested by @ada
                       Snippet: “SELECT * FROM users WHERE id = $1”
                       “is this injectable?”
                       🟢 Open — press Claim to review it (not your own).
                       buttons: [1] Claim — /press <n>
        (you are now @bob)
      bot (only you): You're reviewing code review #2 — reply in the card's thread. You earn 20 points when @ada marks it done. If it isn't marked done by Sat 28 Nov 2026 12:00 UTC, it is released for others; let it go sooner with /review release 2.
      bot edited its post in #reviews: 🔍 Code review #2 requested by @ada
                                       Snippet: “SELECT * FROM users WHERE id = $1”
                                       “is this injectable?”
                                       👀 @bob is reviewing — reply in this thread.
                                       Claimed Thu 26 Nov 2026 12:00 UTC; released again if not marked done by Sat 28 Nov 2026 12:00 UTC. Only @ada can mark it done.
                                       buttons: [1] Done (requester)  [2] Release (reviewer) — /press <n>
        (time is now 2026-11-26T13:00:00Z)
      bot (only you): • #2 · @ada · Snippet: “SELECT * FROM users WHERE id = $1” · claimed by @bob · asked 1 hour ago
                      Claim one with /review claim <number> or the card's Claim button.
        (time is now 2026-11-28T13:00:00Z)
      bot edited its post in #reviews: 🔍 Code review #2 requested by @ada
                                       Snippet: “SELECT * FROM users WHERE id = $1”
                                       “is this injectable?”
                                       ⌛ @bob's claim lapsed (not marked done in time): it's open again.
                                       🟢 Open — press Claim to review it (not your own).
                                       buttons: [1] Claim — /press <n>
      bot → @bob (direct message): ⌛ Your claim on code review #2 (Snippet: “SELECT * FROM users WHERE id = $1”) lapsed: it wasn't marked done within 48 hours, so it's open for others again. Still on it? Claim it again with /review claim 2.
      bot (only you): @bob has 20 points: level 0, rank #1. This week: 20 points (#1). 30 more to level 1.
      "
    `);
  });
});
