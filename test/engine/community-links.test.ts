import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Actor, Place } from "../../src/core/identity.js";
import { plainText } from "../../src/core/reply.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";
import { command, member, message } from "../helpers/events.js";

const discordOwner = member("olga", { isPlatformAdmin: true });
const slackPlace: Place = { platform: "slack", workspaceId: "T1", channelId: "C1" };
const slackAdmin: Actor = { id: "slack:T1:U1", platform: "slack", workspaceId: "T1", userId: "U1", displayName: "sam", isBot: false, isPlatformAdmin: true };
const slackCommand = (name: string, subcommand: string, options: Record<string, unknown>) => ({ ...command({ name, subcommand, by: slackAdmin, options }), place: slackPlace });

let t: TestEngine;
beforeEach(async () => {
  t = await testEngine();
});
afterEach(() => t.close());

async function codeFromLink(): Promise<string> {
  const reply = await t.engine.command(command({ name: "config", subcommand: "link", by: discordOwner }));
  const code = /`\/config join ([A-Z0-9-]+)`/.exec(reply.text)?.[1];
  if (!code) throw new Error(`no code in: ${reply.text}`);
  return code;
}

describe("one community across Discord and Slack", () => {
  it("GIVEN a code from the Discord server WHEN a Slack admin joins with it THEN both earn into one leaderboard", async () => {
    const code = await codeFromLink();
    const joined = await t.engine.command(slackCommand("config", "join", { code: code.toLowerCase() }));
    expect(joined.tone).toBe("success");

    await t.engine.ingest(message({ id: "d1", by: member("ada"), at: "2026-11-26T10:00:00Z" }));
    await t.engine.ingest({
      kind: "message.created",
      key: "slack:T1:C1:1700000000.000100",
      messageKey: "slack:T1:C1:1700000000.000100",
      at: new Date("2026-11-26T10:01:00Z"),
      place: slackPlace,
      author: { ...slackAdmin, id: "slack:T1:U2", userId: "U2", displayName: "sol", isPlatformAdmin: false },
      text: "hello from Slack",
      mentions: [],
    });
    const board = await t.engine.command(slackCommand("leaderboard", "", { period: "all" }));
    expect(board.ranking?.rows.map((r) => plainText(r.name))).toEqual(["@ada", "@sol"]);
    const again = await t.engine.command(slackCommand("config", "join", { code }));
    expect(again.text).toContain("doesn't exist");
  });

  it("GIVEN a workspace that already earned points THEN it cannot join (two ledgers are never merged)", async () => {
    const code = await codeFromLink();
    await t.engine.ingest({
      kind: "message.created",
      key: "slack:T1:C1:1.1",
      messageKey: "slack:T1:C1:1.1",
      at: new Date("2026-11-26T10:00:00Z"),
      place: slackPlace,
      author: slackAdmin,
      text: "early bird",
      mentions: [],
    });
    const reply = await t.engine.command(slackCommand("config", "join", { code }));
    expect(reply).toMatchObject({ tone: "error", ephemeral: true });
    expect(reply.text).toContain("already has points of its own");
  });

  it("GIVEN a code older than 30 minutes THEN it is refused as expired", async () => {
    const code = await codeFromLink();
    t.clock.advance(31 * 60_000);
    const reply = await t.engine.command(slackCommand("config", "join", { code }));
    expect(reply.text).toContain("expired");
  });

  it("GIVEN a member THEN /config link is refused", async () => {
    const reply = await t.engine.command(command({ name: "config", subcommand: "link", by: member("bob") }));
    expect(reply.text).toBe("Only admins can use /config link.");
  });
});
