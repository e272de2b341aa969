/**
 * The outbox contract: what every platform's `Outbox` must do, as one suite run against each
 * adapter through its local fake (Discord: real @discordjs/rest against the fake Discord; Slack:
 * the real @slack/web-api WebClient against the fake Slack; the console: its transcript).
 *
 * Each case reads what the platform now shows (`shown`) and what it received (`received`), so a
 * passing suite means the platform really holds the message, not just that a call returned ok.
 * The retry cases run through the delivery loop on an injected clock: the retry time is read off
 * the clock, never waited for.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { Place } from "../../src/core/identity.js";
import type { Outbox } from "../../src/core/outbox.js";
import { ManualTimer, OutboxDelivery, OutboxWriter } from "../../src/engine/outbox/index.js";
import { findOutboxRow } from "../../src/engine/outbox/outbox.repo.js";
import { renderLeaderboard, renderRankCard } from "../../src/engine/pictures/index.js";
import { openTestDb, type TestDb } from "../helpers/db.js";
import { decodePicture, looksDrawn } from "../helpers/png.js";
import { silentLog } from "../helpers/engine.js";

/** One platform, set up for the contract. */
export interface OutboxHarness {
  readonly outbox: Outbox;
  /** A channel the bot may post in, and a thread in it. */
  readonly channel: Place;
  readonly thread: Place;
  /** Namespaced ids: a member who takes direct messages, and one whose DMs are closed to the bot. */
  readonly member: string;
  readonly memberWithClosedDms: string;
  /** Whether the bot may delete a member's message here (Discord with Manage Messages: yes; a Slack bot token: no). */
  readonly deletesMemberMessages: boolean;
  /** A new message by a member in `channel`; its platform id. */
  memberMessage(): Promise<string>;
  /** Takes away the bot's right to delete members' messages; absent where there is none to take (the console). */
  refuseDeletes?: () => void;
  /** The bot's messages the platform shows now at a place (channel, thread or DM), oldest first. */
  shown(place: Place): { messageId: string; text: string }[];
  /** The pictures (PNG bytes) the platform received with the bot's posts at a place, oldest first. */
  pictures(place: Place): Buffer[];
  /** Post, edit and delete requests the platform received, in order, and whether it did them. */
  received(): { op: "post" | "edit" | "delete"; ok: boolean }[];
  /** The next post is answered 429 with `Retry-After: seconds`; absent where there are no rate limits (the console). */
  rateLimitNextPost?: (seconds: number) => void;
  /** The next post fails in a way worth retrying (a 5xx, Slack's service_unavailable, a failing terminal). */
  failNextPost(): void;
  /** The suite moved its clock; a client that keeps its own time (REST's rate-limit buckets) follows. */
  timeMoved(now: Date): void;
  close(): Promise<void>;
}

export const CONTRACT_START = "2026-12-01T09:00:00.000Z";

