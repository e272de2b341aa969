/**
 * A level-up is posted exactly once per platform, with the same words on each, across a restart
 * that falls between the decision and the delivery (issue 9, "Done when").
 *
 * Each platform runs its real adapter against its local fake: discord.js and the fake Discord,
 * Bolt and the fake Slack, the console adapter and its transcript. A member's post reaches level
 * 1, and the engine decides the announcement in the transaction that records it (an outbox row).
 * Then the process goes away before anything is delivered: the adapter is stopped and the engine
 * dropped with its database connection, its delivery loop never having run. A new engine and
 * adapter on the same database file deliver it — one post — and a second pass and a second
 * restart post nothing more. What each platform shows is read off its fake, mentions spelled
 * "@member", and compared with the engine's one wording and with the other platforms.
 */
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { commands } from "../../commands/index.js";
import { ConsoleAdapter } from "../../src/adapters/console/console-adapter.js";
import { OffsetClock } from "../../src/core/clock.js";
import { plainText } from "../../src/core/reply.js";
import { levelUpReply } from "../../src/engine/levels/level-up-announcement.js";
import type { DeliveryReport } from "../../src/engine/outbox/index.js";
import { opt } from "../fakes/discord/fake-discord.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";
import { restartTestEngine } from "../helpers/engine-restart.js";
import { ALICE as DISCORD_ALICE, ANNOUNCEMENTS, GENERAL as DISCORD_GENERAL, GUILD, type Harness, OWNER, startHarness, withPoints } from "../adapters/discord/harness.js";
import { ADA as SLACK_ADMIN, ALICE as SLACK_ALICE, GENERAL as SLACK_GENERAL, readable, startWorld, type World } from "../adapters/slack/harness.js";

/** A post is worth a whole level: level 1 takes 50 points. */
const oneLevelAPost = withPoints({ post: 50, messageCooldownSeconds: 0 });

/** The engine's one wording, with the member spelled "@member" — what every platform must show. */
const WORDS = plainText(levelUpReply({ memberId: "console:local:member", displayName: "member", level: 1 }).text);

/** What each platform showed, mentions spelled "@member": filled by the cases below, compared last. */
const shownWords = new Map<string, string>();

/** A restart takes a while: the new process's clock is half a minute on. */
const RESTART_MS = 30_000;

/** The level-up announcements in the outbox: where each goes and how far it got. */
async function levelUpRows(te: TestEngine): Promise<{ platform: string; state: string; attempts: number }[]> {
  return te.db.kysely.selectFrom("outbox").select(["platform", "state", "attempts"]).where("dedupe_key", "like", "levelup:%").orderBy("platform").execute();
}

const nothingMore: Partial<DeliveryReport> = { sent: 0, retrying: 0, refused: 0, failed: 0 };

