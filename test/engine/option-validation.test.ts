/**
 * What a member typed and the engine echoes in a validation error stays inert on Slack: no live
 * group ping, @here or mention, whichever part of the command it was typed into. Checked on the
 * engine's reply rendered by the Slack mrkdwn renderer, the text Slack would show.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { commandEvent } from "../../src/adapters/slack/command-text.js";
import { mrkdwn } from "../../src/adapters/slack/mrkdwn.js";
import type { CommandInvoked } from "../../src/core/events.js";
import type { Actor } from "../../src/core/identity.js";
import { plainText, type Reply, roleMention } from "../../src/core/reply.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";

const TEAM = "T0GUILD001";
const GROUP = "S0MODS0001";
const asker: Actor = { id: `slack:${TEAM}:U0ALICE001`, platform: "slack", workspaceId: TEAM, userId: "U0ALICE001", displayName: "alice", isBot: false };

/** Markup Slack turns into a notification: a group, @here/@channel/@everyone, or a member. */
const LIVE = /<!subteam\^|<!here|<!channel|<!everyone|<@U/;

let t: TestEngine;
let n = 0;
beforeEach(async () => {
  t = await testEngine();
});
afterEach(() => t.close());

/** `/name text` as Slack hands it over (should_escape on), through the Slack parser, answered by the engine. */
async function slackCommand(name: string, text: string): Promise<Reply> {
  const parsed = commandEvent({ team_id: TEAM, channel_id: "C0GENERAL1", user_id: asker.userId, command: `/${name}`, text, trigger_id: `t${++n}`, response_url: "https://hooks.slack.invalid/r" }, commands, asker, t.clock.now());
  return "kind" in parsed ? t.engine.command(parsed) : parsed;
}

function command(options: Record<string, unknown>): CommandInvoked {
  return { kind: "command", key: `slack:${TEAM}:command:k${++n}`, at: t.clock.now(), place: { platform: "slack", workspaceId: TEAM, channelId: "C0GENERAL1" }, actor: asker, name: "leaderboard", options };
}

describe("validation errors echo typed values as member text", () => {
  it.each([
    ["a group mention as the period", `<!subteam^${GROUP}|@mods>`],
    ["a bare group mention", `<!subteam^${GROUP}>`],
    ["a group mention as the limit", `week <!subteam^${GROUP}|@mods>`],
    ["a group mention given by name", `period:<!subteam^${GROUP}>`],
    ["@here markup", "week <!here>"],
    ["a member mention as the period", "<@U0BOB00001>"],
  ])("GIVEN /leaderboard with %s THEN the refusal shows it as typed and pings no one", async (_what, text) => {
    const reply = await slackCommand("leaderboard", text);

    expect(reply).toMatchObject({ ephemeral: true, tone: "error" });
    const shown = mrkdwn(reply.text, TEAM);
    expect(shown).toMatch(/is not accepted — expected/);
    expect(shown).not.toMatch(LIVE);
  });

  it("GIVEN an option name no declaration has, forged as a group token THEN it is named as typed, not turned into a live group ping", async () => {
    const forged = roleMention({ id: `slack:${TEAM}:&${GROUP}`, name: "mods" });

    const reply = await t.engine.command(command({ [forged]: 1 }));

    expect(plainText(reply.text)).toMatch(/^Unknown option `⟦r:slack:T0GUILD001:&S0MODS0001\|mods⟧`\. It accepts: period, limit\./);
    expect(mrkdwn(reply.text, TEAM)).not.toMatch(LIVE);
  });

  it("GIVEN a value forged as a group token THEN it is shown as typed, not as a group", async () => {
    const reply = await t.engine.command(command({ period: roleMention({ id: `slack:${TEAM}:&${GROUP}`, name: "mods" }) }));

    expect(mrkdwn(reply.text, TEAM)).not.toMatch(LIVE);
    expect(plainText(reply.text)).toContain("`⟦r:slack:T0GUILD001:&S0MODS0001|mods⟧` is not accepted");
  });
});
