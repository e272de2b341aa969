import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Place } from "../../src/core/identity.js";
import { defaultSettings } from "../../src/engine/communities/settings.js";
import { dialects } from "../helpers/db.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";
import { deletion, member, message, place, reaction, ref } from "../helpers/events.js";
import { assertTotalsMatchLedger, snapshot } from "../helpers/invariants.js";

/** Regression tests named after the bugs of issue 7 §1, §5 (names) and §7 (drain). */
const ada = member("ada");
const bob = member("bob");
const cy = member("cy");
const S = (seconds: number) => new Date(Date.parse("2026-11-26T12:00:00Z") + seconds * 1000);
const RULES = { ...defaultSettings().points, thanksPerDay: 1 };

describe.each(dialects)("issue 7 regressions on %s", (dialect) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await testEngine({ dialect, start: "2026-11-28T00:00:00Z", defaults: { points: RULES } });
  });
  afterEach(async () => {
    await assertTotalsMatchLedger(t.db.kysely);
    await t.close();
  });

  const community = () => t.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
  const allTime = async (name: string) =>
    (await t.db.kysely.selectFrom("members").select("points").where("member_id", "=", `discord:g1:${name}`).executeTakeFirst())?.points ?? 0;
  const netOf = async (id: string) => (await t.db.kysely.selectFrom("messages").select("net").where("message_key", "=", `discord:msg:${id}`).executeTakeFirstOrThrow()).net;
  const memberRow = (name: string) => t.db.kysely.selectFrom("members").selectAll().where("member_id", "=", `discord:g1:${name}`).executeTakeFirst();

  it("GIVEN posts at 0 s, 50 s and 100 s (60 s cooldown) WHEN the 50 s one arrives first THEN they end as in order: 0 s and 100 s earn", async () => {
    await t.ingest(message({ id: "p50", by: ada, at: S(50) }));
    await t.ingest(message({ id: "p0", by: ada, at: S(0) }));
    await t.ingest(message({ id: "p100", by: ada, at: S(100) }));
    expect(await allTime("ada")).toBe(10);
    expect([await netOf("p0"), await netOf("p50"), await netOf("p100")]).toEqual([5, 0, 5]);
    // The correction is a new row: p50's award stays in the ledger, taken back by p50:fix:1.
    const rows = await t.db.kysely.selectFrom("ledger").select(["key", "amount"]).where("source_key", "=", "discord:msg:p50").orderBy("key").execute();
    expect(rows).toEqual([
      { key: "discord:msg:p50", amount: 5 },
      { key: "discord:msg:p50:fix:1", amount: -5 },
    ]);
    // The state is the in-order one, so the next post is judged as in order.
    expect(await memberRow("ada")).toMatchObject({ last_message_award_at: S(100).toISOString(), activity_points: 10 });
    expect((await t.ingest(message({ id: "p130", by: ada, at: S(130) }))).skipped).toEqual([{ memberId: ada.id, reason: "cooldown" }]);
  });

  it("GIVEN a reaction that arrives before its message (no author on the reaction) THEN it is kept and earns when the message arrives", async () => {
    const early = await t.ingest(reaction({ message: "m1", by: bob, at: S(30) }));
    expect(early.skipped).toEqual([{ reason: "unknown-message" }]);
    const created = await t.ingest(message({ id: "m1", by: ada, at: S(0) }));
    expect(created.awards.map((a) => [a.reason, a.amount])).toEqual([
      ["post", 5],
      ["reaction", 1],
    ]);
    expect(await allTime("ada")).toBe(6);
    // A re-delivery of the early reaction changes nothing.
    expect((await t.ingest(reaction({ message: "m1", by: bob, at: S(30) }))).duplicate).toBe(true);
  });

  it("GIVEN a message stamped in the year 275760 THEN it earns nothing and moves no state: the member's later messages earn as usual", async () => {
    const far = await t.ingest(message({ id: "future", by: ada, at: new Date(8.64e15) }));
    expect(far.skipped).toEqual([{ memberId: ada.id, reason: "bad-timestamp" }]);
    expect(await memberRow("ada")).toMatchObject({ watermark_at: null, last_message_award_at: null });
    await t.ingest(message({ id: "now1", by: ada, at: S(0) }));
    await t.ingest(message({ id: "now2", by: ada, at: S(120) }));
    expect(await allTime("ada")).toBe(10);
    // Five minutes ahead of the engine's clock is tolerated; more is not.
    t.clock.set(S(0));
    expect((await t.ingest(message({ id: "ahead4", by: bob, at: S(4 * 60) }))).awards).toHaveLength(1);
    expect((await t.ingest(message({ id: "ahead6", by: bob, at: S(6 * 60) }))).skipped).toEqual([{ memberId: bob.id, reason: "bad-timestamp" }]);
    // Reactions to the far-future message still find its author, at their own (sane) times.
    expect((await t.ingest(reaction({ message: "future", by: bob, at: S(200) }))).awards[0]).toMatchObject({ memberId: ada.id, amount: 1 });
  });

  it("GIVEN a refused /thanks (self, bot, spent budget, or one that earns nothing) THEN it creates and renames no member row", async () => {
    const c = await community();
    const at = S(0);
    const thanks = (receiver: { id: string; displayName?: string; isBot?: boolean }, sourceKey: string, when = at) =>
      t.engine.services.points.thank(c, { sourceKey, giver: ada, receiver, at: when, place: place() as Place });
    const evil = "SCAMMER \u202eemag\u202c " + "x".repeat(1_000_000);

    expect((await thanks({ id: ada.id, displayName: evil }, "k-self")).skipped).toEqual([{ memberId: ada.id, reason: "self" }]);
    expect((await thanks({ id: "discord:g1:robo", displayName: evil, isBot: true }, "k-bot")).skipped).toEqual([{ memberId: "discord:g1:robo", reason: "bot" }]);
    expect(await t.db.kysely.selectFrom("members").select("member_id").execute()).toEqual([]);

    // Budget: one thanks a day in these rules; the second is refused.
    await t.ingest(message({ id: "b", by: bob, at: S(-3600) }));
    expect((await thanks(ref("bob"), "k-first")).awards).toHaveLength(1);
    const before = await snapshot(t.db.kysely);
    expect((await thanks({ id: "discord:g1:newcomer", displayName: evil }, "k-budget", S(10))).skipped).toEqual([{ memberId: ada.id, reason: "thanks-budget" }]);
    expect((await thanks({ id: bob.id, displayName: evil }, "k-budget2", S(20))).skipped).toEqual([{ memberId: ada.id, reason: "thanks-budget" }]);
    expect(await snapshot(t.db.kysely)).toEqual(before);

    // Earning nothing (the receiver is at today's cap): the budget is spent, the receiver not renamed.
    for (let i = 0; i < 40; i++) await t.ingest(message({ id: `cap${i}`, by: cy, at: S(3600 + i * 120) }));
    expect(await allTime("cy")).toBe(200);
    const zero = await t.engine.services.points.thank(c, { sourceKey: "k-zero", giver: bob, receiver: { id: cy.id, displayName: evil }, at: S(9000), place: place() as Place });
    expect(zero.awards).toEqual([]);
    expect(zero.skipped).toEqual([{ memberId: cy.id, reason: "daily-cap" }]);
    expect((await memberRow("cy"))?.display_name).toBe("cy");
    expect((await memberRow("bob"))?.thanks_given).toBe(1);
  });

  it("GIVEN display names with control, bidi-override and a million characters THEN they are stored cleaned and at most 80 characters", async () => {
    await t.ingest(message({ id: "n1", by: member("eve", { displayName: "eve\u202e\u2066lin\u0007\u0085\nk\u2069" }), at: S(0) }));
    expect((await memberRow("eve"))?.display_name).toBe("eve lin k");
    await t.ingest(message({ id: "n2", by: member("eve", { displayName: `😀${"y".repeat(1_000_000)}` }), at: S(120) }));
    const long = (await memberRow("eve"))?.display_name ?? "";
    expect(Array.from(long)).toHaveLength(80);
    expect(long.startsWith("😀yyy")).toBe(true);
    // Nothing printable left: the name falls back to the id's last part.
    await t.ingest(message({ id: "n3", by: member("zed", { displayName: "\u202e\u0000" }), at: S(0) }));
    expect((await memberRow("zed"))?.display_name).toBe("zed");
    // A reacted message's author named by the platform (Slack's item_user) is cleaned too.
    await t.ingest(reaction({ message: "unseen", by: bob, at: S(10), author: { id: "discord:g1:old", displayName: "old\u202eman" } }));
    expect((await memberRow("old"))?.display_name).toBe("old man");
  });

  it("GIVEN a late thanks that pushes another out of its giver's budget THEN the other receiver's day is recomputed and their capped post earns", async () => {
    // Bob is at the cap when his post arrives; Ada's earlier thanks to Cy, arriving last, means her
    // thanks to Bob never counted, which frees the room the post needed.
    for (let i = 0; i < 38; i++) await t.ingest(message({ id: `b${i}`, by: bob, at: S(i * 120) }));
    await t.ingest(message({ id: "t-bob", by: ada, at: S(5000), text: "thanks @bob", mentions: [ref("bob")] }));
    const capped = await t.ingest(message({ id: "b-last", by: bob, at: S(6000) }));
    expect(capped.skipped).toEqual([{ memberId: bob.id, reason: "daily-cap" }]);
    expect(await allTime("bob")).toBe(200);
    const late = await t.ingest(message({ id: "t-cy", by: ada, at: S(4000), text: "thanks @cy", mentions: [ref("cy")] }));
    expect(late.awards.map((a) => [a.memberId.split(":").pop(), a.reason, a.amount]).sort()).toEqual([
      ["ada", "post", 5],
      ["bob", "fix:thanks", -10],
      ["bob", "post", 5],
      ["cy", "thanks", 10],
    ]);
    expect(await allTime("bob")).toBe(195);
  });

  it("GIVEN a level reached and then lost by a correction THEN it stays recorded and is not announced again", async () => {
    const seen: string[] = [];
    t.engine.onLevelUp((l) => seen.push(`${l.memberId.split(":").pop()}:${l.level}`));
    for (let i = 0; i < 8; i++) await t.ingest(message({ id: `b${i}`, by: bob, at: S(i * 120) }));
    await t.ingest(message({ id: "t-bob", by: ada, at: S(2000), text: "thanks @bob", mentions: [ref("bob")] }));
    expect(await allTime("bob")).toBe(50);
    expect(seen).toEqual(["bob:1"]);
    await t.ingest(message({ id: "t-cy", by: ada, at: S(1500), text: "thanks @cy", mentions: [ref("cy")] }));
    expect(await allTime("bob")).toBe(40);
    await t.ingest(message({ id: "b-more", by: bob, at: S(3000) }));
    await t.ingest(message({ id: "b-again", by: bob, at: S(3200) }));
    expect(await allTime("bob")).toBe(50);
    expect(seen).toEqual(["bob:1"]);
    const levels = await t.db.kysely.selectFrom("level_ups").select(["member_id", "level"]).execute();
    expect(levels).toEqual([{ member_id: bob.id, level: 1 }]);
  });

  it("GIVEN a delete delivered again with an earlier stamp THEN a reaction between the stamps never stood, and the room it took is given back", async () => {
    // Discord's deletes carry no time: each delivery is stamped on arrival, so they can differ.
    for (let i = 0; i < 39; i++) await t.ingest(message({ id: `p${i}`, by: ada, at: S(i * 120) }));
    await t.ingest(reaction({ message: "p0", by: bob, at: S(5000) }));
    const last = await t.ingest(message({ id: "p39", by: ada, at: S(6000) }));
    expect(last.awards[0]?.amount).toBe(4); // 195 + the reaction's 1: room for 4
    await t.ingest(deletion({ message: "p0", at: S(7000) }));
    expect(await allTime("ada")).toBe(194);
    await t.ingest(deletion({ message: "p0", at: S(4800) }));
    expect(await allTime("ada")).toBe(195);
    expect(await t.ingest(deletion({ message: "p0", at: S(6500) }))).toMatchObject({ duplicate: true });
  });

  it("GIVEN an ingest still resolving its community WHEN the engine drains THEN drain waits for it to commit", async () => {
    // The community is not resolved yet: the ingest has not reached the write queue when drain starts.
    const pending = t.ingest(message({ id: "d1", by: ada, at: S(0) }));
    let settled = false;
    void pending.then(() => (settled = true));
    await t.engine.drain();
    expect(settled).toBe(true);
    expect(await allTime("ada")).toBe(5);
  });
});
