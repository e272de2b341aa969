import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { plainText } from "../../src/core/reply.js";
import type { Outbox, PostResult } from "../../src/core/outbox.js";
import type { Place } from "../../src/core/identity.js";
import type { Reply } from "../../src/core/reply.js";
import { defineJob } from "../../src/jobs/index.js";
import { defineCapability } from "../../src/engine/capability.js";
import { command as declare } from "../../src/engine/commands/context.js";
import { assertTotalsMatchLedger } from "../helpers/invariants.js";
import { dialects } from "../helpers/db.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";
import { command, member, message } from "../helpers/events.js";

/**
 * A capability defined only here — a handler, a service and a command — plugs into the engine with
 * nothing but its place in the list: the proof that a new capability touches no other.
 */
const ada = member("ada");
const T = (s: number) => new Date(Date.parse("2026-11-26T12:00:00Z") + s * 1000);

class WordCounter {
  constructor(private readonly db: TestEngine["db"]["kysely"]) {}
  async total(): Promise<number> {
    const row = await sql<{ n: number | string | null }>`select sum(words) as n from test_words`.execute(this.db);
    return Number(row.rows[0]?.n ?? 0);
  }
}

const wordCount = defineCapability({
  name: "words",
  setup(kit) {
    const counter = new WordCounter(kit.db);
    return {
      services: { words: counter },
      jobs: [
        defineJob({
          name: "daily-words",
          // Off until the community has an announcements channel, like a real digest.
          schedule: (settings) => (settings.channels.announcements ? "0 9 * * *" : null),
          graceMs: 60 * 60_000,
          async run({ trx, communityId, period, settings }) {
            const [, workspaceId, channelId] = settings.channels.announcements!.split(":");
            const words = await sql<{ n: number | string | null }>`select sum(words) as n from test_words`.execute(trx);
            await kit.outbox.enqueue(trx, {
              communityId,
              dedupeKey: `daily-words:${communityId}:${period.key}`,
              operation: "post",
              to: { platform: "discord", workspaceId: workspaceId!, channelId: channelId! },
              reply: { text: `${Number(words.rows[0]?.n ?? 0)} words yesterday` },
            });
          },
        }),
      ],
      events: [
        {
          kinds: ["message.created", "message.edited"],
          async handle({ trx, event, outcome }) {
            if (event.kind !== "message.created" && event.kind !== "message.edited") return;
            if (event.text.includes("explode")) throw new Error("this handler refuses the message");
            const words = event.text.split(/\s+/).filter(Boolean).length;
            await sql`insert into test_words (event_key, words) values (${event.key}, ${words}) on conflict (event_key) do nothing`.execute(trx);
            outcome.reports.words = { words, sawPoints: outcome.reports.points !== undefined };
          },
        },
      ],
    };
  },
  commands: [
    declare({
      name: "queue-words",
      description: "Needs the mod queue channel",
      access: "moderator",
      requires: [
        {
          name: "mod-queue-configured",
          check: (ctx) => (ctx.community.settings.channels.modQueue ? undefined : "Set `channels.modQueue` first."),
        },
      ],
      options: {},
      run: () => ({ text: "queued" }),
    }),
    declare({
      name: "words",
      description: "How many words were written",
      access: "member",
      options: {},
      async run(ctx) {
        const counter = (ctx.services as unknown as { words: WordCounter }).words;
        return { text: `${await counter.total()} words so far` };
      },
    }),
  ],
});

/** An outbox that records what it was asked to post. */
class RecordingOutbox implements Outbox {
  readonly platform = "discord" as const;
  readonly dedupeWindowMs = 0;
  readonly posts: { to: Place; text: string; dedupeKey: string }[] = [];
  async post(to: Place, reply: Reply, dedupeKey: string): Promise<PostResult> {
    this.posts.push({ to, text: reply.text, dedupeKey });
    return { ok: true, messageId: String(this.posts.length) };
  }
  async edit(): Promise<PostResult> {
    return { ok: true, messageId: "1" };
  }
  async delete() {
    return { ok: true as const };
  }
  async dm() {
    return { ok: false as const, reason: "not-allowed" as const, detail: "not in this test" };
  }
}

