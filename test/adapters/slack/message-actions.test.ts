/**
 * Message shortcuts, end to end through Bolt against the fake Slack: the shortcut the manifest
 * derives from the "Thank the author" declaration, delivered as Slack delivers a `message_action`
 * (a signed form POST in HTTP mode, an `interactive` envelope in Socket Mode), answered through its
 * response_url.
 */
import { afterEach, describe, expect, it } from "vitest";
import { commands, messageActions } from "../../../commands/index.js";
import { buildManifest } from "../../../src/adapters/slack/manifest.js";
import type { RecordedResponse } from "../../fakes/slack/index.js";
import { ALICE, BOB, GENERAL, type Mode, readable, startWorld, TEAM, type World } from "./harness.js";

let w: World;
afterEach(async () => {
  await w.close();
});

/** The callback_id Slack sends for "Thank the author": the one the manifest gives it. */
const THANK_AUTHOR = buildManifest(commands, messageActions).features!.shortcuts!.find((s) => s.name === "Thank the author")!.callback_id;

interface Answer {
  response_type: string;
  replace_original: boolean;
  text: string;
}

describe.each<Mode>(["http", "socket"])("Slack message shortcuts (%s): derived from the message action declarations", (mode) => {
  /** Uses a shortcut on a message; resolves with the acknowledgement and the answer sent to its response_url. */
  async function useShortcut(o: { user: string; messageTs: string; messageUser?: string; botId?: string; callbackId?: string }): Promise<{ ack: { status: number; body: unknown }; answer: Answer; response: RecordedResponse }> {
    const payload = w.fake.payloads.messageAction({
      callbackId: o.callbackId ?? THANK_AUTHOR,
      user: o.user,
      channel: GENERAL,
      messageTs: o.messageTs,
      messageText: "Here's how to fix the build",
      ...(o.messageUser !== undefined ? { messageUser: o.messageUser } : {}),
      ...(o.botId !== undefined ? { botId: o.botId } : {}),
    });
    const ack = await w.interaction(payload);
    const response = await w.fake.waitForResponse((r) => r.url === payload.response_url);
    return { ack, answer: response.body as Answer, response };
  }

  it("GIVEN alice's message WHEN bob uses “Thank the author” THEN it is acknowledged bare, alice is thanked in the channel, and a second use on that message counts nothing", async () => {
    w = await startWorld(mode);

    const first = await useShortcut({ user: BOB, messageTs: "1700000000.000100", messageUser: ALICE });

    expect(first.ack).toEqual({ status: 200, body: undefined });
    expect(first.answer).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(readable(first.answer.text)).toBe(`<@${BOB}> thanked <@${ALICE}> (+10 points)`);
    expect(await w.points(ALICE)).toBe(10);
    // The author was confirmed with Slack, not taken from the payload alone.
    expect(w.fake.calls("users.info").map((c) => c.params.user)).toContain(ALICE);

    const again = await useShortcut({ user: BOB, messageTs: "1700000000.000100", messageUser: ALICE });

    expect(again.answer).toMatchObject({ response_type: "ephemeral", text: "That thanks was already counted." });
    expect(await w.points(ALICE)).toBe(10);
    expect(await w.ledger()).toEqual([expect.objectContaining({ member_id: `slack:${TEAM}:${ALICE}`, amount: 10, reason: "thanks" })]);
  });

  it("GIVEN alice's own message WHEN she uses “Thank the author” on it THEN a private refusal and nothing written", async () => {
    w = await startWorld(mode);

    const { answer } = await useShortcut({ user: ALICE, messageTs: "1700000000.000200", messageUser: ALICE });

    expect(answer.response_type).toBe("ephemeral");
    expect(readable(answer.text)).toContain("You can't thank yourself");
    expect(await w.ledger()).toEqual([]);
  });

  it("GIVEN a webhook's message (Slack sends no message.user) THEN a private answer naming why, and nothing written", async () => {
    w = await startWorld(mode);

    const { answer } = await useShortcut({ user: BOB, messageTs: "1700000000.000300", botId: "B0WEBHOOK1" });

    expect(answer).toMatchObject({ response_type: "ephemeral", text: "“Thank the author” works on messages a member wrote; that one was posted by an app or an integration." });
    expect(await w.ledger()).toEqual([]);
  });

  it("GIVEN an app's message posted with its bot user THEN Slack's is_bot makes it a private 'bots don't collect points'", async () => {
    w = await startWorld(mode, { fake: { users: [{ id: "U0APPBOT01", name: "ci-bot", isBot: true }] } });

    const { answer } = await useShortcut({ user: BOB, messageTs: "1700000000.000400", messageUser: "U0APPBOT01", botId: "B0CIBOT001" });

    expect(answer.response_type).toBe("ephemeral");
    expect(readable(answer.text)).toContain("Bots don't collect points");
    expect(await w.ledger()).toEqual([]);
  });

  it("GIVEN an author Slack does not know (users.info: user_not_found) THEN a private answer and nothing written", async () => {
    w = await startWorld(mode);

    const { answer } = await useShortcut({ user: BOB, messageTs: "1700000000.000500", messageUser: "U0GHOST001" });

    expect(answer.response_type).toBe("ephemeral");
    expect(answer.text).toMatch(/^Slack doesn't know the author of that message/);
    expect(await w.ledger()).toEqual([]);
  });

  it("GIVEN a shortcut an older manifest still shows THEN it is acknowledged and answered privately", async () => {
    w = await startWorld(mode);

    const { ack, answer } = await useShortcut({ user: BOB, messageTs: "1700000000.000600", messageUser: ALICE, callbackId: "bookmark" });

    expect(ack.status).toBe(200);
    expect(answer).toMatchObject({ response_type: "ephemeral", text: "That shortcut no longer does anything." });
    expect(await w.ledger()).toEqual([]);
  });
});
