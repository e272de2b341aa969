import { afterEach, describe, expect, it } from "vitest";
import { splitTip } from "../../../src/engine/economy/tip-split.js";
import { looksLikeCollusion } from "../../../src/engine/economy/collusion.js";
import { dialects } from "../../helpers/db.js";
import { type TestEngine, testEngine } from "../../helpers/engine.js";
import { command } from "../../helpers/events.js";
import { balanceOf, communityId, earn, member, poolOf, submitForm, tip, totalsSnapshot, useTipAuthor, withEconomy } from "./tips-helpers.js";

const ada = member("ada");
const bob = member("bob");
const cy = member("cy");

describe("the split", () => {
  it("GIVEN any amount and share THEN the author gets the floor and the pool the rest, summing exactly", () => {
    expect(splitTip(10, 90)).toEqual({ author: 9, pool: 1 });
    expect(splitTip(15, 90)).toEqual({ author: 13, pool: 2 });
    expect(splitTip(1, 90)).toEqual({ author: 0, pool: 1 });
    expect(splitTip(7, 100)).toEqual({ author: 7, pool: 0 });
    expect(splitTip(7, 0)).toEqual({ author: 0, pool: 7 });
    for (let amount = 1; amount < 200; amount++) for (const share of [0, 1, 33, 50, 90, 99, 100]) {
      const s = splitTip(amount, share);
      expect(s.author + s.pool).toBe(amount);
      expect(s.author).toBe(Math.floor((amount * share) / 100));
    }
  });

  it("GIVEN tips one way only THEN it is not collusion, however many", () => {
    expect(looksLikeCollusion(Array.from({ length: 9 }, () => ({ giver_person: "a" })), "a", "b", 6)).toBe(false);
    expect(looksLikeCollusion([...Array.from({ length: 5 }, () => ({ giver_person: "a" })), { giver_person: "b" }], "a", "b", 6)).toBe(true);
    expect(looksLikeCollusion([...Array.from({ length: 5 }, () => ({ giver_person: "a" })), { giver_person: "b" }], "a", "b", 0)).toBe(false);
  });
});

