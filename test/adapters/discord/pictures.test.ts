/**
 * Pictures on Discord, end to end: the real discord.js client answers interactions with the
 * engine's pictures as multipart files (`payload_json` + `files[n]`), the fake records them, and
 * the test decodes the PNG that reached "Discord".
 */
import type { APIEmbed } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiscordOutbox, outboxRest } from "../../../src/adapters/discord/outbox.js";
import { renderWeeklyChart } from "../../../src/engine/pictures/index.js";
import { FakeDiscord, opt } from "../../fakes/discord/fake-discord.js";
import { silentLog } from "../../helpers/engine.js";
import { decodePicture, looksDrawn } from "../../helpers/png.js";
import { ALICE, BOB, GENERAL, GUILD, type Harness, startHarness, THREAD } from "./harness.js";

interface CallbackBody {
  type: number;
  data?: { embeds?: APIEmbed[]; attachments?: { id: string; description?: string }[]; flags?: number };
}

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

describe("pictures on Discord", () => {
  it("GIVEN members with points WHEN someone runs /leaderboard THEN the answer carries the top-10 PNG as files[0], with alt text, shown inside the embed", async () => {
    await h.say(ALICE, "a post");
    await h.say(BOB, "a reply", { channelId: THREAD });
    const payload = h.fake.build.chatInputInteraction({ name: "leaderboard", userId: BOB, channelId: GENERAL, options: [opt.string("period", "all")] });
    h.fake.dispatch("INTERACTION_CREATE", payload);

    const request = await h.callback(payload);

    const body = request.body as CallbackBody;
    expect(body.type).toBe(4);
    // The text version stays: the ranking is in the embed's description.
    expect(body.data?.embeds?.[0]?.description).toContain("**5** points");
    expect(body.data?.embeds?.[0]?.image).toEqual({ url: "attachment://leaderboard.png" });
    expect(body.data?.attachments).toEqual([expect.objectContaining({ id: "0", description: expect.stringMatching(/^Leaderboard — all time \(All-time points\): 1\. Alice, 5 points, level 0; 2\. bob, 2 points, level 0\.$/) })]);
    expect(request.files).toEqual([expect.objectContaining({ field: "files[0]", filename: "leaderboard.png", contentType: "image/png" })]);
    const decoded = await decodePicture(request.files[0]!.data);
    expect(decoded).toMatchObject({ width: 800, height: 104 + 2 * 64 - 8 + 24 });
    expect(looksDrawn(decoded)).toBe(true);
    // Discord's message holds the attachment under its file name and description.
    const message = [...h.fake.world.messages.values()].find((m) => m.attachments.length > 0);
    expect(message?.attachments[0]).toMatchObject({ filename: "leaderboard.png", content_type: "image/png", description: body.data?.attachments?.[0]?.description });
  });

  it("GIVEN a member WHEN they run /points THEN the ephemeral answer carries their rank card", async () => {
    await h.say(ALICE, "first post");
    const payload = h.fake.build.chatInputInteraction({ name: "points", userId: ALICE, channelId: GENERAL });
    h.fake.dispatch("INTERACTION_CREATE", payload);

    const request = await h.callback(payload);

    expect((request.body as CallbackBody).data?.flags).toBe(64);
    expect(request.files.map((f) => f.filename)).toEqual(["rank-card.png"]);
    expect(await decodePicture(request.files[0]!.data)).toMatchObject({ width: 934, height: 282 });
  });

  it("GIVEN the leaderboard's period button WHEN pressed THEN the message is replaced with the new board's picture, and the old one is dropped", async () => {
    await h.say(ALICE, "a post");
    const payload = h.fake.build.buttonInteraction({ customId: "leaderboard:show:all:10", userId: BOB, channelId: GENERAL });
    h.fake.dispatch("INTERACTION_CREATE", payload);

    const request = await h.callback(payload);

    expect((request.body as CallbackBody).type).toBe(7);
    // `attachments` lists only the new file: Discord drops the attachments not listed.
    expect((request.body as CallbackBody).data?.attachments).toEqual([expect.objectContaining({ id: "0", description: expect.stringContaining("1. Alice, 5 points") })]);
    expect(request.files.map((f) => f.filename)).toEqual(["leaderboard.png"]);
  });

  it("GIVEN a post with a picture through the outbox's raw REST THEN payload_json lists it in attachments (id, filename, description) beside its files[0] part, and an edit replaces it", async () => {
    const rest = outboxRest({ token: FakeDiscord.TOKEN, apiUrl: h.fake.restUrl, retries: 0 });
    const outbox = new DiscordOutbox(rest, silentLog);
    const chart = renderWeeklyChart({ title: "Active members", weeks: [{ label: "W48", value: 12 }] });
    const place = { platform: "discord" as const, workspaceId: GUILD, channelId: GENERAL };

    const posted = await outbox.post(place, { text: "Weekly digest", attachments: [chart] }, "pictures:post");
    if (!posted.ok) throw new Error(posted.detail);
    const edited = await outbox.edit(place, posted.messageId, { text: "Weekly digest (corrected)", attachments: [chart] });

    expect(edited.ok).toBe(true);
    const [post, edit] = h.fake.requests.filter((r) => r.path.startsWith(`/channels/${GENERAL}/messages`) && r.files.length > 0);
    expect(post?.body).toMatchObject({ content: "Weekly digest", attachments: [{ id: 0, filename: "weekly-chart.png", description: chart.description }], nonce: expect.any(String), enforce_nonce: true });
    expect(post?.files.map((f) => [f.field, f.filename, f.data.toString("base64") === chart.data])).toEqual([["files[0]", "weekly-chart.png", true]]);
    expect(edit?.method).toBe("PATCH");
    expect(edit?.body).toMatchObject({ attachments: [{ id: 0, filename: "weekly-chart.png" }] });
    // The edited message holds one picture, the new one: the old attachment was not kept.
    expect(h.fake.world.messages.get(posted.messageId)?.attachments).toHaveLength(1);
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  });
});
