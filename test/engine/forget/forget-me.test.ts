import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { plainText } from "../../../src/core/reply.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, message } from "../../helpers/events.js";
import { assertTotalsMatchLedger, snapshot } from "../../helpers/invariants.js";
import { bob, buildWorld, FOUND, forgetMe, ophelia, opheliaSlack, traces, type World } from "./forget-world.js";

/**
 * `/forget-me` through the engine, on SQLite and Postgres: a member who did a bit of everything
 * confirms with the button, and then nothing in the database names her — not her names, not her
 * words, not her ids (inside natural keys and JSON too) — while the ledger stays whole under a
 * pseudonym, equal to the totals; a replay of her old events brings nothing back; and if she comes
 * back she starts as a new member.
 */
describe.each(dialects)("forget me (%s)", (dialect) => {
  let w: World;
  let t: TestEngine;
  afterEach(() => t?.close());

  const board = async () => plainText((await t.engine.command({ ...command({ name: "leaderboard", by: bob, options: { period: "all" } }), at: t.clock.now() })).text);
  const ledger = () => t.db.kysely.selectFrom("ledger").select(["amount", "reason", "day"]).orderBy("at").orderBy("amount").orderBy("reason").execute();
  const pointsOf = async (memberId: string) => Number((await t.db.kysely.selectFrom("totals").select("points").where("period", "=", "all").where("member_id", "=", memberId).executeTakeFirst())?.points ?? 0);

  it("GIVEN Ophelia, linked on Discord and Slack, with posts, thanks, reactions, a flagged message, feedback, a review, a tip and an accepted answer WHEN she runs /forget-me and presses Forget me THEN her names, words, links and ids are gone everywhere, her ledger rows stay anonymised with ledger = totals, and the leaderboard no longer shows her", async () => {
    w = await buildWorld(dialect);
    t = w.t;
    // What there is to forget, first.
    expect((await traces(t)).length).toBeGreaterThan(30);
    expect(await t.db.kysely.selectFrom("kb_entries").select("question_key").execute()).toHaveLength(1);
    expect(await t.db.kysely.selectFrom("mod_items").select("excerpt").execute()).toEqual([{ excerpt: expect.stringContaining("spamcoin") }]);
    expect(await t.db.kysely.selectFrom("member_links").select("kind").execute()).toEqual([{ kind: "link" }]);
    expect(await board()).toContain("Ophelia");
    const ledgerBefore = await ledger();
    const bobBefore = await pointsOf(bob.id);
    const opheliaBefore = await pointsOf(ophelia.id);
    expect(opheliaBefore).toBeGreaterThan(0);

    const { asked, done } = await forgetMe(t, ophelia);

    expect(asked).toMatchObject({ ephemeral: true, tone: "warning", title: "Forget me?" });
    const question = plainText(asked.text);
    expect(question).toContain("your name, on your profile and wherever it was copied");
    expect(question).toContain("1 piece of feedback");
    expect(question).toContain("1 code review");
    expect(question).toContain("your linked Slack account, forgotten together with this one");
    expect(question).toContain(`Your ${opheliaBefore} points stay in the totals as “forgotten member”`);
    expect(asked.buttons?.map((b) => b.label)).toEqual(["Forget me", "Keep me"]);
    expect(done).toMatchObject({ ephemeral: true, tone: "success" });
    expect(plainText(done.text)).toMatch(/^You are forgotten here: \d+ records erased or anonymised across 2 linked accounts\./);

    expect(await traces(t)).toEqual([]);
    expect(await t.db.kysely.selectFrom("members").select("member_id").where("member_id", "in", [ophelia.id, opheliaSlack.id]).execute()).toEqual([]);
    expect(await t.db.kysely.selectFrom("member_links").selectAll().execute()).toEqual([]);
    expect(await t.db.kysely.selectFrom("member_link_codes").selectAll().execute()).toEqual([]);
    expect(await t.db.kysely.selectFrom("kb_entries").select("question_key").execute()).toEqual([]);
    expect(await t.db.kysely.selectFrom("mod_items").select("excerpt").execute()).toEqual([{ excerpt: "(forgotten)" }]);
    expect(await t.db.kysely.selectFrom("feedback").select(["text", "member_name"]).execute()).toEqual([{ text: "(forgotten)", member_name: "forgotten member" }]);
    // The ledger: the same rows and amounts, under a pseudonym; nobody else's points moved.
    expect(await ledger()).toEqual(ledgerBefore);
    await assertTotalsMatchLedger(t.db.kysely);
    expect(await pointsOf(bob.id)).toBe(bobBefore);
    const pseudonyms = await t.db.kysely.selectFrom("members").select(["member_id", "display_name", "person_id"]).where("member_id", "like", "forgotten:%").orderBy("member_id").execute();
    expect(pseudonyms).toHaveLength(2);
    expect(pseudonyms.map((p) => p.display_name)).toEqual(["forgotten member", "forgotten member"]);
    const person = pseudonyms.find((p) => p.person_id === null)!;
    expect(await pointsOf(person.member_id)).toBe(opheliaBefore);
    const shown = await board();
    expect(shown).not.toMatch(/ophelia/i);
    expect(shown).toContain(`forgotten member — ${opheliaBefore} points`);
    expect(await t.db.kysely.selectFrom("forgotten_members").select("member_hash").execute()).toHaveLength(2);
    if (dialect === "sqlite") {
      // Not only the rows: the bytes. Old row versions, freed pages, the full-text index's segments
      // and the write-ahead log hold her no more.
      await t.engine.drain();
      const bytes = [t.url, `${t.url}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString("latin1"));
      expect(bytes.filter((b) => FOUND.test(b))).toEqual([]);
    }
  });

  it("GIVEN Ophelia forgotten WHEN every event of the world is delivered again (same keys, same ids) THEN nothing comes back: no member row, no points, no names, nothing changed; AND when she posts after that she is a new member", async () => {
    w = await buildWorld(dialect);
    t = w.t;
    await forgetMe(t, ophelia);
    await t.engine.drain();
    const before = await snapshot(t.db.kysely);

    for (const e of w.events) await t.engine.ingest(e);
    // Her thanks message replayed by someone else still mentions her: the mention is dropped too.
    await t.engine.drain();

    expect(await snapshot(t.db.kysely)).toEqual(before);
    expect(await traces(t)).toEqual([]);
    await assertTotalsMatchLedger(t.db.kysely);

    // New activity, after the forgetting: a new member, from nothing.
    t.clock.advance(60 * 60_000);
    await t.engine.ingest(message({ id: "900", by: ophelia, at: t.clock.now(), text: "I'm back" }));
    await t.engine.drain();
    expect(await t.db.kysely.selectFrom("members").select(["display_name", "points"]).where("member_id", "=", ophelia.id).execute()).toEqual([{ display_name: "Ophelia", points: 5 }]);
    expect(await pointsOf(ophelia.id)).toBe(5);
    await assertTotalsMatchLedger(t.db.kysely);
  });

  it("GIVEN the confirmation WHEN she presses Keep me, or Forget me after ten minutes THEN nothing is forgotten", async () => {
    t = await testEngine({ dialect });
    await t.ingest(message({ id: "1", by: ophelia, at: t.clock.now(), text: "hello" }));
    const before = await snapshot(t.db.kysely);
    const asked = await t.engine.command({ ...command({ name: "forget-me", by: ophelia }), at: t.clock.now() });
    const press = (buttonId: string) => t.engine.press({ kind: "button", key: `press:${buttonId}:${t.clock.now().getTime()}`, at: t.clock.now(), place: { platform: "discord", workspaceId: "g1", channelId: "general" }, actor: ophelia, buttonId });
    expect(plainText((await press("forget-me:cancel")).text)).toBe("Nothing was forgotten.");
    t.clock.advance(11 * 60_000);
    const late = await press(asked.buttons![0]!.id);
    expect(late).toMatchObject({ ephemeral: true, tone: "error" });
    expect(plainText(late.text)).toContain("That confirmation has expired: nothing was forgotten.");
    expect(await snapshot(t.db.kysely)).toEqual(before);
    expect(await t.db.kysely.selectFrom("forgotten_members").selectAll().execute()).toEqual([]);
  });
});
