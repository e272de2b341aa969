import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertTotalsMatchLedger, snapshot } from "../helpers/invariants.js";
import { dialects } from "../helpers/db.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";
import { deletion, member, message, reaction, ref } from "../helpers/events.js";

const ada = member("ada");
const bob = member("bob");
const bot = member("helperbot", { isBot: true });
const T = (minutes: number) => new Date(Date.parse("2026-11-26T12:00:00Z") + minutes * 60_000);

describe.each(dialects)("points on %s", (dialect) => {
  let t: TestEngine;
  beforeEach(async () => {
    // The engine's clock is after every event below: events stamped ahead of it earn nothing.
    t = await testEngine({ dialect, start: "2026-11-28T00:00:00Z" });
  });
  afterEach(async () => {
    await assertTotalsMatchLedger(t.db.kysely);
    await t.close();
  });

  const allTime = async (name: string) =>
    (
      await t.db.kysely
        .selectFrom("totals")
        .select("points")
        .where("period", "=", "all")
        .where("member_id", "=", `discord:g1:${name}`)
        .executeTakeFirst()
    )?.points ?? 0;

  describe("messages", () => {
    it("GIVEN a post and a thread reply THEN the author earns 5 and 2", async () => {
      await t.ingest(message({ id: "m1", by: ada, at: T(0) }));
      await t.ingest(message({ id: "m2", by: ada, at: T(2), thread: "m1" }));
      expect(await allTime("ada")).toBe(7);
    });

    it("GIVEN the same message delivered twice THEN it earns once and the second says duplicate", async () => {
      const first = await t.ingest(message({ id: "m1", by: ada, at: T(0) }));
      const second = await t.ingest(message({ id: "m1", by: ada, at: T(0) }));
      expect(first.awards).toHaveLength(1);
      expect(second.duplicate).toBe(true);
      expect(await allTime("ada")).toBe(5);
    });

    it("GIVEN two posts 30 s apart THEN only the first earns (60 s cooldown)", async () => {
      await t.ingest(message({ id: "m1", by: ada, at: "2026-11-26T12:00:00Z" }));
      const second = await t.ingest(message({ id: "m2", by: ada, at: "2026-11-26T12:00:30Z" }));
      const third = await t.ingest(message({ id: "m3", by: ada, at: "2026-11-26T12:01:00Z" }));
      expect(second.skipped).toEqual([{ memberId: ada.id, reason: "cooldown" }]);
      expect(third.awards[0]?.amount).toBe(5);
      expect(await allTime("ada")).toBe(10);
    });

    it("GIVEN a message older than the last awarded one (a late retry) THEN it earns as it would have in order", async () => {
      await t.ingest(message({ id: "m2", by: ada, at: T(10) }));
      const late = await t.ingest(message({ id: "m1", by: ada, at: T(0) }));
      expect(late.awards.map((a) => a.amount)).toEqual([5]);
      expect(await allTime("ada")).toBe(10);
    });

    it("GIVEN a bot's message THEN nothing is stored or earned", async () => {
      const outcome = await t.ingest(message({ id: "m1", by: bot, at: T(0) }));
      expect(outcome.skipped[0]?.reason).toBe("bot");
      expect((await snapshot(t.db.kysely)).ledger).toEqual([]);
    });

    it("GIVEN the daily cap THEN awards stop at 200 for the day and resume the next day", async () => {
      for (let i = 0; i < 45; i++) await t.ingest(message({ id: `m${i}`, by: ada, at: T(i * 2) }));
      expect(await allTime("ada")).toBe(200);
      await t.ingest(message({ id: "tomorrow", by: ada, at: "2026-11-27T09:00:00Z" }));
      expect(await allTime("ada")).toBe(205);
    });

    it("GIVEN the community's timezone THEN the day boundary for the cap is local midnight", async () => {
      const admin = member("ada", { isPlatformAdmin: true });
      const set = await t.engine.command({ kind: "command", key: "k1", at: T(0), place: { platform: "discord", workspaceId: "g1", channelId: "c" }, actor: admin, name: "config", subcommand: "set", options: { key: "timezone", value: "America/New_York" } });
      expect(set.tone).toBe("success");
      // 04:00 UTC on the 27th is still the 26th in New York: same day as 12:00 UTC on the 26th.
      for (let i = 0; i < 40; i++) await t.ingest(message({ id: `a${i}`, by: bob, at: T(i * 2) }));
      const sameDay = await t.ingest(message({ id: "late-night", by: bob, at: "2026-11-27T04:00:00Z" }));
      expect(sameDay.skipped[0]?.reason).toBe("daily-cap");
      const nextDay = await t.ingest(message({ id: "morning", by: bob, at: "2026-11-27T06:00:00Z" }));
      expect(nextDay.awards[0]?.amount).toBe(5);
    });

    it("GIVEN a deleted message THEN its post points and the reactions it received are reversed", async () => {
      await t.ingest(message({ id: "m1", by: ada, at: T(0) }));
      await t.ingest(reaction({ message: "m1", by: bob, at: T(1) }));
      const deleted = await t.ingest(deletion({ message: "m1", at: T(2) }));
      expect(deleted.awards.map((a) => a.amount).sort()).toEqual([-1, -5]);
      expect(await allTime("ada")).toBe(0);
      const again = await t.ingest(deletion({ message: "m1", at: T(3) }));
      expect(again.duplicate).toBe(true);
    });

    it("GIVEN a delete that arrives before its message THEN the message earns nothing when it comes, but takes its cooldown as in order", async () => {
      await t.ingest(deletion({ message: "m1", at: T(1) }));
      const late = await t.ingest(message({ id: "m1", by: ada, at: T(0) }));
      expect(late.awards).toEqual([]);
      expect(await allTime("ada")).toBe(0);
      const soon = await t.ingest(message({ id: "m2", by: ada, at: T(0.5) }));
      expect(soon.skipped).toEqual([{ memberId: ada.id, reason: "cooldown" }]);
    });

    it("GIVEN a no-points channel THEN posts there earn nothing", async () => {
      const admin = member("ada", { isPlatformAdmin: true });
      await t.engine.command({ kind: "command", key: "k1", at: T(0), place: { platform: "discord", workspaceId: "g1", channelId: "c" }, actor: admin, name: "config", subcommand: "set", options: { key: "points.noPointsChannels", value: "<#555>" } });
      const outcome = await t.ingest(message({ id: "m1", by: bob, at: T(0), channel: "555" }));
      expect(outcome.skipped[0]?.reason).toBe("no-points-channel");
    });
  });

  describe("failures inside a batch", () => {
    it("GIVEN a write that fails in the same batch as two posts THEN the posts still land once, with the cooldown state right", async () => {
      // Resolved first, so all four writes are queued in the same turn and share one batch.
      await t.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
      const first = t.ingest(message({ id: "m1", by: ada, at: T(0) }));
      const failing = t.engine.writes.submit(async () => {
        throw new Error("disk on fire");
      });
      const second = t.ingest(message({ id: "m2", by: ada, at: T(0.5) }));
      const third = t.ingest(message({ id: "m3", by: ada, at: T(2) }));
      await expect(failing).rejects.toThrow("disk on fire");
      expect((await first).awards[0]?.amount).toBe(5);
      expect((await second).skipped[0]?.reason).toBe("cooldown");
      expect((await third).awards[0]?.amount).toBe(5);
      expect(await allTime("ada")).toBe(10);
      const row = await t.db.kysely.selectFrom("members").selectAll().where("member_id", "=", ada.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ activity_points: 10, last_message_award_at: T(2).toISOString() });
    });
  });

  describe("reactions", () => {
    beforeEach(async () => {
      await t.ingest(message({ id: "m1", by: ada, at: T(0) }));
    });

    it("GIVEN a reaction THEN the author earns 1 and the reactor nothing", async () => {
      await t.ingest(reaction({ message: "m1", by: bob, at: T(1) }));
      expect(await allTime("ada")).toBe(6);
      expect(await allTime("bob")).toBe(0);
    });

    it("GIVEN a reaction added then removed THEN it nets to zero, and a re-add earns nothing more", async () => {
      await t.ingest(reaction({ message: "m1", by: bob, at: T(1) }));
      await t.ingest(reaction({ message: "m1", by: bob, at: T(2), added: false }));
      expect(await allTime("ada")).toBe(5);
      const readd = await t.ingest(reaction({ message: "m1", by: bob, at: T(3) }));
      expect(readd.duplicate).toBe(true);
      expect(await allTime("ada")).toBe(5);
    });

    it("GIVEN a removal that arrives before its add THEN the pair nets to zero", async () => {
      await t.ingest(reaction({ message: "m1", by: bob, at: T(2), added: false }));
      const add = await t.ingest(reaction({ message: "m1", by: bob, at: T(1) }));
      expect(add.awards).toEqual([]);
      expect(await allTime("ada")).toBe(5);
    });

    it("GIVEN a self-reaction or a bot's reaction THEN nobody earns", async () => {
      expect((await t.ingest(reaction({ message: "m1", by: ada, at: T(1) }))).skipped[0]?.reason).toBe("self");
      expect((await t.ingest(reaction({ message: "m1", by: bot, at: T(1) }))).skipped[0]?.reason).toBe("bot");
      expect(await allTime("ada")).toBe(5);
    });

    it("GIVEN a reaction on a message the bot never saw THEN the author named by the platform earns", async () => {
      const outcome = await t.ingest(reaction({ message: "old", by: bob, at: T(1), author: ref("carol") }));
      expect(outcome.awards[0]).toMatchObject({ memberId: "discord:g1:carol", amount: 1 });
    });

    it("GIVEN a reaction on an unknown message with no author THEN it is skipped", async () => {
      const outcome = await t.ingest(reaction({ message: "old", by: bob, at: T(1) }));
      expect(outcome.skipped[0]?.reason).toBe("unknown-message");
    });
  });

  describe("thanks in messages", () => {
    it("GIVEN 'thanks @bob' THEN bob earns 10 once, even if mentioned twice", async () => {
      const outcome = await t.ingest(message({ id: "m1", by: ada, at: T(0), text: "thanks @bob, really, thanks @bob", mentions: [ref("bob"), ref("bob")] }));
      expect(outcome.awards.map((a) => [a.memberId, a.amount])).toEqual([
        [ada.id, 5],
        [bob.id, 10],
      ]);
      expect(await allTime("bob")).toBe(10);
    });

    it("GIVEN a mention without a thanks word THEN nobody is thanked", async () => {
      await t.ingest(message({ id: "m1", by: ada, at: T(0), text: "@bob have a look", mentions: [ref("bob")] }));
      expect(await allTime("bob")).toBe(0);
    });

    it.each(["thank you @bob", "thx @bob", "ty @bob", "+rep @bob", "Thanks!! @bob"])("GIVEN %j THEN it counts as thanks", async (text) => {
      await t.ingest(message({ id: "m1", by: ada, at: T(0), text, mentions: [ref("bob")] }));
      expect(await allTime("bob")).toBe(10);
    });

    it.each(["tyranny @bob", "thanksgiving @bob"])("GIVEN %j THEN it is not a thanks", async (text) => {
      await t.ingest(message({ id: "m1", by: ada, at: T(0), text, mentions: [ref("bob")] }));
      expect(await allTime("bob")).toBe(0);
    });

    it("GIVEN six thanks in a day THEN the sixth earns nothing (5 per day)", async () => {
      for (let i = 0; i < 6; i++) {
        await t.ingest(message({ id: `m${i}`, by: ada, at: T(i * 2), text: `thanks @p${i}`, mentions: [ref(`p${i}`)] }));
      }
      expect(await allTime("p4")).toBe(10);
      expect(await allTime("p5")).toBe(0);
    });

    it("GIVEN self-thanks THEN it earns nothing", async () => {
      const outcome = await t.ingest(message({ id: "m1", by: ada, at: T(0), text: "thanks @ada", mentions: [ref("ada")] }));
      expect(outcome.skipped).toContainEqual({ memberId: ada.id, reason: "self" });
    });
  });

  describe("levels", () => {
    it("GIVEN points crossing 50 THEN a level-up to 1 is reported once", async () => {
      const seen: number[] = [];
      t.engine.onLevelUp((l) => seen.push(l.level));
      for (let i = 0; i < 12; i++) await t.ingest(message({ id: `m${i}`, by: ada, at: T(i * 2) }));
      expect(seen).toEqual([1]);
    });

    it("GIVEN a level lost by a reversal and reached again THEN it is announced only the first time", async () => {
      const seen: number[] = [];
      t.engine.onLevelUp((l) => seen.push(l.level));
      for (let i = 0; i < 10; i++) await t.ingest(message({ id: `m${i}`, by: ada, at: T(i * 2) }));
      expect(seen).toEqual([1]);
      await t.ingest(deletion({ message: "m9", at: T(30) }));
      await t.ingest(message({ id: "again", by: ada, at: T(40) }));
      expect(await allTime("ada")).toBe(50);
      expect(seen).toEqual([1]);
      // Decided once, with the level-up: one announcement in the outbox, nothing left pending.
      const community = await t.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
      expect(await t.engine.levels.pending(community)).toEqual([]);
      const posts = await t.db.kysely.selectFrom("outbox").select(["dedupe_key", "destination"]).execute();
      expect(posts).toEqual([{ dedupe_key: expect.stringContaining(`levelup:${community.id}:${ada.id}:1`), destination: expect.stringContaining('"channelId":"general"') }]);
    });
  });
});
