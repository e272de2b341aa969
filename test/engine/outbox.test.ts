import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { Place } from "../../src/core/identity.js";
import { rateLimited, refused, transientFailure } from "../../src/core/outbox.js";
import { connect, type Db } from "../../src/db/connect.js";
import { ManualTimer, OutboxDelivery, OutboxWriter, placeDedupeKey, type RetryPolicy } from "../../src/engine/outbox/index.js";
import { findOutboxRow } from "../../src/engine/outbox/outbox.repo.js";
import { capturingLog } from "../helpers/log-lines.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";
import { ScriptedOutbox } from "../contract/scripted-outbox.js";

const START = "2026-12-01T10:00:00.000Z";
const GENERAL: Place = { platform: "discord", workspaceId: "g1", channelId: "c1" };
const SLACK_GENERAL: Place = { platform: "slack", workspaceId: "T1", channelId: "C1" };
const POLICY: Partial<RetryPolicy> = { baseDelayMs: 2_000, maxDelayMs: 60_000, maxAttempts: 4, leaseMs: 60_000, rateLimitJitterMs: 0 };

describe.each(dialects)("the durable outbox on %s", (dialect) => {
  let t: TestDb;
  let clock: ManualClock;
  let writer: OutboxWriter;
  let platform: ScriptedOutbox;
  let log: ReturnType<typeof capturingLog>;
  const extraDbs: Db[] = [];

  const loop = (db = t.db.kysely, outbox = platform, random = () => 0) => {
    const delivery = new OutboxDelivery({ db, clock, log: log.log, timer: new ManualTimer(clock), policy: POLICY, random });
    delivery.register(outbox.platform, outbox);
    return delivery;
  };
  const post = (dedupeKey: string, text: string, to: Place = GENERAL) =>
    writer.enqueue(t.db.kysely, { communityId: "k1", dedupeKey, operation: "post", to, reply: { text } });
  const row = async (dedupeKey: string) => (await findOutboxRow(t.db.kysely, dedupeKey))!;
  const rowCount = async () => (await t.db.kysely.selectFrom("outbox").select("id").execute()).length;

  beforeEach(async () => {
    t = await openTestDb(dialect);
    clock = new ManualClock(START);
    writer = new OutboxWriter(clock);
    platform = new ScriptedOutbox("discord");
    log = capturingLog();
  });
  afterEach(async () => {
    for (const db of extraDbs.splice(0)) await db.close();
    await t.cleanup();
  });

  it("GIVEN an enqueue inside a transaction that rolls back THEN no row is left and nothing is ever sent", async () => {
    await expect(
      t.db.kysely.transaction().execute(async (trx) => {
        await writer.enqueue(trx, { communityId: "k1", dedupeKey: "levelup:k1:ada:2", operation: "post", to: GENERAL, reply: { text: "Ada reached level 2" } });
        throw new Error("the decision failed");
      }),
    ).rejects.toThrow("the decision failed");
    expect(await rowCount()).toBe(0);
    await loop().deliverDue();
    expect(platform.calls).toEqual([]);
  });

  it("GIVEN the same dedupe key enqueued twice, the second time with other words THEN one row keeps the first words and is posted once", async () => {
    expect(await post("weekly:k1:2026-W49", "first")).toEqual({ dedupeKey: "weekly:k1:2026-W49", created: true });
    expect(await post("weekly:k1:2026-W49", "second")).toEqual({ dedupeKey: "weekly:k1:2026-W49", created: false });
    expect(await rowCount()).toBe(1);
    const report = await loop().deliverDue();
    await loop().deliverDue();
    expect(report.sent).toBe(1);
    expect(platform.callsOf("post").map((c) => c.text)).toEqual(["first"]);
    expect(await row("weekly:k1:2026-W49")).toMatchObject({ state: "sent", platform_message_id: "m1", attempts: 1, sent_at: START });
  });

  it("GIVEN a post, an edit and a delete of it enqueued in one transaction THEN they reach the platform in that order, the edit and delete aimed at the post's message id", async () => {
    await t.db.kysely.transaction().execute(async (trx) => {
      await writer.enqueue(trx, { communityId: "k1", dedupeKey: "queue:1", operation: "post", to: GENERAL, reply: { text: "flagged" } });
      await writer.enqueue(trx, { communityId: "k1", dedupeKey: "queue:1:resolved", operation: "edit", of: "queue:1", reply: { text: "resolved" } });
      await writer.enqueue(trx, { communityId: "k1", dedupeKey: "queue:1:removed", operation: "delete", of: "queue:1" });
    });
    await loop().deliverDue();
    expect(platform.calls.map((c) => [c.op, c.messageId ?? null, c.text ?? null])).toEqual([
      ["post", null, "flagged"],
      ["edit", "m1", "resolved"],
      ["delete", "m1", null],
    ]);
    expect(platform.messages.size).toBe(0);
    expect((await row("queue:1:resolved")).state).toBe("sent");
  });

  it("GIVEN the post is rate limited THEN its edit waits, and both land, in order, once the post is delivered", async () => {
    platform.answerNext(rateLimited(5_000, "429"));
    await post("queue:2", "flagged");
    await writer.enqueue(t.db.kysely, { communityId: "k1", dedupeKey: "queue:2:edit", operation: "edit", of: "queue:2", reply: { text: "claimed by @mod" } });
    const delivery = loop();
    await delivery.deliverDue();
    expect(platform.calls.map((c) => c.op)).toEqual(["post"]);
    expect((await row("queue:2:edit")).attempts).toBe(0);
    clock.advance(5_000);
    await delivery.deliverDue();
    expect(platform.calls.map((c) => c.op)).toEqual(["post", "post", "edit"]);
    expect([...platform.messages.values()].map((m) => m.text)).toEqual(["claimed by @mod"]);
  });

  it("GIVEN an edit of a post the platform refused THEN the edit fails too, saying why", async () => {
    platform.answerNext(refused("not-allowed", "50013 Missing Permissions"));
    await post("queue:3", "flagged");
    await writer.enqueue(t.db.kysely, { communityId: "k1", dedupeKey: "queue:3:edit", operation: "edit", of: "queue:3", reply: { text: "resolved" } });
    const report = await loop().deliverDue();
    expect(report).toMatchObject({ sent: 0, refused: 1, failed: 1 });
    expect(await row("queue:3")).toMatchObject({ state: "refused", last_error: "not-allowed: 50013 Missing Permissions" });
    expect((await row("queue:3:edit")).last_error).toMatch(/the post queue:3 was not delivered \(refused/);
    expect(platform.callsOf("edit")).toEqual([]);
  });

  it("GIVEN an edit of a key nobody enqueued THEN enqueue throws and the caller's transaction writes nothing", async () => {
    await expect(
      t.db.kysely.transaction().execute(async (trx) => {
        await writer.enqueue(trx, { communityId: "k1", dedupeKey: "unrelated", operation: "post", to: GENERAL, reply: { text: "x" } });
        await writer.enqueue(trx, { communityId: "k1", dedupeKey: "e", operation: "edit", of: "never-posted", reply: { text: "y" } });
      }),
    ).rejects.toThrow(/no post was enqueued under that key/);
    expect(await rowCount()).toBe(0);
  });

  it("GIVEN a 429 with Retry-After 7.5 s THEN the next attempt is due exactly 7.5 s later, nothing is sent before, and it is posted once after", async () => {
    platform.answerNext(rateLimited(7_500, "429 Retry-After 7.5"));
    await post("talk:reminder:42", "The talk starts in 1 hour");
    const delivery = loop();
    expect(await delivery.deliverDue()).toMatchObject({ retrying: 1 });
    expect(await row("talk:reminder:42")).toMatchObject({ state: "pending", next_attempt_at: "2026-12-01T10:00:07.500Z", last_error: "rate-limited: 429 Retry-After 7.5" });
    clock.advance(7_499);
    await delivery.deliverDue();
    expect(platform.callsOf("post")).toHaveLength(1);
    clock.advance(1);
    expect(await delivery.deliverDue()).toMatchObject({ sent: 1 });
    expect(platform.callsOf("post")).toHaveLength(2);
    expect(platform.messages.size).toBe(1);
  });

  it("GIVEN the started loop and a 429 THEN the timer wakes it at Retry-After (with jitter on top, never before)", async () => {
    platform.answerNext(rateLimited(3_000, "429"));
    await post("digest:k1:2026-12-01", "Digest");
    const timer = new ManualTimer(clock);
    const delivery = new OutboxDelivery({ db: t.db.kysely, clock, log: log.log, timer, policy: { ...POLICY, rateLimitJitterMs: 400 }, random: () => 0.5, pollIntervalMs: 60_000 });
    delivery.register("discord", platform);
    delivery.start();
    timer.advance(0);
    await until(() => platform.callsOf("post").length === 1);
    await until(async () => (await row("digest:k1:2026-12-01")).state === "pending" && timer.nextAt !== undefined);
    expect((await row("digest:k1:2026-12-01")).next_attempt_at).toBe("2026-12-01T10:00:03.200Z");
    expect(timer.nextAt).toBe(Date.parse("2026-12-01T10:00:03.200Z"));
    timer.advance(3_199);
    expect(platform.callsOf("post")).toHaveLength(1);
    timer.advance(1);
    await until(async () => (await row("digest:k1:2026-12-01")).state === "sent");
    await delivery.stop();
    expect(platform.callsOf("post")).toHaveLength(2);
  });

  it("GIVEN an edit waiting on a post that is rate limited for 10 minutes THEN the started loop sleeps until the post is due instead of spinning on the edit", async () => {
    platform.answerNext(rateLimited(600_000, "429"));
    await post("queue:9", "flagged");
    await writer.enqueue(t.db.kysely, { communityId: "k1", dedupeKey: "queue:9:edit", operation: "edit", of: "queue:9", reply: { text: "resolved" } });
    const timer = new ManualTimer(clock);
    const delivery = new OutboxDelivery({ db: t.db.kysely, clock, log: log.log, timer, policy: POLICY, random: () => 0, pollIntervalMs: 3_600_000 });
    delivery.register("discord", platform);
    delivery.start();
    timer.advance(0);
    await until(() => timer.nextAt !== undefined && platform.calls.length === 1);
    expect(timer.nextAt).toBe(Date.parse("2026-12-01T10:10:00.000Z"));
    timer.advance(600_000);
    await until(async () => (await row("queue:9:edit")).state === "sent");
    await delivery.stop();
    expect(platform.calls.map((c) => c.op)).toEqual(["post", "post", "edit"]);
  });

  it("GIVEN transient failures THEN retries back off exponentially with jitter, and after the attempt limit the row fails, logged, and is not tried again", async () => {
    platform.answerNext(transientFailure(false, "ECONNREFUSED"), transientFailure(false, "ECONNREFUSED"), transientFailure(false, "ECONNREFUSED"), transientFailure(false, "ECONNREFUSED"));
    await post("welcome:ada", "Welcome");
    const delivery = loop(t.db.kysely, platform, () => 0.5);
    const waits: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      await delivery.deliverDue();
      const r = await row("welcome:ada");
      if (r.state !== "pending") break;
      const wait = Date.parse(r.next_attempt_at) - clock.now().getTime();
      waits.push(wait);
      clock.advance(wait);
    }
    // Equal jitter: half of 2 s · 2^(n-1) fixed, half random (0.5 here).
    expect(waits).toEqual([1_500, 3_000, 6_000]);
    expect(await row("welcome:ada")).toMatchObject({ state: "failed", attempts: 4 });
    expect((await row("welcome:ada")).last_error).toMatch(/gave up after 4 failed attempts: transient: ECONNREFUSED/);
    expect(log.lines.some((l) => l.includes("outbox: gave up") && l.includes("welcome:ada"))).toBe(true);
    clock.advance(3_600_000);
    await delivery.deliverDue();
    expect(platform.callsOf("post")).toHaveLength(4);
  });

  it("GIVEN a rate limit that lasts far longer than the attempt limit THEN the post waits it out and is posted once, the failures alone counted", async () => {
    // 10 rate limits, then 3 transient failures (one short of the limit of 4), then success.
    platform.answerNext(...Array.from({ length: 10 }, () => rateLimited(1_000, "429 global")), transientFailure(false, "ECONNRESET"), rateLimited(1_000, "429 global"), transientFailure(false, "ECONNRESET"), transientFailure(false, "ECONNRESET"));
    await post("levelup:k1:ada:5", "Ada reached level 5");
    const delivery = loop();
    for (let i = 0; i < 20 && (await row("levelup:k1:ada:5")).state === "pending"; i++) {
      await delivery.deliverDue();
      const r = await row("levelup:k1:ada:5");
      if (r.state === "pending") clock.advance(Math.max(0, Date.parse(r.next_attempt_at) - clock.now().getTime()));
    }
    expect(await row("levelup:k1:ada:5")).toMatchObject({ state: "sent", attempts: 15, rate_limited: 11 });
    expect(platform.callsOf("post")).toHaveLength(15);
    expect(platform.messages.size).toBe(1);
  });

  it("GIVEN rate limits that go on past the policy's patience THEN the row is given up, saying for how long it waited", async () => {
    platform.answerNext(...Array.from({ length: 50 }, () => rateLimited(600_000, "429 global")));
    await post("digest:k1:2026-W49", "Digest");
    const delivery = new OutboxDelivery({ db: t.db.kysely, clock, log: log.log, timer: new ManualTimer(clock), policy: { ...POLICY, rateLimitPatienceMs: 3_600_000 }, random: () => 0 });
    delivery.register("discord", platform);
    for (let i = 0; i < 20 && (await row("digest:k1:2026-W49")).state === "pending"; i++) {
      await delivery.deliverDue();
      const r = await row("digest:k1:2026-W49");
      if (r.state === "pending") clock.advance(Math.max(0, Date.parse(r.next_attempt_at) - clock.now().getTime()));
    }
    // 10-minute waits: attempts at 0, 10, … 60 min are within the hour; the one at 70 min gives up.
    expect(await row("digest:k1:2026-W49")).toMatchObject({ state: "failed", attempts: 8 });
    expect((await row("digest:k1:2026-W49")).last_error).toMatch(/gave up after 70 minutes of rate limits: rate-limited: 429 global/);
    expect(platform.messages.size).toBe(0);
  });

  it("GIVEN the platform refuses THEN the row is refused at once and never retried", async () => {
    platform.answerNext(refused("not-allowed", "50007 Cannot send messages to this user"));
    await writer.enqueue(t.db.kysely, { communityId: "k1", dedupeKey: "remind:bob", operation: "dm", memberId: "discord:g1:bob", reply: { text: "Your talk is tomorrow" } });
    expect(await loop().deliverDue()).toMatchObject({ refused: 1 });
    clock.advance(3_600_000);
    await loop().deliverDue();
    expect(platform.callsOf("dm")).toHaveLength(1);
    expect(await row("remind:bob")).toMatchObject({ state: "refused", last_error: "not-allowed: 50007 Cannot send messages to this user" });
  });

  it("GIVEN a DM THEN it is delivered once and its conversation is kept, so an edit of it goes there", async () => {
    await writer.enqueue(t.db.kysely, { communityId: "k1", dedupeKey: "remind:ada", operation: "dm", memberId: "discord:g1:ada", reply: { text: "Tomorrow 18:00" } });
    await writer.enqueue(t.db.kysely, { communityId: "k1", dedupeKey: "remind:ada:moved", operation: "edit", of: "remind:ada", reply: { text: "Moved to 19:00" } });
    await loop().deliverDue();
    expect(platform.callsOf("edit")).toEqual([{ op: "edit", place: { platform: "discord", workspaceId: "w", channelId: "dm-discord:g1:ada" }, messageId: "m1", text: "Moved to 19:00" }]);
  });

  it("GIVEN a delete of a member's message that is already gone THEN it counts as done", async () => {
    await writer.enqueue(t.db.kysely, { communityId: "k1", dedupeKey: "mod:remove:99", operation: "delete", to: GENERAL, messageId: "99" });
    expect(await loop().deliverDue()).toMatchObject({ sent: 1 });
    expect(await row("mod:remove:99")).toMatchObject({ state: "sent", last_error: "already gone: unknown message" });
  });

  it("GIVEN a community on Discord and Slack THEN postEverywhere writes one row per place with derived keys, each platform delivers its own, and one copy can be edited by its key", async () => {
    const slack = new ScriptedOutbox("slack");
    const results = await writer.postEverywhere(t.db.kysely, { communityId: "k1", dedupeKey: "levelup:k1:ada:3", places: [GENERAL, SLACK_GENERAL, GENERAL], reply: { text: "Ada reached level 3" } });
    expect(results).toEqual([
      { dedupeKey: "levelup:k1:ada:3@discord:g1:c1", created: true },
      { dedupeKey: "levelup:k1:ada:3@slack:T1:C1", created: true },
    ]);
    await writer.enqueue(t.db.kysely, { communityId: "k1", dedupeKey: "levelup:k1:ada:3:fix", operation: "edit", of: placeDedupeKey("levelup:k1:ada:3", SLACK_GENERAL), reply: { text: "Ada reached level 3!" } });
    const delivery = loop();
    delivery.register("slack", slack);
    await delivery.deliverDue();
    expect(platform.calls.map((c) => [c.op, c.text])).toEqual([["post", "Ada reached level 3"]]);
    expect(slack.calls.map((c) => [c.op, c.text])).toEqual([["post", "Ada reached level 3"], ["edit", "Ada reached level 3!"]]);
    expect((await row("levelup:k1:ada:3:fix")).platform).toBe("slack");
  });

  it("GIVEN a platform with no registered outbox here THEN its rows wait untouched for a process that has one", async () => {
    await post("s", "hi", SLACK_GENERAL);
    await loop().deliverDue();
    expect(await row("s")).toMatchObject({ state: "pending", attempts: 0 });
  });

  it("GIVEN two delivery loops on one database at once THEN each row is delivered exactly once", async () => {
    const second = dialect === "postgres" ? connect(t.url, { schema: t.schema! }) : connect(t.url);
    extraDbs.push(second);
    for (let i = 0; i < 30; i += 1) await post(`burst:${i}`, `post ${i}`);
    const a = new ScriptedOutbox("discord");
    const b = new ScriptedOutbox("discord");
    const reports = await Promise.all([loop(t.db.kysely, a).deliverDue(), loop(second.kysely, b).deliverDue(), loop(t.db.kysely, a).deliverDue(), loop(second.kysely, b).deliverDue()]);
    const texts = [...a.callsOf("post"), ...b.callsOf("post")].map((c) => c.text).sort();
    expect(texts).toEqual(Array.from({ length: 30 }, (_, i) => `post ${i}`).sort());
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(30);
    const states = await t.db.kysely.selectFrom("outbox").select(["state", "attempts"]).execute();
    expect(states.every((s) => s.state === "sent" && s.attempts === 1)).toBe(true);
  });

  it("GIVEN a platform that de-duplicates (a nonce window) and a loop that died between send and mark THEN the restarted loop sends it again after the lease, and no repeat is risked", async () => {
    const discord = new ScriptedOutbox("discord", 120_000);
    discord.answerNext("die");
    await post("levelup:k1:bob:1", "Bob reached level 1");
    void loop(t.db.kysely, discord).deliverDue();
    await until(() => discord.calls.length === 1);
    await until(async () => (await row("levelup:k1:bob:1")).state === "sending");
    clock.advance(59_999);
    const restarted = loop(t.db.kysely, discord);
    await restarted.deliverDue();
    expect(discord.calls).toHaveLength(1);
    clock.advance(1);
    await restarted.deliverDue();
    expect(discord.callsOf("post").map((c) => c.dedupeKey)).toEqual(["levelup:k1:bob:1", "levelup:k1:bob:1"]);
    expect(await row("levelup:k1:bob:1")).toMatchObject({ state: "sent", attempts: 2, risked_repeats: 0 });
  });

  it("GIVEN a platform that cannot de-duplicate and loops that die between send and mark twice THEN the post is repeated once and then given up: at most one repeat", async () => {
    const slack = new ScriptedOutbox("slack", 0);
    slack.answerNext("die", "die");
    await post("levelup:k1:cy:1", "Cy reached level 1", SLACK_GENERAL);
    void loop(t.db.kysely, slack).deliverDue();
    await until(() => slack.calls.length === 1);
    clock.advance(60_000);
    void loop(t.db.kysely, slack).deliverDue();
    await until(() => slack.calls.length === 2);
    await until(async () => (await row("levelup:k1:cy:1")).risked_repeats === 1);
    clock.advance(60_000);
    await loop(t.db.kysely, slack).deliverDue();
    expect(slack.messages.size).toBe(2);
    expect(await row("levelup:k1:cy:1")).toMatchObject({ state: "failed", attempts: 2, risked_repeats: 1 });
    expect(log.lines.some((l) => l.includes("at most one repeat"))).toBe(true);
  });

  it("GIVEN a platform that cannot de-duplicate answers 'internal error' (maybe posted) THEN the retry is the one risked repeat, and a failure that certainly did nothing risks none", async () => {
    const slack = new ScriptedOutbox("slack", 0);
    slack.answerNext(transientFailure(false, "service_unavailable"), transientFailure(true, "internal_error"));
    await post("p", "hello", SLACK_GENERAL);
    const delivery = loop(t.db.kysely, slack);
    await delivery.deliverDue();
    expect(await row("p")).toMatchObject({ state: "pending", last_attempt_uncertain: 0 });
    clock.advance(60_000);
    await delivery.deliverDue();
    expect(await row("p")).toMatchObject({ state: "pending", last_attempt_uncertain: 1, risked_repeats: 0 });
    clock.advance(60_000);
    await delivery.deliverDue();
    expect(await row("p")).toMatchObject({ state: "sent", attempts: 3, risked_repeats: 1 });
  });
});

/** Waits for a condition the loop reaches on its own (database round trips), without a wall-clock deadline in the assertion. */
async function until(check: () => boolean | Promise<boolean>, tries = 1_000): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error("condition never became true");
}
