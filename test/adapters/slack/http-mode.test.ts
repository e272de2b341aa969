import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { naturalKeys } from "../../../src/core/events.js";
import { memberId } from "../../../src/core/identity.js";
import { nowSeconds } from "../../fakes/slack/index.js";
import { ALICE, BOB, GENERAL, readable, startWorld, TEAM, type World } from "./harness.js";

let w: World;
beforeEach(async () => {
  w = await startWorld("http");
});
afterEach(async () => {
  await w.close();
});

describe("Slack over HTTP: signed events reach the engine, and Slack gets its 200 only after commit", () => {
  it("GIVEN a correctly signed message event THEN the author earns post points before Slack gets its 200", async () => {
    const res = await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "hello guild" }));

    expect(res.status).toBe(200);
    // processBeforeResponse: the 200 left only after the listener, so the row is already there.
    expect(await w.points(ALICE)).toBe(5);
  });

  it.each([
    ["a wrong signature", { badSignature: true }],
    ["a timestamp six minutes old", { timestamp: nowSeconds() - 6 * 60 }],
  ])("GIVEN %s THEN Slack gets 401 and nothing is written", async (_, post) => {
    const res = await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "forged" }), { post });

    expect(res.status).toBe(401);
    expect(await w.ledger()).toEqual([]);
  });

  it("GIVEN an event re-delivered with X-Slack-Retry-Num: 1 THEN it is awarded once", async () => {
    const message = w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "once" });

    expect((await w.event(message, { eventId: "Ev0RETRY01" })).status).toBe(200);
    expect((await w.event(message, { eventId: "Ev0RETRY01", retry: 1 })).status).toBe(200);

    expect(await w.ledger()).toHaveLength(1);
    expect(await w.points(ALICE)).toBe(5);
  });

  it("GIVEN the first attempt failed in the engine WHEN Slack retries THEN the retry is processed, not dropped for its header", async () => {
    vi.spyOn(w.te.engine, "ingest").mockRejectedValueOnce(new Error("disk I/O error"));
    const message = w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "try again" });

    expect((await w.event(message, { eventId: "Ev0FAIL001" })).status).toBe(500);
    expect(await w.ledger()).toEqual([]);
    expect((await w.event(message, { eventId: "Ev0FAIL001", retry: 1 })).status).toBe(200);

    expect(await w.points(ALICE)).toBe(5);
  });

  it("GIVEN a message and then its message_deleted THEN the post points are taken back", async () => {
    const message = w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "regrettable" });
    await w.event(message);
    await w.event(w.fake.payloads.messageDeleted({ channel: GENERAL, user: ALICE, ts: message.ts, previousText: "regrettable" }));

    expect(await w.points(ALICE)).toBe(0);
    expect((await w.ledger()).map((r) => r.amount)).toEqual([5, -5]);
  });

  it("GIVEN a reaction +1::skin-tone-2 THEN it counts as 👍 for the message's author", async () => {
    const message = w.fake.payloads.messageEvent({ channel: GENERAL, user: BOB, text: "a helpful answer" });
    await w.event(message);
    await w.event(w.fake.payloads.reactionAdded({ user: ALICE, reaction: "+1::skin-tone-2", itemUser: BOB, channel: GENERAL, ts: message.ts }));

    const reaction = (await w.ledger()).find((r) => r.reason === "reaction");
    expect(reaction).toMatchObject({ key: naturalKeys.slackReaction(TEAM, GENERAL, message.ts, ALICE, "👍"), member_id: memberId("slack", TEAM, BOB), amount: 1 });
  });

  it("GIVEN one message delivered as both message and app_mention THEN it is awarded once", async () => {
    const message = w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "<@U0GKBOT001> what's my rank?" });
    await w.event(message, { eventId: "Ev0MSG0001" });
    await w.event(w.fake.payloads.appMention({ channel: GENERAL, user: ALICE, text: "what's my rank?", ts: message.ts }), { eventId: "Ev0MENTION1" });

    expect(await w.ledger()).toHaveLength(1);
  });

  it("GIVEN a thread reply THEN it earns reply points in the thread of its parent", async () => {
    const parent = w.fake.payloads.messageEvent({ channel: GENERAL, user: BOB, text: "question?" });
    await w.event(parent);
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "answer!", threadTs: parent.ts, parentUserId: BOB }));

    expect(await w.points(ALICE)).toBe(2);
    const stored = await w.te.db.kysely.selectFrom("messages").select(["thread_parent_key"]).where("member_id", "=", memberId("slack", TEAM, ALICE)).executeTakeFirstOrThrow();
    expect(stored.thread_parent_key).toBe(naturalKeys.slackMessage(TEAM, GENERAL, parent.ts));
  });

  it("GIVEN messages from bots and a channel join THEN nobody earns anything", async () => {
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, text: "build passed", classicBot: true }));
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: "U0OTHERBOT", botId: "B0OTHERBOT", text: "beep" }));
    await w.event({ ...w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "<@U0ALICE001> has joined the channel" }), subtype: "channel_join" });

    expect(await w.ledger()).toEqual([]);
  });
});

describe("Slack over HTTP: slash commands", () => {
  it("GIVEN a signed slash command with text that does not parse THEN the answer is an ephemeral usage message and nothing is written", async () => {
    const { status, body } = await w.command("leaderboard", "week 10 and more", ALICE);

    expect(status).toBe(200);
    expect(body?.response_type).toBe("ephemeral");
    expect(readable(body?.text)).toContain("Usage: /leaderboard [week|month|all] [limit]");
    expect(await w.ledger()).toEqual([]);
  });

  it("GIVEN a slash command whose value the engine rejects THEN the ephemeral answer names the option and shows the syntax", async () => {
    const { body } = await w.command("thanks", "nobody", ALICE);

    expect(body?.response_type).toBe("ephemeral");
    expect(readable(body?.text)).toContain("Usage: /thanks <member> [reason]");
    expect(await w.ledger()).toEqual([]);
  });

  it("GIVEN members with points WHEN someone runs /leaderboard THEN the answer is Block Kit: a header, a ranked list with mentions, and period buttons", async () => {
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "first" }));
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: BOB, text: "<@U0ALICE001> thanks!" }));

    const { body } = await w.command("leaderboard", "", ALICE);

    expect(body?.response_type).toBe("in_channel");
    expect(readable(body?.text)).toContain("Leaderboard");
    const blocks = body?.blocks as { type: string; text?: { text: string }; elements?: { action_id: string }[] }[];
    expect(blocks[0]).toMatchObject({ type: "header", text: { text: expect.stringContaining("Leaderboard") } });
    const ranking = blocks.find((b) => b.type === "section")!.text!.text;
    expect(ranking.split("\n")[0]).toBe(`:first_place_medal: <@${ALICE}> — *15* points · _level 0_`);
    expect(ranking).toContain(`<@${BOB}>`);
    const actions = blocks.find((b) => b.type === "actions")!;
    expect(actions.elements!.map((e) => e.action_id)).toEqual(["leaderboard:show:month:10", "leaderboard:show:all:10"]);
  });
});
