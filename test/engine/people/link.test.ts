import { afterEach, describe, expect, it } from "vitest";
import { plainText } from "../../../src/core/reply.js";
import { postMovement, standingOf } from "../../../src/engine/economy/wallet.js";
import { dialects } from "../../helpers/db.js";
import type { TestEngine } from "../../helpers/engine.js";
import { member, message, reaction } from "../../helpers/events.js";
import { assertTotalsMatchLedger, ownPointsFromLedger } from "../../helpers/invariants.js";
import { codeIn, commandBy, link, slackMember, slackMessage, slackReaction, twoPlatformEngine } from "./world.js";

const adaD = member("ada");
const bobD = member("bob");
const adaS = slackMember("UADA");
const bobS = slackMember("UBOB");

const T = (minutes: number) => new Date(Date.parse("2026-11-26T08:00:00Z") + minutes * 60_000).toISOString();

/** Both platforms' activity before linking: ada posts on each, bob reacts on each. */
const history = [
  message({ id: "d1", by: adaD, at: T(0) }),
  message({ id: "d2", by: adaD, at: T(5) }),
  reaction({ message: "d1", by: bobD, at: T(6) }),
  slackMessage({ ts: "1.1", by: adaS, at: T(1) }),
  slackMessage({ ts: "1.2", by: adaS, at: T(7) }),
  slackReaction({ ts: "1.1", by: bobS, at: T(8), author: adaS }),
];

async function board(t: TestEngine, by = adaS, period = "all") {
  const reply = await t.engine.command(commandBy(by, "leaderboard", { period }));
  return reply.ranking?.rows.map((r) => ({ name: plainText(r.name), value: r.value })) ?? [];
}

async function own(t: TestEngine, id: string): Promise<number> {
  return (await ownPointsFromLedger(t.db.kysely)).get(`${(await t.engine.communities.resolve({ platform: "discord", workspaceId: "g1" })).id}|${id}`) ?? 0;
}

