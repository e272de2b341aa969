import { afterEach, describe, expect, it } from "vitest";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { message } from "../../helpers/events.js";
import { ada, bob, cat, communityId, configure, ledger, mod, points, press, RecordingOutbox, review, rows, settle, text } from "./harness.js";

const PR = "https://github.com/acme/widgets/pull/42";

/**
 * Code-review requests through the engine: the card posted in channels.reviews, claimed by its
 * button or /review claim, marked done by the requester — the reviewer's points once, whatever is
 * replayed or pressed twice — released, cancelled and listed.
 */
describe.each(dialects)("code-review requests (%s)", (dialect) => {
  let t: TestEngine;
  let outbox: RecordingOutbox;
  afterEach(() => t?.close());

  async function start(o: { channel?: boolean } = {}): Promise<void> {
    t = await testEngine({ dialect });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    if (o.channel !== false) await configure(t);
  }

  const said = () => outbox.sent.map((s) => `${s.op} ${s.to} ${s.text.split("\n").join(" | ")} [${s.buttons.join(" ")}]`);
  const delivered = async () => {
    await settle(t);
    const out = said();
    outbox.sent.splice(0);
    return out;
  };
  const fresh = async () => {
    await settle(t);
    outbox.sent.splice(0);
  };

  it("GIVEN channels.reviews unset THEN /review request is refused, saying how an admin sets it, and nothing is written", async () => {
    await start({ channel: false });
    const reply = await review(t, ada, "request", { link: PR });
    expect(reply).toMatchObject({ ephemeral: true, tone: "error" });
    expect(text(reply)).toBe("The code-review channel isn't set, so there is nowhere to post the request: an admin sets it with `/config set channels.reviews #channel`.");
    expect(await rows(t)).toEqual([]);
    expect(await delivered()).toEqual([]);
  });

  it("GIVEN requests THEN each is numbered per community and its card posted in #reviews with Claim; a replayed interaction posts nothing more", async () => {
    await start();
    const first = await review(t, ada, "request", { link: PR, description: "First *PR*, be gentle" }, "req1");
    expect(first).toMatchObject({ ephemeral: true, tone: "success" });
    expect(text(first)).toBe("Posted your request as code review #1 in #reviews. A reviewer claims it there and replies in its thread; when they're done, mark it with the card's Done button or /review done 1.");
    expect(text(await review(t, ada, "request", { link: PR }, "req1"))).toBe("That request was already posted as code review #1.");
    await review(t, bob, "request", { link: "const x = useEffect(() => {}, [])" });
    expect(await delivered()).toEqual([
      `post reviews 🔍 Code review #1 requested by @ada | GitHub pull request: ${PR} | “First *PR*, be gentle” | 🟢 Open — press Claim to review it (not your own). [review:claim:1]`,
      "post reviews 🔍 Code review #2 requested by @bob | Snippet: “const x = useEffect(() => {}, [])” | 🟢 Open — press Claim to review it (not your own). [review:claim:2]",
    ]);
    expect((await rows(t)).map((r) => [r.number, r.subject_kind, r.status])).toEqual([
      [1, "url", "open"],
      [2, "snippet", "open"],
    ]);
  });

  it("GIVEN a link that is not https THEN it is refused saying what is accepted; a long snippet too", async () => {
    await start();
    for (const [link, says] of [
      ["http://github.com/acme/widgets/pull/1", "`http://github.com/acme/widgets/pull/1` is a http link: only https links are accepted."],
      ["javascript:alert(1)", "`javascript:alert(1)` is a javascript link: only https links are accepted."],
      ["ftp://files.example.com/patch.diff", "is a ftp link"],
      ["https://exa mple.com/pr", "is not a valid https link"],
      ["x".repeat(501), "That snippet is longer than 500 characters"],
    ] as const) {
      const reply = await review(t, ada, "request", { link });
      expect(reply.tone).toBe("error");
      expect(text(reply)).toContain(says);
      expect(text(reply)).toContain("Give a pull request's https address (GitHub, GitLab, Bitbucket or any https link) or a short code snippet (up to 500 characters)".slice(5));
    }
    expect(await rows(t)).toEqual([]);
  });

  it("GIVEN a request THEN its requester can't claim it, bob claims it by the button, cat is told bob has it, and the card says so in place", async () => {
    await start();
    await review(t, ada, "request", { link: PR });
    await fresh();

    const own = await press(t, ada, "review:claim:1");
    expect(own).toMatchObject({ ephemeral: true, tone: "error" });
    expect(text(own)).toBe("That's your own request: someone else has to claim code review #1.");

    const claimed = await press(t, bob, "review:claim:1", "claim-bob");
    expect(claimed).toMatchObject({ ephemeral: true, tone: "success" });
    expect(text(claimed)).toBe(
      "You're reviewing code review #1 — reply in the card's thread. You earn 20 points when @ada marks it done. If it isn't marked done by 2026-11-28T12:00:00.000Z, it is released for others; let it go sooner with /review release 1.",
    );
    expect(await delivered()).toEqual([
      `edit reviews 🔍 Code review #1 requested by @ada | GitHub pull request: ${PR} | 👀 @bob is reviewing — reply in this thread. | Claimed 2026-11-26T12:00:00.000Z; released again if not marked done by 2026-11-28T12:00:00.000Z. Only @ada can mark it done. [review:done:1 review:release:1]`,
    ]);

    expect(text(await press(t, cat, "review:claim:1"))).toBe("@bob is already reviewing code review #1 (until 2026-11-28T12:00:00.000Z unless it's done sooner).");
    expect(text(await review(t, cat, "claim", { number: 1 }))).toContain("@bob is already reviewing");
    // A double press and a replayed interaction by bob change nothing.
    expect(text(await press(t, bob, "review:claim:1"))).toContain("You're already reviewing code review #1");
    expect(text(await press(t, bob, "review:claim:1", "claim-bob"))).toContain("You're already reviewing code review #1");
    expect(await delivered()).toEqual([]);
    expect(await rows(t)).toMatchObject([{ status: "claimed", claimer_id: bob.id, claims: 1, revision: 1 }]);
  });

  it("GIVEN a claimed request THEN only the requester marks it done: the reviewer earns 20 once, outside the daily cap, is told, and the card says done — replays and double presses add nothing", async () => {
    await start();
    await configure(t, (s) => {
      s.points.dailyCap = 5;
    });
    // Bob has reached today's cap.
    await t.ingest(message({ id: "100", by: bob, at: t.clock.now(), text: "my first post here" }));
    expect(await points(t, bob)).toBe(5);
    await review(t, ada, "request", { link: PR });
    await press(t, bob, "review:claim:1");
    await fresh();

    expect(text(await press(t, bob, "review:done:1"))).toBe("Only @ada, who asked for code review #1, can mark it done.");
    expect(text(await press(t, cat, "review:done:1"))).toBe("Only @ada, who asked for code review #1, can mark it done.");
    t.clock.advance(3_600_000);
    const done = await press(t, ada, "review:done:1", "done-ada");
    expect(done).toMatchObject({ ephemeral: true, tone: "success" });
    expect(text(done)).toBe("Marked code review #1 done: @bob earns 20 points and has been told. Thank you!");
    expect(await delivered()).toEqual([
      `edit reviews 🔍 Code review #1 requested by @ada | GitHub pull request: ${PR} | ✅ Done — reviewed by @bob (+20 points), marked 2026-11-26T13:00:00.000Z. Thank you! []`,
      `dm ${bob.id} ✅ @ada marked code review #1 done — thank you for reviewing! You earned 20 points. []`,
    ]);
    expect(await points(t, bob)).toBe(25);

    expect(text(await press(t, ada, "review:done:1", "done-ada"))).toBe("Code review #1 is already done: @bob reviewed it.");
    expect(text(await press(t, ada, "review:done:1"))).toBe("Code review #1 is already done: @bob reviewed it.");
    expect(text(await review(t, ada, "done", { number: 1 }))).toBe("Code review #1 is already done: @bob reviewed it.");
    expect(text(await press(t, cat, "review:claim:1"))).toBe("Code review #1 is done already: @bob reviewed it.");
    expect(await delivered()).toEqual([]);
    const c = await communityId(t);
    expect(await ledger(t)).toEqual([{ key: `review:${c}:1:reviewer`, member_id: bob.id, amount: 20, reason: "review:done" }]);
    expect(await points(t, bob)).toBe(25);
  });

  it("GIVEN reviews.points 0 THEN done still says so and tells the reviewer, with no ledger row", async () => {
    await start();
    await configure(t, (s) => {
      s.reviews.points = 0;
    });
    await review(t, ada, "request", { link: PR });
    await review(t, bob, "claim", { number: 1 });
    expect(text(await review(t, ada, "done", { number: 1 }))).toBe("Marked code review #1 done: @bob has been told. Thank you!");
    expect(await ledger(t)).toEqual([]);
  });

  it("GIVEN an open request THEN done is refused (nobody to thank); the claimer may release it, and only the claimer", async () => {
    await start();
    await review(t, ada, "request", { link: PR });
    expect(text(await review(t, ada, "done", { number: 1 }))).toBe("Nobody has claimed code review #1 yet, so there is no reviewer to thank. No longer needed? /review cancel 1.");
    expect(text(await review(t, bob, "release", { number: 1 }))).toBe("Nobody has claimed code review #1.");
    await review(t, bob, "claim", { number: 1 });
    await fresh();
    expect(text(await press(t, cat, "review:release:1"))).toBe("@bob is reviewing code review #1, not you: only the reviewer can release it.");
    expect(text(await press(t, bob, "review:release:1"))).toBe("You let go of code review #1: it's open for others again.");
    expect(await delivered()).toEqual([
      `edit reviews 🔍 Code review #1 requested by @ada | GitHub pull request: ${PR} | ↩️ @bob let it go: it's open again. | 🟢 Open — press Claim to review it (not your own). [review:claim:1]`,
    ]);
    expect(text(await press(t, cat, "review:claim:1"))).toContain("You're reviewing code review #1");
    expect(await rows(t)).toMatchObject([{ status: "claimed", claimer_id: cat.id, claims: 2 }]);
  });

  it("GIVEN a claimed request THEN the requester (or a moderator, not others) cancels it: the card says so and the claimer is told", async () => {
    await start();
    await review(t, ada, "request", { link: PR });
    await review(t, ada, "request", { link: "fn main() {}" });
    await review(t, bob, "claim", { number: 1 });
    await fresh();
    expect(text(await review(t, cat, "cancel", { number: 1 }))).toBe("Only @ada, who asked for code review #1, or a moderator can cancel it.");
    expect(text(await review(t, ada, "cancel", { number: 1 }))).toBe("Cancelled code review #1; @bob, who had claimed it, is told.");
    expect(text(await review(t, ada, "cancel", { number: 1 }))).toBe("Code review #1 was already cancelled.");
    expect(text(await review(t, mod, "cancel", { number: 2 }))).toBe("Cancelled code review #2.");
    expect(await delivered()).toEqual([
      `edit reviews 🔍 Code review #1 requested by @ada | GitHub pull request: ${PR} | 🚫 Cancelled by @ada 2026-11-26T12:00:00.000Z. []`,
      `dm ${bob.id} 🚫 @ada cancelled code review #1, which you had claimed: no need to review it any more. []`,
      "edit reviews 🔍 Code review #2 requested by @ada | Snippet: “fn main() {}” | 🚫 Cancelled by a moderator (@mod) 2026-11-26T12:00:00.000Z. []",
    ]);
    expect(text(await review(t, bob, "claim", { number: 1 }))).toBe("Code review #1 was cancelled by the requester.");
    expect(text(await review(t, ada, "done", { number: 1 }))).toBe("Code review #1 was cancelled.");
  });

  it("GIVEN open, claimed, done and cancelled requests THEN /review list shows the open and claimed ones, oldest first, with requester, link, claimer and age", async () => {
    await start();
    expect(text(await review(t, ada, "list"))).toBe("No code reviews are waiting. Ask for one with /review request <link>.");
    await review(t, ada, "request", { link: PR });
    t.clock.advance(60_000);
    await review(t, bob, "request", { link: "SELECT * FROM users WHERE id = $1" });
    t.clock.advance(60_000);
    await review(t, cat, "request", { link: "https://gitlab.com/acme/api/-/merge_requests/7" });
    t.clock.advance(60_000);
    await review(t, ada, "request", { link: "https://bitbucket.org/acme/app/pull-requests/3" });
    await review(t, cat, "claim", { number: 1 });
    await review(t, ada, "claim", { number: 3 });
    await review(t, cat, "done", { number: 3 });
    await review(t, ada, "cancel", { number: 4 });
    const list = await review(t, bob, "list");
    expect(list).toMatchObject({ title: "Code reviews waiting", ephemeral: true });
    expect(text(list)).toBe(
      [
        `• #1 · @ada · GitHub pull request: ${PR} · claimed by @cat · asked 2026-11-26T12:00:00.000Z`,
        "• #2 · @bob · Snippet: “SELECT * FROM users WHERE id = $1” · open · asked 2026-11-26T12:01:00.000Z",
      ].join("\n"),
    );
  });

  it("GIVEN forged or stale button ids THEN each gets a clear private answer and nothing changes", async () => {
    await start();
    await review(t, ada, "request", { link: PR });
    await fresh();
    for (const [id, says] of [
      ["review:claim:abc", "That button no longer names a code review."],
      ["review:claim:0", "That button no longer names a code review."],
      ["review:claim:1e3", "That button no longer names a code review."],
      ["review:claim", "That button no longer names a code review."],
      ["review:claim:99", "There is no code review #99. /review list shows the open and claimed ones."],
      ["review:__proto__:1", "That button no longer does anything."],
      ["review:constructor:1", "That button no longer does anything."],
    ] as const) {
      const reply = await press(t, bob, id);
      expect(reply.tone).toBe("error");
      expect(text(reply)).toBe(says);
    }
    expect(await delivered()).toEqual([]);
    expect(await rows(t)).toMatchObject([{ status: "open", revision: 0 }]);
  });
});
