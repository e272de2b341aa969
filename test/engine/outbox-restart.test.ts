/**
 * A restart between "the platform posted it" and "the outbox marked it sent", with the real
 * platform clients against the fakes: the first loop's call never returns (the process died with
 * the post made), and a fresh loop — a new process, new clients — finds the row still `sending`.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { Outbox } from "../../src/core/outbox.js";
import { DiscordOutbox, nonceFor, outboxRest } from "../../src/adapters/discord/outbox.js";
import { FakeDiscord } from "../fakes/discord/fake-discord.js";
import { silentLog } from "../helpers/engine.js";
import { OutboxDelivery, OutboxWriter, ManualTimer } from "../../src/engine/outbox/index.js";
import { findOutboxRow } from "../../src/engine/outbox/outbox.repo.js";
import { CONTRACT_START, type OutboxHarness } from "../contract/outbox-contract.js";
import { GENERAL as DISCORD_GENERAL, startDiscordHarness } from "../contract/discord-harness.js";
import { GENERAL as SLACK_GENERAL, startSlackHarness } from "../contract/slack-harness.js";
import { capturingLog } from "../helpers/log-lines.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";

/** The platform does the work; the process dies before it hears back. */
function diesAfterSending(outbox: Outbox): Outbox & { sends: number } {
  const dying = {
    platform: outbox.platform,
    dedupeWindowMs: outbox.dedupeWindowMs,
    sends: 0,
    post: async (...args: Parameters<Outbox["post"]>) => {
      await outbox.post(...args);
      dying.sends += 1;
      return new Promise<never>(() => undefined);
    },
    edit: outbox.edit.bind(outbox),
    delete: outbox.delete.bind(outbox),
    dm: outbox.dm.bind(outbox),
  };
  return dying;
}

describe.each(dialects)("a restart between send and mark, on %s", (dialect) => {
  let t: TestDb;
  let clock: ManualClock;
  let h: OutboxHarness;
  let log: ReturnType<typeof capturingLog>;
  const KEY = "levelup:k1:ada:5";

  const loop = (outbox: Outbox) => {
    const delivery = new OutboxDelivery({ db: t.db.kysely, clock, log: log.log, timer: new ManualTimer(clock), random: () => 0 });
    delivery.register(outbox.platform, outbox);
    return delivery;
  };
  /** Runs a loop whose process dies mid-send, and waits until the platform has the post. */
  const crashWhileSending = async (outbox: Outbox) => {
    const dying = diesAfterSending(outbox);
    void loop(dying).deliverDue();
    for (let i = 0; i < 1_000 && dying.sends === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(dying.sends).toBe(1);
  };
  const advance = (ms: number) => h.timeMoved(clock.advance(ms));
  const row = async () => (await findOutboxRow(t.db.kysely, KEY))!;

  beforeEach(async () => {
    t = await openTestDb(dialect);
    clock = new ManualClock(CONTRACT_START);
    log = capturingLog();
  });
  afterEach(async () => {
    await h.close();
    await t.cleanup();
  });

  async function enqueue(): Promise<void> {
    await new OutboxWriter(clock).enqueue(t.db.kysely, { communityId: "k1", dedupeKey: KEY, operation: "post", to: h.channel, reply: { text: "Ada reached level 5" } });
  }

  it("GIVEN Discord WHEN the restarted loop retries within the nonce window THEN it sends the same nonce with enforce_nonce and Discord shows one message", async () => {
    const discord = await startDiscordHarness(new Date(CONTRACT_START));
    h = discord;
    await enqueue();
    await crashWhileSending(h.outbox);
    expect((await row()).state).toBe("sending");
    const restarted = startDiscordHarnessOutbox(discord).outbox;
    advance(60_000);
    expect(await loop(restarted).deliverDue()).toMatchObject({ sent: 1 });
    const posts = discord.fake.requestsTo("POST", `/channels/${DISCORD_GENERAL}/messages`);
    expect(posts.map((p) => p.body)).toEqual([
      expect.objectContaining({ nonce: nonceFor(KEY), enforce_nonce: true }),
      expect.objectContaining({ nonce: nonceFor(KEY), enforce_nonce: true }),
    ]);
    const shown = h.shown(h.channel);
    expect(shown).toHaveLength(1);
    expect(await row()).toMatchObject({ state: "sent", platform_message_id: shown[0]!.messageId, attempts: 2, risked_repeats: 0 });
  });

  it("GIVEN Discord WHEN the restart comes after the nonce window THEN the post is repeated at most once, and logged", async () => {
    const discord = await startDiscordHarness(new Date(CONTRACT_START));
    h = discord;
    await enqueue();
    await crashWhileSending(h.outbox);
    advance(5 * 60_000);
    expect(await loop(startDiscordHarnessOutbox(discord).outbox).deliverDue()).toMatchObject({ sent: 1 });
    expect(h.shown(h.channel)).toHaveLength(2);
    expect(await row()).toMatchObject({ state: "sent", risked_repeats: 1 });
    expect(log.lines.some((l) => l.includes("at most one repeat"))).toBe(true);
  });

  it("GIVEN Slack WHEN the restarted loop finds the row still sending THEN it posts once more (one repeat, same metadata key) and marks it sent", async () => {
    const slack = await startSlackHarness();
    h = slack;
    await enqueue();
    await crashWhileSending(h.outbox);
    advance(60_000);
    expect(await loop(h.outbox).deliverDue()).toMatchObject({ sent: 1 });
    const messages = slack.fake.channelMessages(SLACK_GENERAL).filter((m) => m.bot_id !== undefined);
    expect(messages.map((m) => m.metadata)).toEqual([
      { event_type: "guildkeeper_outbox", event_payload: { dedupe_key: KEY } },
      { event_type: "guildkeeper_outbox", event_payload: { dedupe_key: KEY } },
    ]);
    expect(await row()).toMatchObject({ state: "sent", platform_message_id: messages[1]!.ts, risked_repeats: 1 });
  });

  it("GIVEN Slack WHEN the process dies again after the repeat THEN the next one gives up: two messages at most, never three", async () => {
    const slack = await startSlackHarness();
    h = slack;
    await enqueue();
    await crashWhileSending(h.outbox);
    advance(60_000);
    await crashWhileSending(h.outbox);
    advance(60_000);
    expect(await loop(h.outbox).deliverDue()).toMatchObject({ failed: 1 });
    expect(slack.fake.calls("chat.postMessage")).toHaveLength(2);
    expect(await row()).toMatchObject({ state: "failed", risked_repeats: 1, last_error: expect.stringContaining("already repeated once") });
    expect(log.lines.some((l) => l.includes("outbox: gave up") && l.includes(KEY))).toBe(true);
  });
});

/** A second Discord outbox on the same fake: a new process, with a fresh REST client. */
function startDiscordHarnessOutbox(discord: Awaited<ReturnType<typeof startDiscordHarness>>): { outbox: Outbox } {
  return { outbox: new DiscordOutbox(outboxRest({ token: FakeDiscord.TOKEN, apiUrl: discord.fake.restUrl, retries: 0 }), silentLog) };
}