export function outboxContract(name: string, makeHarness: (start: Date) => Promise<OutboxHarness>): void {
  describe(`the ${name} outbox contract`, () => {
    let h: OutboxHarness;
    beforeEach(async () => {
      h = await makeHarness(new Date(CONTRACT_START));
    });
    afterEach(() => h.close());

    it("GIVEN a post THEN the platform shows it in the channel, under the id returned", async () => {
      const result = await h.outbox.post(h.channel, { text: "Welcome to the community" }, "contract:post");
      expect(result.ok).toBe(true);
      const shown = h.shown(h.channel);
      expect(shown).toHaveLength(1);
      expect(shown[0]).toMatchObject({ messageId: result.ok ? result.messageId : "", text: expect.stringContaining("Welcome to the community") });
    });

    it("GIVEN a post into a thread THEN it shows in the thread, not in the channel", async () => {
      const result = await h.outbox.post(h.thread, { text: "An answer in the thread" }, "contract:thread");
      expect(result.ok).toBe(true);
      expect(h.shown(h.thread).map((m) => m.text)).toEqual([expect.stringContaining("An answer in the thread")]);
      expect(h.shown(h.channel)).toEqual([]);
    });

    it("GIVEN a post with a picture into a thread THEN the thread shows the text and holds the same PNG, decoded to its size", async () => {
      const picture = renderLeaderboard({ title: "Leaderboard — week 49", rows: [{ rank: 1, name: "ada", points: 40, level: 0 }] });
      const result = await h.outbox.post(h.thread, { text: "Leaderboard — week 49: 1. ada", attachments: [picture] }, "contract:picture");
      expect(result.ok).toBe(true);
      expect(h.shown(h.thread).map((m) => m.text)).toEqual([expect.stringContaining("Leaderboard — week 49")]);
      const received = h.pictures(h.thread);
      expect(received.map((png) => png.toString("base64"))).toEqual([picture.data]);
      expect(await decodePicture(received[0]!)).toMatchObject({ width: 800 });
      expect(h.pictures(h.channel)).toEqual([]);
    });

    it("GIVEN an edit of the bot's post THEN the same message shows the new words", async () => {
      const posted = await h.outbox.post(h.channel, { text: "Talk at 18:00" }, "contract:edit");
      if (!posted.ok) throw new Error(posted.detail);
      const edited = await h.outbox.edit(h.channel, posted.messageId, { text: "Talk moved to 19:00" });
      expect(edited).toEqual({ ok: true, messageId: posted.messageId });
      expect(h.shown(h.channel)).toEqual([{ messageId: posted.messageId, text: expect.stringContaining("Talk moved to 19:00") }]);
    });

    it("GIVEN a delete of the bot's post THEN the platform no longer shows it", async () => {
      const posted = await h.outbox.post(h.channel, { text: "Soon gone" }, "contract:delete");
      if (!posted.ok) throw new Error(posted.detail);
      expect(await h.outbox.delete(h.channel, posted.messageId)).toEqual({ ok: true });
      expect(h.shown(h.channel)).toEqual([]);
    });

    it("GIVEN a delete of a member's message THEN it is deleted where the platform lets the bot, else the answer is not-allowed", async () => {
      const messageId = await h.memberMessage();
      const result = await h.outbox.delete(h.channel, messageId);
      if (h.deletesMemberMessages) expect(result).toEqual({ ok: true });
      else expect(result).toMatchObject({ ok: false, reason: "not-allowed" });
    });

    it("GIVEN the bot lost the right to delete members' messages THEN a delete answers not-allowed, not an exception", async (ctx) => {
      if (!h.refuseDeletes) return ctx.skip("this platform has no right to delete to take away");
      h.refuseDeletes();
      const result = await h.outbox.delete(h.channel, await h.memberMessage());
      expect(result).toMatchObject({ ok: false, reason: "not-allowed", detail: expect.any(String) });
    });

    it("GIVEN a delete of a message that does not exist THEN the answer is not-found", async () => {
      const posted = await h.outbox.post(h.channel, { text: "Here and gone" }, "contract:gone");
      if (!posted.ok) throw new Error(posted.detail);
      await h.outbox.delete(h.channel, posted.messageId);
      expect(await h.outbox.delete(h.channel, posted.messageId)).toMatchObject({ ok: false, reason: "not-found" });
    });

    it("GIVEN a direct message THEN the member's conversation shows it, and it can be edited there", async () => {
      const result = await h.outbox.dm(h.member, { text: "Your talk is tomorrow" }, "contract:dm");
      if (!result.ok) throw new Error(result.detail);
      expect(h.shown(result.place)).toEqual([{ messageId: result.messageId, text: expect.stringContaining("Your talk is tomorrow") }]);
      expect(await h.outbox.edit(result.place, result.messageId, { text: "Your talk is on Friday" })).toMatchObject({ ok: true });
      expect(h.shown(result.place).map((m) => m.text)).toEqual([expect.stringContaining("Your talk is on Friday")]);
    });

    it("GIVEN a direct message to a member whose DMs are closed to the bot THEN the answer is not-allowed, not an exception", async () => {
      const result = await h.outbox.dm(h.memberWithClosedDms, { text: "Hello?" }, "contract:dm-closed");
      expect(result).toMatchObject({ ok: false, reason: "not-allowed", detail: expect.any(String) });
    });

    describe("through the delivery loop", () => {
      let t: TestDb;
      let clock: ManualClock;
      let delivery: OutboxDelivery;
      let writer: OutboxWriter;
      const advance = (ms: number) => h.timeMoved(clock.advance(ms));
      beforeEach(async () => {
        t = await openTestDb("sqlite");
        clock = new ManualClock(CONTRACT_START);
        writer = new OutboxWriter(clock);
        delivery = new OutboxDelivery({ db: t.db.kysely, clock, log: silentLog, timer: new ManualTimer(clock), random: () => 0, policy: { rateLimitJitterMs: 0 } });
        delivery.register(h.outbox.platform, h.outbox);
      });
      afterEach(() => t.cleanup());

      it("GIVEN a 429 with Retry-After THEN the retry is due no earlier than Retry-After on the clock, nothing is sent before, and then it is posted once", async (ctx) => {
        if (!h.rateLimitNextPost) return ctx.skip("this platform has no rate limits");
        h.rateLimitNextPost(3);
        await writer.enqueue(t.db.kysely, { communityId: "k", dedupeKey: "contract:429", operation: "post", to: h.channel, reply: { text: "Weekly board" } });
        expect(await delivery.deliverDue()).toMatchObject({ retrying: 1 });
        const row = (await findOutboxRow(t.db.kysely, "contract:429"))!;
        const wait = Date.parse(row.next_attempt_at) - clock.now().getTime();
        expect(wait).toBeGreaterThanOrEqual(3_000);
        expect(wait).toBeLessThan(4_000);
        expect(row.last_error).toMatch(/^rate-limited/);
        advance(wait - 1);
        await delivery.deliverDue();
        expect(h.received().filter((r) => r.op === "post")).toEqual([{ op: "post", ok: false }]);
        advance(1);
        expect(await delivery.deliverDue()).toMatchObject({ sent: 1 });
        expect(h.received().filter((r) => r.op === "post")).toEqual([{ op: "post", ok: false }, { op: "post", ok: true }]);
        expect(h.shown(h.channel).map((m) => m.text)).toEqual([expect.stringContaining("Weekly board")]);
      });

      it("GIVEN a post with a picture enqueued in the durable outbox THEN it is delivered with the picture (the reply survives as JSON)", async () => {
        const picture = renderRankCard({ name: "ada", level: 1, points: 60, levelFloor: 50, nextLevelAt: 150, rank: 1 });
        await writer.enqueue(t.db.kysely, { communityId: "k", dedupeKey: "contract:card", operation: "post", to: h.channel, reply: { text: "Ada's card", attachments: [picture] } });
        expect(await delivery.deliverDue()).toMatchObject({ sent: 1 });
        expect(h.shown(h.channel).map((m) => m.text)).toEqual([expect.stringContaining("Ada's card")]);
        const received = h.pictures(h.channel);
        expect(received).toHaveLength(1);
        expect(looksDrawn(await decodePicture(received[0]!))).toBe(true);
      });

      it("GIVEN a failure worth retrying THEN the loop backs off, tries again, and the post shows once", async () => {
        h.failNextPost();
        await writer.enqueue(t.db.kysely, { communityId: "k", dedupeKey: "contract:5xx", operation: "post", to: h.channel, reply: { text: "Reminder" } });
        expect(await delivery.deliverDue()).toMatchObject({ retrying: 1 });
        const row = (await findOutboxRow(t.db.kysely, "contract:5xx"))!;
        expect(row).toMatchObject({ state: "pending", last_error: expect.stringMatching(/^transient/) });
        advance(Date.parse(row.next_attempt_at) - clock.now().getTime());
        expect(await delivery.deliverDue()).toMatchObject({ sent: 1 });
        expect(h.shown(h.channel).map((m) => m.text)).toEqual([expect.stringContaining("Reminder")]);
      });

      it("GIVEN a post, its edit and its delete enqueued together THEN the platform receives them in that order and shows nothing after", async () => {
        await t.db.kysely.transaction().execute(async (trx) => {
          await writer.enqueue(trx, { communityId: "k", dedupeKey: "contract:q", operation: "post", to: h.channel, reply: { text: "Flagged" } });
          await writer.enqueue(trx, { communityId: "k", dedupeKey: "contract:q:edit", operation: "edit", of: "contract:q", reply: { text: "Resolved" } });
          await writer.enqueue(trx, { communityId: "k", dedupeKey: "contract:q:delete", operation: "delete", of: "contract:q" });
        });
        expect(await delivery.deliverDue()).toMatchObject({ sent: 3 });
        expect(h.received()).toEqual([
          { op: "post", ok: true },
          { op: "edit", ok: true },
          { op: "delete", ok: true },
        ]);
        expect(h.shown(h.channel)).toEqual([]);
      });
    });
  });
}