describe.each(dialects)("one person across platforms (%s)", (dialect) => {
  let t: TestEngine;
  afterEach(() => t?.close());

  it("GIVEN a Discord and a Slack member linked WHEN both platforms' events are replayed and new ones arrive THEN each counts once, on one leaderboard row, and ledger = totals = histogram", async () => {
    t = await twoPlatformEngine(dialect);
    for (const e of history) await t.ingest(e);
    const ledgerBefore = await t.db.kysely.selectFrom("ledger").select("key").execute();
    expect(await board(t)).toEqual([
      { name: "@ada", value: 11 },
      { name: "@uada", value: 11 },
    ]);

    const linked = await link(t, adaD, adaS);
    expect(linked.tone).toBe("success");
    expect(plainText(linked.text)).toContain("you and ada are now one person");
    expect(await board(t)).toEqual([{ name: "@ada", value: 22 }]);
    await assertTotalsMatchLedger(t.db.kysely);

    // Every event again, from both platforms (a gateway resume, Slack retries): nothing moves.
    for (const e of history) expect((await t.ingest(e)).duplicate).toBe(true);
    expect(await t.db.kysely.selectFrom("ledger").select("key").execute()).toHaveLength(ledgerBefore.length);

    // New activity on both platforms adds to the one person (the Slack member's cached row was warm).
    await t.ingest(slackMessage({ ts: "1.3", by: adaS, at: T(20) }));
    await t.ingest(message({ id: "d3", by: adaD, at: T(21) }));
    await t.ingest(slackReaction({ ts: "1.3", by: bobS, at: T(22), author: adaS }));
    for (const period of ["all", "week", "month"]) expect(await board(t, adaD, period)).toEqual([{ name: "@ada", value: 33 }]);

    // /points asked by either member is the person's: P's name, the combined points, one rank.
    for (const who of [adaS, adaD]) {
      const points = await t.engine.command(commandBy(who, "points"));
      expect(plainText(points.text)).toMatch(/^@ada has 33 points: level 0, rank #1\./);
    }
    expect(await standingOf(t.db.kysely, (await t.engine.communities.resolve({ platform: "slack", workspaceId: "T1" })).id, adaS.id)).toMatchObject({ personId: adaD.id, xp: 33, balance: 33 });
    // Each ledger row stays under the member that earned it.
    expect(await own(t, adaS.id)).toBe(17);
    expect(await own(t, adaD.id)).toBe(16);
    await assertTotalsMatchLedger(t.db.kysely);
  });

  it("GIVEN a linked person WHEN the Slack member unlinks THEN each member's totals are its own ledger again, history is unchanged and neither balance is negative", async () => {
    t = await twoPlatformEngine(dialect);
    for (const e of history) await t.ingest(e);
    await link(t, adaD, adaS);
    await t.ingest(slackMessage({ ts: "1.3", by: adaS, at: T(20) }));
    const community = await t.engine.communities.resolve({ platform: "slack", workspaceId: "T1" });
    // The Slack member spent more than it earned alone (the person could afford it).
    await t.db.kysely.transaction().execute((trx) => postMovement(trx, community.id, { causeKey: "test:spend", kind: "purchase", at: T(30), legs: [{ account: adaS.id, amount: -20 }, { account: "@shop", amount: 20 }] }));
    expect((await standingOf(t.db.kysely, community.id, adaS.id)).balance).toBe(27 - 20);
    const ledger = await t.db.kysely.selectFrom("ledger").selectAll().orderBy("key").execute();

    const unlink = commandBy(adaS, "unlink");
    const reply = await t.engine.command(unlink);
    expect(reply.tone).toBe("success");
    expect(reply.text).toContain("4 points moved");
    // The same interaction again (a retry) answers as before and moves nothing twice.
    expect((await t.engine.command(unlink)).tone).toBe("success");
    expect(await t.db.kysely.selectFrom("ledger").selectAll().orderBy("key").execute()).toEqual(ledger);
    expect(await board(t)).toEqual([
      { name: "@uada", value: 16 },
      { name: "@ada", value: 11 },
    ]);
    const [s, d] = [await standingOf(t.db.kysely, community.id, adaS.id), await standingOf(t.db.kysely, community.id, adaD.id)];
    expect(s).toMatchObject({ personId: adaS.id, xp: 16, balance: 0 });
    expect(d).toMatchObject({ personId: adaD.id, xp: 11, balance: 7 });
    const settle = await t.db.kysely.selectFrom("wallet_entries").select(["account", "amount"]).where("kind", "=", "unlink-settle").orderBy("amount").execute();
    expect(settle).toEqual([{ account: adaD.id, amount: -4 }, { account: adaS.id, amount: 4 }]);
    await assertTotalsMatchLedger(t.db.kysely);

    // Going forward each earns alone; a replayed /unlink changes nothing.
    await t.ingest(slackMessage({ ts: "1.4", by: adaS, at: T(40) }));
    expect(await board(t)).toEqual([
      { name: "@uada", value: 21 },
      { name: "@ada", value: 11 },
    ]);
    expect((await t.engine.command(commandBy(adaS, "unlink"))).text).toContain("isn't linked");
    await assertTotalsMatchLedger(t.db.kysely);
  });

  it("GIVEN the canonical member unlinks THEN its secondary leaves, and they can link again (the other way round)", async () => {
    t = await twoPlatformEngine(dialect);
    for (const e of history) await t.ingest(e);
    await link(t, adaD, adaS);
    expect((await t.engine.command(commandBy(adaD, "unlink"))).tone).toBe("success");
    expect(await board(t)).toHaveLength(2);
    const again = await link(t, adaS, adaD);
    expect(again.tone).toBe("success");
    expect(await board(t)).toEqual([{ name: "@uada", value: 22 }]);
    await assertTotalsMatchLedger(t.db.kysely);
  });

  it("GIVEN a link that reaches a level by the combined total THEN it is recorded under the person and announced once", async () => {
    t = await twoPlatformEngine(dialect);
    // 30 points on each side: level 0 each, 60 together (level 1 at 50).
    for (let i = 0; i < 6; i++) {
      await t.ingest(message({ id: `d${i}`, by: adaD, at: T(i * 2) }));
      await t.ingest(slackMessage({ ts: `2.${i}`, by: adaS, at: T(i * 2 + 1) }));
    }
    await link(t, adaD, adaS);
    const ups = await t.db.kysely.selectFrom("level_ups").select(["member_id", "level", "announced_at"]).execute();
    expect(ups).toEqual([{ member_id: adaD.id, level: 1, announced_at: expect.any(String) }]);
    const posts = await t.db.kysely.selectFrom("outbox").select("dedupe_key").execute();
    expect(posts.filter((p) => p.dedupe_key.startsWith("levelup:"))).toHaveLength(1);
  });
});

describe.each(dialects)("levels of a linked person (%s)", (dialect) => {
  let t: TestEngine;
  afterEach(() => t?.close());

  it("GIVEN a linked person WHEN the Slack member's activity crosses a level THEN it is recorded once under the person, mentioning the Slack member", async () => {
    t = await twoPlatformEngine(dialect);
    for (let i = 0; i < 8; i++) await t.ingest(message({ id: `d${i}`, by: adaD, at: T(i * 2) }));
    await link(t, adaD, adaS);
    const first = await t.ingest(slackMessage({ ts: "3.1", by: adaS, at: T(30) }));
    expect(first.levelUps).toEqual([]);
    expect(first.awards.at(-1)?.total).toBe(45);
    const second = await t.ingest(slackMessage({ ts: "3.2", by: adaS, at: T(32) }));
    expect(second.levelUps).toEqual([{ memberId: adaS.id, personId: adaD.id, displayName: "uada", level: 1 }]);
    expect(second.awards.at(-1)?.total).toBe(50);
    expect((await t.ingest(message({ id: "d9", by: adaD, at: T(34) }))).levelUps).toEqual([]);
    expect(await t.db.kysely.selectFrom("level_ups").select(["member_id", "level"]).execute()).toEqual([{ member_id: adaD.id, level: 1 }]);
    const posts = await t.db.kysely.selectFrom("outbox").select("dedupe_key").execute();
    expect(posts.map((p) => p.dedupe_key).filter((k) => k.startsWith("levelup:"))).toHaveLength(1);
  });
});

describe("what /link refuses (sqlite)", () => {
  let t: TestEngine;
  afterEach(() => t?.close());

  it("GIVEN a community on one platform only THEN /link says an admin joins the other first", async () => {
    t = await (await import("../../helpers/engine.js")).testEngine();
    const reply = await t.engine.command(commandBy(adaD, "link"));
    expect(reply.tone).toBe("error");
    expect(reply.text).toContain("/config link");
  });

  it("GIVEN a code THEN it is refused on the same platform, by a bot, once used, once expired, when unknown or malformed, and for a person already on that platform", async () => {
    t = await twoPlatformEngine();
    const code = codeIn(await t.engine.command(commandBy(adaD, "link")));
    const refusal = async (by: typeof adaD, typed: string) => {
      const r = await t.engine.command(commandBy(by, "link", { code: typed }));
      expect(r.tone).toBe("error");
      return r.text;
    };
    expect(await refusal(bobD, code)).toContain("made on Discord");
    // The command runner refuses bots before /link runs (the service refuses them too).
    expect(await refusal(slackMember("UBOT", { isBot: true }), code)).toContain("Only members");
    expect(await refusal(adaS, "ZZZZ-ZZZZ")).toContain("doesn't exist");
    expect(await refusal(adaS, "hello")).toContain("isn't a link code");
    expect((await t.engine.command(commandBy(adaS, "link", { code: code.toLowerCase().replace("-", " ") }))).tone).toBe("success");
    expect(await refusal(bobS, code)).toContain("used already");
    // The person has a Slack member now: another Slack member can't join it.
    const second = codeIn(await t.engine.command(commandBy(adaD, "link")));
    expect(await refusal(bobS, second)).toContain("already has a linked account on Slack");
    // …and the linked Slack member can't link elsewhere before unlinking.
    const bobs = codeIn(await t.engine.command(commandBy(bobD, "link")));
    expect(await refusal(adaS, bobs)).toContain("linked already");
    // Ten minutes later a code is spent.
    t.clock.advance(10 * 60_000);
    expect(await refusal(bobS, bobs)).toContain("expired");
  });

  it("GIVEN three codes in an hour THEN a fourth waits, and a replayed /link spends nothing twice", async () => {
    t = await twoPlatformEngine();
    for (let i = 0; i < 3; i++) expect((await t.engine.command(commandBy(adaD, "link"))).tone).toBe("info");
    const fourth = await t.engine.command(commandBy(adaD, "link"));
    expect(fourth.tone).toBe("error");
    expect(fourth.text).toContain("try again after");
    t.clock.advance(60 * 60_000 + 1000);
    const code = codeIn(await t.engine.command(commandBy(adaD, "link")));
    const use = commandBy(adaS, "link", { code });
    expect((await t.engine.command(use)).tone).toBe("success");
    expect((await t.engine.command(use)).tone).toBe("success");
    expect(await t.db.kysely.selectFrom("member_links").selectAll().execute()).toHaveLength(1);
  });
});
