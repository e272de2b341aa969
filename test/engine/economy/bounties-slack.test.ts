/**
 * /bounty end to end on Slack (HTTP mode): the real Bolt app against the fake Slack. Slack runs
 * slash commands in channels, not threads, so the question is given by its message link; the
 * answerer is told by DM.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ALICE, BOB, GENERAL, readable, startWorld, TEAM, type World } from "../../adapters/slack/harness.js";
import { balanceOf, earn } from "./bounties-harness.js";

let w: World;
afterEach(() => w?.close());

const answerText = (ack: { body: Record<string, unknown> | undefined }) => readable(ack.body?.text ?? "") + readable(JSON.stringify(ack.body?.blocks ?? ""));
const slackMember = (user: string, name: string) => ({ id: `slack:${TEAM}:${user}`, platform: "slack" as const, workspaceId: TEAM, userId: user, displayName: name, isBot: false });

describe("bounties on Slack", () => {
  it("GIVEN a question's link THEN /bounty post escrows, /bounty list shows it, /bounty award pays the answerer who is told by DM", async () => {
    w = await startWorld("http");
    const bob = slackMember(BOB, "bob");
    await earn(w.te, bob, 50);
    await w.te.engine.drain();
    const link = `https://fake.slack.com/archives/${GENERAL}/p1764590000123456`;
    // How the bot shows it: the canonical link (any workspace domain opens it).
    const shown = `https://slack.com/archives/${GENERAL}/p1764590000123456`;

    const noQuestion = await w.command("bounty", "post 10", BOB);
    expect(answerText(noQuestion)).toContain("Which question?");
    const posted = await w.command("bounty", `post 20 ${link}`, BOB);
    expect(answerText(posted)).toContain(`<@${BOB}> put a bounty of 20 points on ${shown}`);
    expect(await balanceOf(w.te, bob)).toBe(30);

    const list = await w.command("bounty", "list", ALICE);
    expect(answerText(list)).toContain(`• 20 points — ${shown} by <@${BOB}> · expires `);

    const awarded = await w.command("bounty", `award <@${ALICE}> ${link}`, BOB);
    expect(answerText(awarded)).toContain(`to <@${ALICE}>; the question is marked solved`);
    await w.te.engine.drain();
    await w.deliver();
    await w.deliver();
    const dms = w.fake.calls("chat.postMessage").filter((c) => readable(c.params.text).includes("You received the 20-point bounty"));
    expect(dms).toHaveLength(1);
    const opened = w.fake.calls("conversations.open");
    expect(opened.map((c) => c.params.users)).toEqual([ALICE]);
    expect(dms[0]!.params.channel).toBe((opened[0]!.response.channel as { id: string }).id);
    expect(readable(dms[0]!.params.text)).toContain(`You received the 20-point bounty <@${BOB}> put on ${shown}: your answer solved it.`);
    expect(await balanceOf(w.te, slackMember(ALICE, "alice"))).toBe(20);
  });
});