describe("a level-up across a restart between decision and delivery", () => {
  describe("on Discord (discord.js against the fake Discord)", () => {
    let h: Harness;
    afterEach(() => h.close());

    it("GIVEN a post that reaches level 1 and a restart before any delivery THEN the new process posts it once, and a second pass and a second restart post nothing", async () => {
      h = await startHarness({ defaults: oneLevelAPost });
      await h.say(DISCORD_ALICE, "my first post");
      expect(await levelUpRows(h.te)).toEqual([{ platform: "discord", state: "pending", attempts: 0 }]);

      await h.restart({ advanceMs: RESTART_MS });
      expect(await h.deliver()).toMatchObject({ sent: 1, retrying: 0, refused: 0, failed: 0 });
      expect(await h.deliver()).toMatchObject(nothingMore);
      await h.restart({ advanceMs: RESTART_MS });
      expect(await h.deliver()).toMatchObject(nothingMore);

      expect(h.fake.requestsTo("POST", `/channels/${DISCORD_GENERAL}/messages`)).toHaveLength(1);
      const shown = h.fake.botMessagesIn(DISCORD_GENERAL);
      expect(shown).toHaveLength(1);
      expect(shown[0]!.embeds[0]?.title).toBe("Level up!");
      const words = shown[0]!.embeds[0]!.description!.replaceAll(`<@${DISCORD_ALICE}>`, "@member");
      expect(words).toBe(WORDS);
      shownWords.set("Discord", words);
      expect(await levelUpRows(h.te)).toEqual([{ platform: "discord", state: "sent", attempts: 1 }]);
    });
  });

  describe("on Slack (Bolt against the fake Slack)", () => {
    let w: World;
    afterEach(() => w.close());

    it("GIVEN a post that reaches level 1 and a restart before any delivery THEN the new process posts it once, and a second pass and a second restart post nothing", async () => {
      w = await startWorld("http", { defaults: oneLevelAPost });
      await w.event(w.fake.payloads.messageEvent({ channel: SLACK_GENERAL, user: SLACK_ALICE, text: "my first post" }));
      await w.te.engine.drain();
      expect(await levelUpRows(w.te)).toEqual([{ platform: "slack", state: "pending", attempts: 0 }]);

      await w.restart({ advanceMs: RESTART_MS });
      expect(await w.deliver()).toMatchObject({ sent: 1, retrying: 0, refused: 0, failed: 0 });
      expect(await w.deliver()).toMatchObject(nothingMore);
      await w.restart({ advanceMs: RESTART_MS });
      expect(await w.deliver()).toMatchObject(nothingMore);

      expect(w.fake.calls("chat.postMessage")).toHaveLength(1);
      const shown = w.fake.channelMessages(SLACK_GENERAL).filter((m) => m.bot_id !== undefined);
      expect(shown).toHaveLength(1);
      const words = readable(shown[0]!.text).replaceAll(`<@${SLACK_ALICE}>`, "@member");
      expect(words).toBe(WORDS);
      shownWords.set("Slack", words);
      expect(await levelUpRows(w.te)).toEqual([{ platform: "slack", state: "sent", attempts: 1 }]);
    });
  });

  describe("on the console", () => {
    let te: TestEngine;
    afterEach(() => te.close());

    /** One console session (a process) on the engine now: types `script`, returns what it printed. */
    async function session(script: string): Promise<string> {
      const input = new PassThrough();
      const output = new PassThrough();
      let printed = "";
      output.on("data", (chunk) => (printed += String(chunk)));
      const adapter = new ConsoleAdapter({ engine: te.engine, commands, clock: new OffsetClock(te.clock), input, output, interactive: false, timezone: async () => "UTC" });
      input.end(script);
      await adapter.run();
      return printed;
    }

    it("GIVEN a post that reaches level 1 and a restart before any delivery THEN the next session prints it once, under its first line, and later lines and sessions print nothing more", async () => {
      te = await testEngine({ dialect: "sqlite", defaults: oneLevelAPost });
      // The console delivers after each line itself; this first process dies after the line's commit,
      // before its delivery pass (which here does nothing).
      vi.spyOn(te.engine.delivery, "deliverDue").mockResolvedValue({ sent: 0, retrying: 0, refused: 0, failed: 0, lost: 0 });
      expect(await session("my first post\n")).toBe("#1 ada: my first post\n  +50 ada (post) · 50 points\n");
      expect(await levelUpRows(te)).toEqual([{ platform: "console", state: "pending", attempts: 0 }]);

      te = await restartTestEngine(te, { advanceMs: RESTART_MS });
      const second = await session("/points\n/points\n");
      const points = "bot (only you): @ada has 50 points: level 1, rank #1. This week: 50 points (#1). 100 more to level 2.";
      const lines = second.trimEnd().split("\n");
      expect(lines).toEqual([points, "bot in #general: 🎉 @ada reached level 1!", points]);
      expect(await te.engine.delivery.deliverDue()).toMatchObject(nothingMore);

      te = await restartTestEngine(te, { advanceMs: RESTART_MS });
      expect(await session("/points\n")).not.toContain("bot in #");
      expect(await levelUpRows(te)).toEqual([{ platform: "console", state: "sent", attempts: 1 }]);
      const words = lines[1]!.slice("bot in #general: ".length).replaceAll("@ada", "@member");
      expect(words).toBe(WORDS);
      shownWords.set("console", words);
    });
  });

  it("THEN the three platforms showed the same words", () => {
    expect(Object.fromEntries(shownWords)).toEqual({ Discord: WORDS, Slack: WORDS, console: WORDS });
  });
});