describe.each(dialects)("a capability defined in a test, on %s", (dialect) => {
  let t: TestEngine;
  afterEach(async () => {
    await assertTotalsMatchLedger(t.db.kysely);
    await t.close();
  });

  async function start() {
    t = await testEngine({ dialect, extraCapabilities: [wordCount] });
    await sql`create table test_words (event_key varchar(200) primary key, words integer not null)`.execute(t.db.kysely);
  }

  it("GIVEN a message THEN its handler runs after points, in the same ingest, and reports", async () => {
    await start();
    const outcome = await t.engine.ingest(message({ id: "m1", by: ada, at: T(0), text: "three little words" }));
    expect(outcome.reports.words).toEqual({ words: 3, sawPoints: true });
    expect(outcome.reports.points).toMatchObject({ duplicate: false });
  });

  it("GIVEN an edit THEN a handler that asks for edits receives it (points ignores it)", async () => {
    await start();
    await t.engine.ingest(message({ id: "m1", by: ada, at: T(0), text: "one" }));
    const edit = await t.engine.ingest({ kind: "message.edited", key: "discord:msg:m1:edited:1", messageKey: "discord:msg:m1", at: T(5), place: { platform: "discord", workspaceId: "g1", channelId: "general" }, author: ada, text: "now four words here" });
    expect(edit.reports.words).toEqual({ words: 4, sawPoints: false });
    expect(edit.reports.points).toBeUndefined();
  });

  it("GIVEN the capability's command THEN it is in the catalog and reaches the capability's service", async () => {
    await start();
    await t.engine.ingest(message({ id: "m1", by: ada, at: T(0), text: "hello there" }));
    const reply = await t.engine.command(command({ name: "words", by: ada }));
    expect(plainText(reply.text)).toBe("2 words so far");
  });

  it("GIVEN a command with named preconditions THEN access is checked first, then each named check, each with its own private answer", async () => {
    await start();
    const mod = member("mo", { roleIds: ["77"] });
    expect(await t.engine.command(command({ name: "queue-words", by: ada }))).toMatchObject({ ephemeral: true, text: "Only moderators can use /queue-words." });
    await t.engine.command(command({ name: "config", subcommand: "set", by: member("root", { isPlatformAdmin: true }), options: { key: "roles.moderators", value: "<@&77>" } }));
    expect(await t.engine.command(command({ name: "queue-words", by: mod }))).toMatchObject({ ephemeral: true, text: "Set `channels.modQueue` first." });
    await t.engine.command(command({ name: "config", subcommand: "set", by: member("root", { isPlatformAdmin: true }), options: { key: "channels.modQueue", value: "<#42>" } }));
    expect(await t.engine.command(command({ name: "queue-words", by: mod }))).toMatchObject({ text: "queued" });
  });

  it("GIVEN the capability's daily job THEN it runs once per slot, in the community's timezone, and its post is delivered once through the outbox", async () => {
    await start();
    const admin = member("root", { isPlatformAdmin: true });
    await t.engine.command(command({ name: "config", subcommand: "set", by: admin, options: { key: "timezone", value: "Europe/Berlin" } }));
    await t.engine.command(command({ name: "config", subcommand: "set", by: admin, options: { key: "channels.announcements", value: "<#500>" } }));
    await t.engine.ingest(message({ id: "m1", by: ada, at: T(0), text: "five words in this message" }));
    const outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);

    // The community was created at 12:00 UTC on the 26th; its first 09:00 Berlin slot is the 27th, 08:00 UTC.
    t.clock.set("2026-11-27T07:59:00Z");
    expect((await t.engine.scheduler.tick()).runs).toEqual([]);
    t.clock.set("2026-11-27T08:00:30Z");
    const first = await t.engine.scheduler.tick();
    expect(first.runs.map((r) => [r.job, r.outcome])).toEqual([["daily-words", "done"]]);
    expect((await t.engine.scheduler.tick()).runs.filter((r) => r.outcome === "done")).toEqual([]);

    await t.engine.delivery.deliverDue();
    await t.engine.delivery.deliverDue();
    expect(outbox.posts).toEqual([
      { to: { platform: "discord", workspaceId: "g1", channelId: "500" }, text: "5 words yesterday", dedupeKey: expect.stringContaining("daily-words:") },
    ]);
  });

  it("GIVEN one handler of an event fails THEN the points another handler wrote for it roll back too, and other events still land", async () => {
    await start();
    const results = await Promise.allSettled([
      t.engine.ingest(message({ id: "ok1", by: ada, at: T(0), text: "fine" })),
      t.engine.ingest(message({ id: "bad", by: member("bob"), at: T(1), text: "explode" })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    const ledger = await t.db.kysely.selectFrom("ledger").select(["key", "amount"]).orderBy("key").execute();
    expect(ledger).toEqual([{ key: "discord:msg:ok1", amount: 5 }]);
    const stored = await t.db.kysely.selectFrom("messages").select("message_key").execute();
    expect(stored.map((m) => m.message_key)).toEqual(["discord:msg:ok1"]);
  });
});
