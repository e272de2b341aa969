import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.js";
import { ConsoleAdapter } from "../../../src/adapters/console/console-adapter.js";
import { OffsetClock } from "../../../src/core/clock.js";
import { ALICE as DISCORD_ALICE, discordId, GENERAL as DISCORD_GENERAL, type Harness, OWNER, startHarness } from "../../adapters/discord/harness.js";
import { ADA as SLACK_ADMIN, ALICE as SLACK_ALICE, GENERAL as SLACK_GENERAL, readable, startWorld, TEAM, type World } from "../../adapters/slack/harness.js";
import { opt } from "../../fakes/discord/fake-discord.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { assertTotalsMatchLedger } from "../../helpers/invariants.js";
import { codeIn, commandBy, slackMember, slackMessage } from "./world.js";

/** End to end: a code from the real discord.js client on the fake Discord, spent through Bolt on the fake Slack, one engine. */
describe("/link across the Discord and Slack adapters", () => {
  let h: Harness;
  let w: World;
  afterEach(async () => {
    await w?.close();
    await h?.close();
  });

  it("GIVEN one community on a Discord server and a Slack workspace WHEN alice gets a code on Discord and uses it on Slack THEN her points are one person's on one board row", async () => {
    h = await startHarness();
    w = await startWorld("http", { te: h.te });
    const join = h.fake.build.chatInputInteraction({ name: "config", userId: OWNER, channelId: DISCORD_GENERAL, options: [opt.subcommand("link")] });
    h.fake.dispatch("INTERACTION_CREATE", join);
    const joinCode = /\/config join ([A-Z0-9-]+)/.exec(JSON.stringify((await h.callback(join)).body))?.[1];
    expect(JSON.stringify((await w.command("config", `join ${joinCode}`, SLACK_ADMIN)).body)).toContain("This workspace is now part of");

    await h.say(DISCORD_ALICE, "hello from Discord");
    const first = w.fake.payloads.messageEvent({ channel: SLACK_GENERAL, user: SLACK_ALICE, text: "hello from Slack" });
    await w.event(first);
    await h.te.engine.drain();
    const slackAlice = `slack:${TEAM}:${SLACK_ALICE}`;
    const totalsRows = () => h.te.db.kysely.selectFrom("totals").select(["member_id", "points"]).where("period", "=", "all").where("points", ">", 0).orderBy("member_id").execute();
    expect(await totalsRows()).toEqual([
      { member_id: discordId(DISCORD_ALICE), points: 5 },
      { member_id: slackAlice, points: 5 },
    ]);

    const ask = h.fake.build.chatInputInteraction({ name: "link", userId: DISCORD_ALICE, channelId: DISCORD_GENERAL });
    h.fake.dispatch("INTERACTION_CREATE", ask);
    const answer = (await h.callback(ask)).body as { data?: { flags?: number; embeds?: { description?: string }[]; content?: string } };
    const shown = JSON.stringify(answer);
    const code = /\/link ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(shown)?.[1];
    expect(code, shown).toBeDefined();
    expect(shown).toContain("On Slack");
    expect((answer.data?.flags ?? 0) & 64).toBe(64); // ephemeral

    const used = await w.command("link", code!, SLACK_ALICE);
    expect(readable(JSON.stringify(used.body))).toContain("are now one person here");
    expect(await totalsRows()).toEqual([{ member_id: discordId(DISCORD_ALICE), points: 10 }]);

    // Slack's retry of the message and a new one: the first counts once, the second adds to the person.
    await w.event(first, { retry: 1 });
    await h.say(DISCORD_ALICE, "hello from Discord", { id: (await h.te.db.kysely.selectFrom("messages").select("message_key").where("message_key", "like", "discord:msg:%").executeTakeFirstOrThrow()).message_key.slice("discord:msg:".length) });
    await w.event(w.fake.payloads.messageEvent({ channel: SLACK_GENERAL, user: SLACK_ALICE, text: "hello again", ts: (Number(first.ts) + 120).toFixed(6) }));
    await h.te.engine.drain();
    expect(await totalsRows()).toEqual([{ member_id: discordId(DISCORD_ALICE), points: 15 }]);
    const board = await w.command("leaderboard", "all", SLACK_ALICE);
    const text = readable(JSON.stringify(board.body));
    // One row, in P's (the Discord member's) name.
    expect(text).toContain("Leaderboard — all time\\n1. Alice — 15 points\"");
    await assertTotalsMatchLedger(h.te.db.kysely);
  });
});

/** The console's half: its community spans a Slack workspace; the console member spends a Slack member's code. */
describe("/link in the console", () => {
  let t: TestEngine;
  afterEach(() => t?.close());

  async function console_(script: string): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk) => (printed += String(chunk)));
    const adapter = new ConsoleAdapter({ engine: t.engine, commands, clock: new OffsetClock(t.clock), input, output, interactive: false, timezone: async () => "UTC" });
    input.end(script);
    await adapter.run();
    return printed;
  }

  it("GIVEN a console community joined by a Slack workspace WHEN ada uses her Slack code in the console THEN /points and the board show one person", async () => {
    t = await testEngine({ dialect: "sqlite-memory" });
    const before = await console_("Hi all, I'm new here\n/link\n/config link\n");
    expect(before).toContain("+5 ada (post) · 5 points");
    expect(before).toContain("lives on one platform only");
    const joinCode = /\/config join ([A-Z0-9-]+)/.exec(before)?.[1];
    const slackAdmin = slackMember("UADMIN", { isPlatformAdmin: true });
    expect((await t.engine.command(commandBy(slackAdmin, "config", { code: joinCode }, "join"))).tone).toBe("success");

    const adaOnSlack = slackMember("UADA", { displayName: "ada-on-slack" });
    await t.ingest(slackMessage({ ts: "1.1", by: adaOnSlack, at: "2026-11-26T11:59:00Z" }));
    const code = codeIn(await t.engine.command(commandBy(adaOnSlack, "link")));

    const after = await console_(`/link ${code}\n/points\n/leaderboard all\n`);
    expect(after).toContain("Linked: you and ada-on-slack are now one person here");
    expect(after).toContain("has 10 points");
    expect(after).toMatch(/1\. @ada-on-slack — 10 points \(level 0\)\n(?!\s+2\.)/);
    await assertTotalsMatchLedger(t.db.kysely);
  });
});