describe("a community that spans Discord and Slack", () => {
  let h: Harness;
  let w: World;
  afterEach(async () => {
    await w.close();
    await h.close();
  });

  it("GIVEN the announcements channel on Discord and a level-up reached on Slack, and a restart before any delivery THEN each platform gets it once, in the same words", async () => {
    h = await startHarness({ defaults: oneLevelAPost });
    w = await startWorld("http", { te: h.te });
    // Linked as an admin would: /config link on the Discord server, /config join in the Slack workspace.
    const link = h.fake.build.chatInputInteraction({ name: "config", userId: OWNER, channelId: DISCORD_GENERAL, options: [opt.subcommand("link")] });
    h.fake.dispatch("INTERACTION_CREATE", link);
    const code = /\/config join ([A-Z0-9-]+)/.exec(JSON.stringify((await h.callback(link)).body))?.[1];
    expect(code).toBeDefined();
    const joined = await w.command("config", `join ${code}`, SLACK_ADMIN);
    expect(JSON.stringify(joined.body)).toContain("This workspace is now part of");
    await h.updateSettings((s) => {
      s.channels.announcements = `discord:${GUILD}:${ANNOUNCEMENTS}`;
    });

    await w.event(w.fake.payloads.messageEvent({ channel: SLACK_GENERAL, user: SLACK_ALICE, text: "my first post, from Slack" }));
    await w.te.engine.drain();
    expect(await levelUpRows(h.te)).toEqual([
      { platform: "discord", state: "pending", attempts: 0 },
      { platform: "slack", state: "pending", attempts: 0 },
    ]);

    // Both adapters and the engine go; a new engine and both adapters come back on the same file.
    await w.stop();
    await h.restart({ advanceMs: RESTART_MS });
    await w.restart({ te: h.te });
    expect(await h.deliver()).toMatchObject({ sent: 2, retrying: 0, refused: 0, failed: 0 });
    expect(await h.deliver()).toMatchObject(nothingMore);
    await w.stop();
    await h.restart({ advanceMs: RESTART_MS });
    await w.restart({ te: h.te });
    expect(await h.deliver()).toMatchObject(nothingMore);

    const onDiscord = h.fake.botMessagesIn(ANNOUNCEMENTS);
    expect(onDiscord).toHaveLength(1);
    expect(h.fake.requestsTo("POST", `/channels/${DISCORD_GENERAL}/messages`)).toHaveLength(0);
    const onSlack = w.fake.channelMessages(SLACK_GENERAL).filter((m) => m.bot_id !== undefined);
    expect(onSlack).toHaveLength(1);
    expect(w.fake.calls("chat.postMessage")).toHaveLength(1);
    // A Slack member on Discord is named (bare, as Discord's renderer names any member it cannot
    // mention), not mentioned: the words around the name are the same.
    const discordText = onDiscord[0]!.embeds[0]!.description!;
    expect(discordText).toBe("🎉 alice reached level 1!");
    expect(discordText.replace("alice", "@member")).toBe(WORDS);
    expect(readable(onSlack[0]!.text).replaceAll(`<@${SLACK_ALICE}>`, "@member")).toBe(WORDS);
    expect(await levelUpRows(h.te)).toEqual([
      { platform: "discord", state: "sent", attempts: 1 },
      { platform: "slack", state: "sent", attempts: 1 },
    ]);
  });
});
