import { afterEach, describe, expect, it } from "vitest";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { GUILD, linkTo, thread, ada, admin, balanceOf, bob, bounty, bountyEvent, bountyRows, cat, configure, earn, mod, RecordingOutbox, robot, settle, text, xpTotals, accounts } from "./bounties-harness.js";

/**
 * /bounty post, award and list through the engine: escrow from the spendable balance, clear private
 * refusals that write nothing, awards by the poster or a moderator, replays that move nothing twice.
 */
const T700 = thread(700);

describe.each(dialects)("bounties (%s)", (dialect) => {
  let t: TestEngine;
  let outbox: RecordingOutbox;
  afterEach(() => t?.close());

  async function start() {
    t = await testEngine({ dialect });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    await configure(t, { timezone: "Europe/Berlin", "roles.moderators": "<@&77>" });
    await earn(t, ada, 100);
    await earn(t, bob, 20);
    await settle(t);
    outbox.sent.splice(0); // ada's level-up
    return (await t.engine.communities.resolve({ platform: "discord", workspaceId: GUILD })).id;
  }

  it("GIVEN a thread THEN /bounty post escrows from the poster's balance, once per interaction, and XP does not move", async () => {
    const c = await start();
    const xp = await xpTotals(t, c);
    const event = bountyEvent("post", { amount: 30 }, { by: ada, thread: T700, id: "post-1", at: t.clock.now() });
    const reply = await t.engine.command(event);
    expect(reply.ephemeral).toBeFalsy();
    expect(text(reply)).toBe("💰 @ada put a bounty of 30 points on this question. The poster or a moderator awards it to the best answer with /bounty award; unawarded, it is refunded on Thu 3 Dec 2026, 13:00 (Europe/Berlin).");
    expect(reply.footer).toBe("ada's spendable balance is now 70 points.");
    const again = await t.engine.command(event);
    expect(again.ephemeral).toBe(true);
    expect(text(again)).toContain(`That bounty was already posted: 30 points on ${linkTo(T700, T700)}`);
    expect(await balanceOf(t, ada)).toBe(70);
    const [row] = await bountyRows(t);
    expect(row).toMatchObject({ question_key: `discord:msg:${T700}`, amount: 30, status: "open", expires_at: "2026-12-03T12:00:00.000Z" });
    expect((await accounts(t, c))[`@escrow:${row!.id}`]).toBe(30);
    expect(await xpTotals(t, c)).toEqual(xp);
    const timers = await t.db.kysely.selectFrom("job_timers").select(["timer", "key", "fire_at"]).where("state", "=", "pending").execute();
    expect(timers).toEqual([{ timer: "bounty-expiry", key: `bounty:${row!.id}`, fire_at: "2026-12-03T12:00:00.000Z" }]);
  });

  it("GIVEN bad posts THEN each is refused privately, saying why, and nothing is written", async () => {
    const c = await start();
    const before = await accounts(t, c);
    const refused = async (options: Record<string, unknown>, o: { by?: typeof ada; thread?: string } = {}) => {
      const r = await bounty(t, "post", options, { by: o.by ?? ada, ...(o.thread ? { thread: o.thread } : {}) });
      expect(r.ephemeral).toBe(true);
      expect(r.tone).toBe("error");
      return text(r);
    };
    expect(await refused({ amount: 4 }, { thread: T700 })).toBe("A bounty is at least 5 points here (economy.minBounty).");
    expect(await refused({ amount: 21 }, { by: bob, thread: T700 })).toBe("You can't put that much on it: your spendable balance is 20 points.");
    expect(await refused({ amount: 10 })).toContain("Which question? Use it inside the question's thread or forum post, or give the question's message link as `question`");
    expect(await refused({ amount: 10, question: "see my post" })).toContain("`see my post` is not a message link.");
    expect(await refused({ amount: 10, question: linkTo("1300000000000000800", "1300000000000000801", "1399999999999999999") })).toContain("another server or workspace");
    expect(await bountyRows(t)).toEqual([]);
    expect(await accounts(t, c)).toEqual(before);

    await bounty(t, "post", { amount: 10 }, { by: bob, thread: T700 });
    // The same question by its link: already has an open bounty, and says how much.
    expect(await refused({ amount: 50, question: linkTo(T700, T700) })).toBe("That question already has an open bounty of 10 points from @bob (until Thu 3 Dec 2026, 13:00 (Europe/Berlin)).");
    expect(await balanceOf(t, ada)).toBe(100);
    expect(await bountyRows(t)).toHaveLength(1);
  });

  it("GIVEN an open bounty THEN an award by a non-poster, to the poster or to a bot is refused and nothing moves", async () => {
    const c = await start();
    await bounty(t, "post", { amount: 40 }, { by: ada, thread: T700 });
    const [row] = await bountyRows(t);
    const refusal = async (by: typeof ada, member: { id: string; displayName?: string; isBot?: boolean }) => {
      const r = await bounty(t, "award", { member }, { by, thread: T700 });
      expect(r.tone).toBe("error");
      return text(r);
    };
    expect(await refusal(bob, { id: cat.id, displayName: "cat" })).toBe("Only @ada, who posted this bounty, or a moderator can award it.");
    expect(await refusal(ada, { id: ada.id, displayName: "ada" })).toBe("The poster can't be awarded their own bounty: pick the member whose answer solved it.");
    expect(await refusal(ada, { id: robot.id, displayName: "robot", isBot: true })).toBe("Bots don't collect points: pick the member whose answer solved it.");
    // Nothing moved: the escrow still holds it all and the bounty is open.
    expect((await accounts(t, c))[`@escrow:${row!.id}`]).toBe(40);
    expect((await bountyRows(t))[0]!.status).toBe("open");
    expect(await balanceOf(t, ada)).toBe(60);
    // Outside the thread, with no link: which question?
    expect(text(await bounty(t, "award", { member: { id: cat.id } }, { by: ada }))).toContain("Which question?");
  });

  it("GIVEN the poster's award THEN the escrow goes to the answerer, the question is solved and the answerer is told in the thread, once", async () => {
    const c = await start();
    const xp = await xpTotals(t, c);
    await bounty(t, "post", { amount: 40 }, { by: ada, thread: T700 });
    const [open] = await bountyRows(t);
    const event = bountyEvent("award", { member: { id: cat.id, displayName: "cat" } }, { by: ada, thread: T700, id: "award-1", at: t.clock.now() });
    const reply = await t.engine.command(event);
    expect(reply.ephemeral).toBe(true);
    expect(text(reply)).toBe(`Awarded the 40-point bounty on ${linkTo(T700, T700)} to @cat; the question is marked solved and they have been told.`);
    expect(text(await t.engine.command(event))).toBe("That award was already made: 40 points to @cat.");
    await settle(t);
    expect(outbox.sent.map((s) => `${s.op} ${s.to} ${s.text}`)).toEqual(["post general 🏅 @cat receives the 40-point bounty @ada put on this question. It is marked solved — thank you!"]);
    expect(await balanceOf(t, ada)).toBe(60);
    expect(await balanceOf(t, cat)).toBe(40);
    expect((await accounts(t, c))[`@escrow:${open!.id}`]).toBe(0);
    expect(await bountyRows(t)).toMatchObject([{ status: "awarded", answerer_id: cat.id, settled_by: ada.id }]);
    expect(await xpTotals(t, c)).toEqual(xp);
    // Solved: no second bounty, and the timer finds nothing to refund.
    expect(text(await bounty(t, "post", { amount: 10 }, { by: bob, thread: T700 }))).toBe("That question is solved: its bounty of 40 points went to @cat.");
    t.clock.set("2026-12-04T00:00:00Z");
    await settle(t);
    expect(await balanceOf(t, ada)).toBe(60);
    expect(outbox.sent).toHaveLength(1);
  });

  it("GIVEN a moderator THEN they may award a member's bounty; a linked message's answerer is told by DM", async () => {
    await start();
    const link = linkTo(thread(800), thread(801));
    await bounty(t, "post", { amount: 15, question: link }, { by: bob });
    expect(text(await bounty(t, "award", { member: { id: cat.id, displayName: "cat" }, question: link }, { by: mod }))).toContain("to @cat");
    await settle(t);
    expect(outbox.sent.map((s) => `${s.op} ${s.to} ${s.text}`)).toEqual([`dm ${cat.id} 🏅 You received the 15-point bounty @bob put on ${link}: your answer solved it. The points are in your balance.`]);
    expect(await balanceOf(t, bob)).toBe(5);
    expect(text(await bounty(t, "award", { member: { id: ada.id }, question: link }, { by: admin }))).toBe("That bounty was already awarded, to @cat.");
    expect(text(await bounty(t, "award", { member: { id: ada.id }, question: linkTo(thread(800), thread(802)) }, { by: admin }))).toBe("That question has no open bounty. See /bounty list for the open ones.");
  });

  it("GIVEN a solution marked by the knowledge capability THEN awardIn pays the open bounty once and returns what it paid", async () => {
    const c = await start();
    await bounty(t, "post", { amount: 25 }, { by: ada, thread: T700 });
    const community = await t.engine.communities.resolve({ platform: "discord", workspaceId: GUILD });
    const mark = (answererId: string, causeKey: string) => t.engine.writes.submit((trx) => t.engine.services.bounties.awardIn(trx, community, { questionKey: `discord:msg:${T700}`, answererId, byId: ada.id, causeKey, at: t.clock.now() }));
    expect(await mark(ada.id, "solution:1")).toBe(0); // the poster's own answer: the bounty stays open
    expect(await mark(bob.id, "solution:2")).toBe(25);
    expect(await mark(cat.id, "solution:3")).toBe(0);
    expect(await mark(bob.id, "solution:2")).toBe(0);
    expect(await balanceOf(t, bob)).toBe(45);
    expect((await accounts(t, c))[`@escrow:${(await bountyRows(t))[0]!.id}`]).toBe(0);
  });

  it("GIVEN open bounties THEN /bounty list shows them largest first, then oldest, with poster, question and expiry in the community's timezone", async () => {
    await start();
    await earn(t, cat, 500);
    await bounty(t, "post", { amount: 10 }, { by: ada, thread: thread(701) });
    t.clock.advance(60_000);
    await bounty(t, "post", { amount: 30 }, { by: cat, thread: thread(702) });
    t.clock.advance(60_000);
    await bounty(t, "post", { amount: 10 }, { by: bob, thread: thread(703) });
    for (let i = 0; i < 10; i++) await bounty(t, "post", { amount: 5 }, { by: cat, thread: thread(710 + i) });
    const list = await bounty(t, "list", {}, { by: bob });
    expect(list.ephemeral).toBe(true);
    const lines = text(list).split("\n");
    expect(lines[0]).toBe("The 10 largest of 13 open bounties:");
    expect(lines.slice(1, 4)).toEqual([
      `• 30 points — ${linkTo(thread(702), thread(702))} by @cat · expires Thu 3 Dec 2026, 13:01 (Europe/Berlin)`,
      `• 10 points — ${linkTo(thread(701), thread(701))} by @ada · expires Thu 3 Dec 2026, 13:00 (Europe/Berlin)`,
      `• 10 points — ${linkTo(thread(703), thread(703))} by @bob · expires Thu 3 Dec 2026, 13:02 (Europe/Berlin)`,
    ]);
    expect(lines).toHaveLength(11);
  });

  it("GIVEN no open bounties THEN /bounty list says how to post one", async () => {
    await start();
    expect(text(await bounty(t, "list", {}, { by: bob }))).toBe("There are no open bounties. Put one on a question with /bounty post <amount> in its thread.");
  });
});
