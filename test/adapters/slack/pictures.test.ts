/**
 * Pictures on Slack, end to end: the real Bolt app answers a slash command, then uploads the
 * reply's picture through files.getUploadURLExternal → POST → files.completeUploadExternal; the
 * fake records each step and the bytes, and the test decodes the PNG that reached "Slack".
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodePicture, looksDrawn } from "../../helpers/png.js";
import { ALICE, BOB, GENERAL, startWorld, type World } from "./harness.js";

let w: World;
beforeEach(async () => {
  w = await startWorld("socket");
});
afterEach(async () => {
  await w.close();
});

describe("pictures on Slack", () => {
  it("GIVEN members with points WHEN someone runs /leaderboard THEN the text answers at once and the top-10 PNG is uploaded into the same channel with its alt text", async () => {
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "earning" }));
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: BOB, text: "me too" }));

    const { body } = await w.command("leaderboard", "all", BOB);

    expect(body?.response_type).toBe("in_channel");
    expect(String(body?.text)).toContain("Leaderboard — all time");
    const completed = await w.fake.waitForUpload((c) => c.params.channel_id === GENERAL);
    expect(completed.params).not.toHaveProperty("thread_ts");
    const [upload] = w.fake.uploads();
    expect(upload).toMatchObject({ filename: "leaderboard.png", altText: expect.stringMatching(/^Leaderboard — all time \(All-time points\): 1\. alice, 5 points, level 0; 1\. bob, 5 points, level 0\.$/), completed: { channelId: GENERAL } });
    expect(upload!.length).toBe(upload!.data!.length);
    const decoded = await decodePicture(upload!.data!);
    expect(decoded).toMatchObject({ width: 800, height: 104 + 2 * 64 - 8 + 24 });
    expect(looksDrawn(decoded)).toBe(true);
    // The upload URL came from Slack's answer: the bot token is never sent there.
    expect(upload!.authorized).toBe(false);
    expect(w.fake.calls("files.getUploadURLExternal")[0]?.params).toMatchObject({ filename: "leaderboard.png", alt_txt: upload!.altText });
  });

  it("GIVEN a private answer (/points about yourself) THEN Slack cannot attach a file to it: the rank card goes to the member's direct messages, with the answer's text", async () => {
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "earning" }));

    const { body } = await w.command("points", "", ALICE);

    expect(body?.response_type).toBe("ephemeral");
    const completed = await w.fake.waitForUpload();
    const dm = (await w.fake.waitForCall("conversations.open")).response.channel as { id: string };
    expect(completed.params).toMatchObject({ channel_id: dm.id, initial_comment: expect.stringContaining("has 5 points: level 0, rank #1") });
    const [upload] = w.fake.uploads();
    expect(upload?.filename).toBe("rank-card.png");
    expect(await decodePicture(upload!.data!)).toMatchObject({ width: 934, height: 282 });
    // Nothing was uploaded where others could see it.
    expect(w.fake.uploads().filter((u) => u.completed?.channelId === GENERAL)).toEqual([]);
  });

  it("GIVEN the board's period button WHEN pressed THEN the new picture goes into the pressed message's thread, not the channel", async () => {
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "earning" }));
    const messageTs = w.fake.addMemberMessage(GENERAL, ALICE, "placeholder for the board");

    await w.interaction(w.fake.payloads.blockActions({ actionId: "leaderboard:show:all:10", user: BOB, channel: GENERAL, messageTs }));

    const completed = await w.fake.waitForUpload();
    expect(completed.params).toMatchObject({ channel_id: GENERAL, thread_ts: messageTs });
  });

  it("GIVEN the bot may not upload into the channel THEN the text answer stands and the failure is only logged", async () => {
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "earning" }));
    w.fake.failNext("files.completeUploadExternal", "not_in_channel");

    const { body } = await w.command("leaderboard", "all", ALICE);

    expect(String(body?.text)).toContain("Leaderboard — all time");
    const failed = await w.fake.waitForCall("files.completeUploadExternal");
    expect(failed.response).toEqual({ ok: false, error: "not_in_channel" });
  });
});
