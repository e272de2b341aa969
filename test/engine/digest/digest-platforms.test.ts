/**
 * The digest end to end, on both platforms at once: one community spanning a Discord server (the
 * real discord.js client against the fake Discord) and a Slack workspace (Bolt against the fake
 * Slack). Members earn points on each; at the community's Monday 09:00 the job posts the week's
 * digest once to `channels.announcements` (Discord) and once to `digest.channels` (Slack), and a
 * second tick and delivery pass post nothing more. Each carries the top-10 picture (a Discord
 * attachment, a Slack upload into the channel), checked by decoding it.
 */
import { DateTime } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import { ALICE, ANNOUNCEMENTS, GUILD, type Harness, startHarness } from "../../adapters/discord/harness.js";
import { decodePicture, looksDrawn } from "../../helpers/png.js";
import { ALICE as SLACK_ALICE, GENERAL as SLACK_GENERAL, NEWS, readable, startWorld, TEAM, type World } from "../../adapters/slack/harness.js";

let h: Harness;
let w: World;

afterEach(async () => {
  await w?.close();
  await h?.close();
});

describe("the weekly digest on Discord and Slack", () => {
  it("GIVEN a community on both platforms THEN the digest is posted once in each announcements channel, naming members of both", async () => {
    h = await startHarness();
    const community = await h.community();
    // The Slack workspace joins the same community (what `/config join` does, before it has any points).
    await h.te.db.kysely.insertInto("community_workspaces").values({ platform: "slack", workspace_id: TEAM, community_id: community.id }).execute();
    w = await startWorld("http", { te: h.te });
    await h.updateSettings((s) => {
      s.channels.announcements = `discord:${GUILD}:${ANNOUNCEMENTS}`;
      s.digest.channels = [`slack:${TEAM}:${NEWS}`];
    });

    await h.say(ALICE, "hello from discord");
    await w.event(w.fake.payloads.messageEvent({ channel: SLACK_GENERAL, user: SLACK_ALICE, text: "hello from slack" }));
    await h.te.engine.drain();

    // The Monday 09:00 (UTC) after this week: its digest covers the week the posts were made in.
    const slot = DateTime.fromJSDate(h.te.clock.now(), { zone: "UTC" }).startOf("week").plus({ weeks: 1, hours: 9, seconds: 30 });
    h.te.clock.set(slot.toJSDate());
    const ticked = await h.te.engine.scheduler.tick();
    expect(ticked.runs.filter((r) => r.job === "weekly-digest").map((r) => r.outcome)).toEqual(["done"]);
    expect(await h.deliver()).toMatchObject({ sent: 2, failed: 0, refused: 0 });
    await h.te.engine.scheduler.tick();
    expect(await h.deliver()).toMatchObject({ sent: 0 });

    const discord = h.fake.botMessagesIn(ANNOUNCEMENTS);
    expect(discord).toHaveLength(1);
    const embed = discord[0]!.embeds[0]!;
    expect(embed.title).toMatch(/^Weekly digest — week \d+ of \d{4}/);
    const discordText = JSON.stringify(discord[0]);
    expect(discordText).toContain(`<@${ALICE}>`);
    expect(discordText).toContain("Contributor of the week");

    const [posted] = h.fake.requestsTo("POST", `/channels/${ANNOUNCEMENTS}/messages`);
    expect(posted!.files.map((f) => f.contentType)).toEqual(["image/png"]);
    const onDiscord = await decodePicture(posted!.files[0]!.data);
    expect(onDiscord.width).toBe(800);
    expect(looksDrawn(onDiscord)).toBe(true);

    const slack = w.fake.calls("chat.postMessage").filter((c) => c.params.channel === NEWS);
    expect(slack).toHaveLength(1);
    const slackText = readable(slack[0]!.params.text);
    expect(slackText).toMatch(/Weekly digest — week \d+ of \d{4}/);
    expect(slackText).toContain(`<@${SLACK_ALICE}>`);
    expect(slackText).toContain("2 active");
    const completed = await w.fake.waitForUpload((c) => c.params.channel_id === NEWS);
    expect(completed).toBeDefined();
    const upload = w.fake.uploads().find((u) => u.completed?.channelId === NEWS)!;
    expect(upload.altText).toMatch(/Top 10/);
    const onSlack = await decodePicture(upload.data!);
    expect(onSlack.width).toBe(800);
    expect(looksDrawn(onSlack)).toBe(true);
  });
});