describe.each(dialects)("tips (%s)", (dialect) => {
  let te: TestEngine;
  afterEach(() => te?.close());

  it("GIVEN ada with 40 points WHEN she tips bob 10 THEN bob gets 9, the pool 1, her XP stays and she sees her figures", async () => {
    te = await testEngine({ dialect });
    await earn(te, ada, 8);
    const c = await communityId(te);
    const totals = await totalsSnapshot(te);

    const reply = await tip(te, ada, bob, 10, { reason: "great *answer* @everyone" });

    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain("You tipped ⟦m:discord:g1:bob|bob⟧ 10 points (“⟦l:great *answer* @everyone⟧”): they get 9, the community pool 1.");
    expect(reply.text).toContain("Your balance: 30 points · tips left this week: 40 of 50");
    expect(await balanceOf(te, ada, c)).toBe(30);
    expect(await balanceOf(te, bob, c)).toBe(9);
    expect(await poolOf(te, c)).toBe(1);
    expect(await totalsSnapshot(te)).toBe(totals);

    // bob is told by DM, in the same transaction as the tip.
    const dm = await te.db.kysely.selectFrom("outbox").selectAll().where("operation", "=", "dm").execute();
    expect(dm).toHaveLength(1);
    expect(JSON.parse(dm[0]!.destination!)).toEqual({ memberId: bob.id });
    expect(JSON.parse(dm[0]!.reply!).text).toBe("💸 ⟦m:discord:g1:bob|bob⟧, ⟦m:discord:g1:ada|ada⟧ tipped you 10 points (“⟦l:great *answer* @everyone⟧”): you get 9 (the community pool keeps 1). Your balance: 9 points.");
  });

  it("GIVEN a tip WHEN the same interaction is replayed THEN it says already counted and nothing moves twice", async () => {
    te = await testEngine({ dialect });
    await earn(te, ada, 4);
    const c = await communityId(te);
    await tip(te, ada, bob, 10, { key: "same" });

    const again = await tip(te, ada, bob, 10, { key: "same" });

    expect(again.text).toMatch(/^That tip was already counted: ⟦m:discord:g1:bob\|bob⟧ got 9 of your 10 points, the community pool 1\. Your balance: 10 points/);
    expect(await balanceOf(te, ada, c)).toBe(10);
    expect(await balanceOf(te, bob, c)).toBe(9);
    expect(await te.db.kysely.selectFrom("tips").selectAll().execute()).toHaveLength(1);
    expect(await te.db.kysely.selectFrom("outbox").selectAll().where("operation", "=", "dm").execute()).toHaveLength(1);
  });

  it("GIVEN refusals (self, bot, short balance, allowance, pair cap) THEN a private error naming the limit and nothing written", async () => {
    te = await testEngine({ dialect, defaults: withEconomy({ weeklyAllowance: 30, pairWeeklyCap: 12 }) });
    await earn(te, ada, 10);
    const c = await communityId(te);
    const refused = async (p: Promise<{ text: string; tone?: string; ephemeral?: boolean }>) => {
      const r = await p;
      expect(r).toMatchObject({ tone: "error", ephemeral: true });
      return r.text;
    };

    expect(await refused(tip(te, ada, ada, 5))).toContain("You can't tip yourself");
    expect(await refused(tip(te, ada, member("helper", { isBot: true }), 5))).toContain("Bots don't collect points");
    expect(await refused(tip(te, bob, ada, 5))).toBe("You have 0 points to spend, not enough for a tip of 5. Tip at most 0, or earn more by taking part.");
    expect(await refused(tip(te, ada, bob, 0))).toContain("amount");
    await tip(te, ada, bob, 12);
    expect(await refused(tip(te, ada, bob, 1))).toMatch(/^You've tipped ⟦m:discord:g1:bob\|bob⟧ the most one member may tip another in a week \(12 points\)\. It resets ⟦t:\d+:full⟧/);
    await tip(te, ada, cy, 12);
    expect(await refused(tip(te, ada, member("dee"), 7))).toMatch(/^You can give 6 more points in tips this week \(your allowance is 30\), so not 7\. It resets ⟦t:\d+:full⟧/);
    expect(await te.db.kysely.selectFrom("tips").selectAll().execute()).toHaveLength(2);
    expect(await balanceOf(te, ada, c)).toBe(26);
  });

  it("GIVEN the allowance spent WHEN the community's ISO week turns THEN it is whole again (in the community's timezone)", async () => {
    // Sunday 2026-11-29 12:00 UTC is Sunday 21:00 in Tokyo; Monday starts there at 15:00 UTC.
    te = await testEngine({ dialect, start: "2026-11-29T12:00:00Z", defaults: { ...withEconomy({ weeklyAllowance: 10 }), timezone: "Asia/Tokyo" } });
    await earn(te, ada, 6);
    expect((await tip(te, ada, bob, 10)).tone).toBe("success");
    const spent = await tip(te, ada, cy, 1);
    expect(spent.text).toBe(`You've given your whole allowance of 10 points in tips this week. It resets ⟦t:${Date.parse("2026-11-29T15:00:00Z") / 1000}:full⟧ (⟦t:${Date.parse("2026-11-29T15:00:00Z") / 1000}:relative⟧).`);

    te.clock.advance(Date.parse("2026-11-29T15:00:01Z") - te.clock.now().getTime());

    expect((await tip(te, ada, cy, 2)).text).toContain("tips left this week: 8 of 10");
  });

  it("GIVEN ada and bob tipping each other back and forth WHEN the sixth tip lands THEN one review item with the history, once this week", async () => {
    te = await testEngine({ dialect });
    await earn(te, ada, 10);
    await earn(te, bob, 10);
    for (let i = 0; i < 3; i++) {
      await tip(te, ada, bob, 2, { reason: `round ${i}` });
      await tip(te, bob, ada, 2);
    }
    expect((await tip(te, ada, bob, 2)).tone).toBe("success");

    const items = await te.db.kysely.selectFrom("mod_items").selectAll().execute();
    expect(items).toHaveLength(1);
    expect(items[0]!.message_key).toMatch(/^subject:tips:discord:g1:ada\|discord:g1:bob:week:2026-W48$/);
    const lines = items[0]!.excerpt.split("\n");
    expect(lines[0]).toBe("ada and bob tipped each other 6 times in 7 days (ada → bob 3 tips, 6 points; bob → ada 3 tips, 6 points; times in UTC)");
    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatch(/^Thu 26 Nov \d\d:\d\d ada → bob 2 \(“round 0”\)$/);
    const audit = await te.db.kysely.selectFrom("mod_audit").select("member_id").where("action", "=", "flag").execute();
    expect(audit.map((a) => a.member_id).sort()).toEqual([ada.id, bob.id]);
  });

  it("GIVEN 'Tip the author' on bob's message THEN a dialog asks the amount; submitting it tips bob, keyed by the submission", async () => {
    te = await testEngine({ dialect });
    await earn(te, ada, 4);
    const c = await communityId(te);

    const opened = await useTipAuthor(te, ada, bob, "777", "menu1");
    expect(opened.form?.id).toBe("tip:author:discord:g1:bob discord:msg:777");
    expect(opened.form?.fields.map((f) => [f.id, f.required])).toEqual([["amount", true], ["reason", false]]);

    const bad = await submitForm(te, ada, opened.form!.id, { amount: "lots", reason: "" }, "f0");
    expect(bad).toMatchObject({ tone: "error", text: "“⟦l:lots⟧” is not an amount: give a whole number of points from 1 to 1000000." });
    const done = await submitForm(te, ada, opened.form!.id, { amount: " 10 ", reason: "the fix" }, "f1");
    expect(done.text).toContain("You tipped ⟦m:discord:g1:bob|bob⟧ 10 points (“⟦l:the fix⟧”): they get 9");
    const again = await submitForm(te, ada, opened.form!.id, { amount: "10", reason: "the fix" }, "f1");
    expect(again.text).toMatch(/^That tip was already counted/);
    expect(await balanceOf(te, bob, c)).toBe(9);
    const row = await te.db.kysely.selectFrom("tips").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source_message_key: "discord:msg:777", reason: "the fix", author_share: 9, pool_share: 1, giver_person: ada.id, receiver_person: bob.id });

    expect((await useTipAuthor(te, bob, bob, "778", "menu2")).text).toContain("You can't tip yourself");
    const forged = await submitForm(te, ada, "tip:author:slack:T1:U1", { amount: "1" }, "f2");
    expect(forged.text).toContain("no longer names the message's author");
  });

  it("GIVEN a tip made in a thread THEN the receiver is told in that thread, not by DM", async () => {
    te = await testEngine({ dialect });
    await earn(te, ada, 2);
    await tip(te, ada, bob, 5, { thread: "t1" });
    const rows = await te.db.kysely.selectFrom("outbox").selectAll().where("dedupe_key", "like", "tip:%").execute();
    expect(rows.map((r) => [r.operation, JSON.parse(r.destination!)])).toEqual([["post", { platform: "discord", workspaceId: "g1", channelId: "general", threadId: "t1" }]]);
  });

  it("GIVEN bob linked as ada's person WHEN ada tips bob THEN refused as tipping herself", async () => {
    te = await testEngine({ dialect });
    await earn(te, ada, 2);
    await earn(te, bob, 1);
    const c = await communityId(te);
    await te.db.kysely.updateTable("members").set({ person_id: ada.id }).where("member_id", "=", bob.id).execute();
    expect((await tip(te, ada, bob, 1)).text).toContain("That's you on another platform");
    expect((await tip(te, bob, ada, 1)).text).toContain("That's you on another platform");
    expect(await te.db.kysely.selectFrom("tips").selectAll().execute()).toHaveLength(0);
    expect(await balanceOf(te, ada, c)).toBe(10);
  });

  it("GIVEN ada tipped this week WHEN she runs /wallet THEN XP, level, balance and tips given vs allowance; for bob only XP and balance", async () => {
    te = await testEngine({ dialect });
    await earn(te, ada, 8);
    await tip(te, ada, bob, 10);
    const own = await te.engine.command(command({ name: "wallet", by: ada, at: te.clock.now() }));
    expect(own.text).toMatch(/^⟦m:discord:g1:ada\|ada⟧: lifetime XP 40 \(level \d+\) · balance 30 points · tips this week: 10 of 50 given \(resets ⟦t:\d+:full⟧\)\.$/);
    expect(own.footer).toContain("spending never lowers it");
    const other = await te.engine.command(command({ name: "wallet", by: ada, at: te.clock.now(), options: { member: { id: bob.id, displayName: "bob" } } }));
    expect(other.text).toBe("⟦m:discord:g1:bob|bob⟧: lifetime XP 0 (level 0) · balance 9 points.");
  });

  it("GIVEN a collusion item WHEN its card is drawn and a moderator confirms it THEN the history is shown, nothing is deleted or clawed back", async () => {
    te = await testEngine({ dialect, defaults: { ...withEconomy({ collusionTips: 2 }), channels: { announcements: null, modQueue: "discord:g1:modq", talks: null } as never } });
    await earn(te, ada, 4);
    await earn(te, bob, 4);
    const totals = await totalsSnapshot(te);
    await tip(te, ada, bob, 3);
    await tip(te, bob, ada, 2, { reason: "back *at* you" });

    const card = await te.db.kysely.selectFrom("outbox").selectAll().where("dedupe_key", "like", "modq:%").executeTakeFirstOrThrow();
    const reply = JSON.parse(card.reply!) as { text: string; buttons: { id: string; label: string }[] };
    expect(reply.text.split("\n")).toEqual([
      "Review #1: tips back and forth",
      expect.stringMatching(/^⟦l:ada and bob tipped each other 2 times in 7 days \(ada → bob 1 tip, 3 points; bob → ada 1 tip, 2 points; times in UTC\)⟧ \(last in ⟦c:discord:g1:general\|general⟧\)$/),
      expect.stringMatching(/^• ⟦l:Thu 26 Nov \d\d:\d\d ada → bob 3⟧$/),
      expect.stringMatching(/^• ⟦l:Thu 26 Nov \d\d:\d\d bob → ada 2 \(“back \*at\* you”\)⟧$/),
    ]);
    expect(reply.buttons.map((b) => [b.id, b.label])).toEqual([["mod:approve:1", "Looks fine"], ["mod:remove:1", "Confirm"]]);

    const mod = member("boss", { isPlatformAdmin: true });
    const decided = await te.engine.command(command({ name: "mod", subcommand: "remove", by: mod, at: te.clock.now(), options: { id: 1, penalise: true } }));
    expect(decided.text).toBe("Confirmed: review #1. Nothing was deleted or taken back; /mod adjust corrects points.");
    expect(await te.db.kysely.selectFrom("messages").selectAll().where("message_key", "like", "subject:%").execute()).toEqual([]);
    expect(await te.db.kysely.selectFrom("outbox").selectAll().where("operation", "=", "delete").execute()).toEqual([]);
    expect(await totalsSnapshot(te)).toBe(totals);
    const edit = await te.db.kysely.selectFrom("outbox").selectAll().where("operation", "=", "edit").executeTakeFirstOrThrow();
    expect(JSON.parse(edit.reply!).text).toContain("⚠️ Confirmed by");
  });
});
