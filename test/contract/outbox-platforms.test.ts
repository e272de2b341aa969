/**
 * What each platform's outbox does beyond the shared contract, read off what the fakes received:
 * Discord's nonce and its de-duplication window, @discordjs/rest's own rate-limit bucket surfacing
 * as an answer, the DM routes; Slack's metadata, no retries inside the client; console lines.
 */
import { afterEach, describe, expect, it } from "vitest";
import { nonceFor } from "../../src/adapters/discord/outbox.js";
import { CONTRACT_START } from "./outbox-contract.js";
import { ALICE, GENERAL, startDiscordHarness } from "./discord-harness.js";
import { GENERAL as SLACK_GENERAL, startSlackHarness } from "./slack-harness.js";
import { startConsoleHarness } from "./console-harness.js";
import { vi } from "vitest";

const start = new Date(CONTRACT_START);

describe("the Discord outbox", () => {
  let h: Awaited<ReturnType<typeof startDiscordHarness>>;
  afterEach(() => h.close());

  it("GIVEN a post THEN it carries the dedupe key's nonce with enforce_nonce and pings nobody", async () => {
    h = await startDiscordHarness(start);
    await h.outbox.post(h.channel, { text: "Level up!" }, "levelup:k:ada:2");
    const [request] = h.fake.requestsTo("POST", `/channels/${GENERAL}/messages`);
    expect(request?.body).toMatchObject({ content: "Level up!", nonce: nonceFor("levelup:k:ada:2"), enforce_nonce: true, allowed_mentions: { parse: [] } });
  });

  it("GIVEN the same post sent twice within Discord's nonce window THEN Discord returns the first message and shows one; after the window it would post again", async () => {
    h = await startDiscordHarness(start);
    const first = await h.outbox.post(h.channel, { text: "Once" }, "k1");
    const again = await h.outbox.post(h.channel, { text: "Once" }, "k1");
    expect(again).toEqual(first);
    expect(h.fake.requestsTo("POST", `/channels/${GENERAL}/messages`)).toHaveLength(2);
    expect(h.shown(h.channel)).toHaveLength(1);
    vi.setSystemTime(new Date(start.getTime() + 3 * 60_000 + 1));
    const late = await h.outbox.post(h.channel, { text: "Once" }, "k1");
    expect(late.ok && late.messageId).not.toBe(first.ok && first.messageId);
    expect(h.shown(h.channel)).toHaveLength(2);
  });

  it("GIVEN Discord said a bucket is exhausted THEN the next post there is answered rate-limited by @discordjs/rest itself, without a request, until the bucket resets", async () => {
    h = await startDiscordHarness(start);
    // The first 429 teaches REST the route's bucket hash; the second, from that bucket, exhausts it.
    h.fake.rateLimitNext({ method: "POST", path: `/channels/${GENERAL}/messages` }, { retryAfterSeconds: 5, times: 2 });
    expect(await h.outbox.post(h.channel, { text: "one" }, "a")).toMatchObject({ ok: false, reason: "rate-limited", retryAfterMs: 5_050 });
    expect(await h.outbox.post(h.channel, { text: "one" }, "a")).toMatchObject({ ok: false, reason: "rate-limited", retryAfterMs: 5_050 });
    // REST's own wait (reset + its 50 ms offset, counted once more): at least what Discord said.
    const early = await h.outbox.post(h.channel, { text: "two" }, "b");
    expect(early).toMatchObject({ ok: false, reason: "rate-limited", retryAfterMs: 5_100 });
    expect(h.fake.requestsTo("POST", `/channels/${GENERAL}/messages`)).toHaveLength(2);
    h.timeMoved(new Date(start.getTime() + 5_050));
    expect(await h.outbox.post(h.channel, { text: "two" }, "b")).toMatchObject({ ok: true });
    expect(h.fake.requestsTo("POST", `/channels/${GENERAL}/messages`)).toHaveLength(3);
  });

  it("GIVEN a DM THEN the DM channel is opened for the member and the post carries the nonce", async () => {
    h = await startDiscordHarness(start);
    const result = await h.outbox.dm(h.member, { text: "Hi Alice" }, "dm:1");
    expect(h.fake.requestsTo("POST", "/users/@me/channels").map((r) => r.body)).toEqual([{ recipient_id: ALICE }]);
    if (!result.ok) throw new Error(result.detail);
    const [post] = h.fake.requestsTo("POST", `/channels/${result.place.channelId}/messages`);
    expect(post?.body).toMatchObject({ nonce: nonceFor("dm:1"), enforce_nonce: true });
  });

  it("GIVEN a 5xx THEN it is a transient failure that may have been done (the nonce makes the retry safe)", async () => {
    h = await startDiscordHarness(start);
    h.failNextPost();
    expect(await h.outbox.post(h.channel, { text: "x" }, "5xx")).toMatchObject({ ok: false, reason: "transient", maybeDone: true });
  });

  it("GIVEN an edit of a message Discord does not know THEN the answer is not-found with Discord's code", async () => {
    h = await startDiscordHarness(start);
    const result = await h.outbox.edit(h.channel, "1400000000000000999", { text: "x" });
    expect(result).toMatchObject({ ok: false, reason: "not-found", detail: expect.stringContaining("10008") });
  });
});

describe("the Slack outbox", () => {
  let h: Awaited<ReturnType<typeof startSlackHarness>>;
  afterEach(() => h.close());

  it("GIVEN a post THEN it carries its dedupe key as message metadata, so a repeat can be recognised", async () => {
    h = await startSlackHarness();
    await h.outbox.post(h.channel, { text: "Level up!" }, "levelup:k:ada:2");
    expect(h.fake.channelMessages(SLACK_GENERAL).at(-1)?.metadata).toEqual({ event_type: "guildkeeper_outbox", event_payload: { dedupe_key: "levelup:k:ada:2" } });
  });

  it("GIVEN a 429 THEN it comes back at once as rate-limited with Retry-After, and the client did not retry on its own", async () => {
    h = await startSlackHarness();
    h.rateLimitNextPost!(30);
    expect(await h.outbox.post(h.channel, { text: "x" }, "k")).toMatchObject({ ok: false, reason: "rate-limited", retryAfterMs: 30_000 });
    expect(h.fake.calls("chat.postMessage")).toHaveLength(1);
  });

  it("GIVEN Slack's internal_error THEN it is transient and may have been done; a deactivated member is not-found", async () => {
    h = await startSlackHarness();
    h.fake.failNext("chat.postMessage", "internal_error");
    expect(await h.outbox.post(h.channel, { text: "x" }, "k")).toMatchObject({ ok: false, reason: "transient", maybeDone: true, detail: "internal_error" });
    h.fake.addUser({ id: "U0GONE0001", deleted: true });
    expect(await h.outbox.dm("slack:T0OUTBOX01:U0GONE0001", { text: "x" }, "k2")).toMatchObject({ ok: false, reason: "not-found", detail: "user_disabled" });
  });

  it("GIVEN a DM THEN conversations.open is called for the member and the message goes to the DM conversation", async () => {
    h = await startSlackHarness();
    const result = await h.outbox.dm(h.member, { text: "Hi" }, "dm");
    expect(h.fake.calls("conversations.open").map((c) => c.params.users)).toEqual(["U0ALICE001"]);
    expect(result).toMatchObject({ ok: true, place: { platform: "slack", channelId: "D0ALICE001" } });
  });

  it("GIVEN a place in another workspace THEN the answer is rejected, not a crash", async () => {
    h = await startSlackHarness();
    expect(await h.outbox.post({ platform: "slack", workspaceId: "T0OTHER", channelId: "C1" }, { text: "x" }, "k")).toMatchObject({ ok: false, reason: "rejected" });
  });
});

describe("the console outbox", () => {
  it("GIVEN a post, an edit, a delete and a DM THEN the transcript reads like the console", async () => {
    const h = await startConsoleHarness();
    const posted = await h.outbox.post(h.channel, { text: "Ada reached level 2", title: "Level up!" }, "k");
    if (!posted.ok) throw new Error(posted.detail);
    await h.outbox.edit(h.channel, posted.messageId, { text: "Ada reached level 3" });
    await h.outbox.delete(h.channel, posted.messageId);
    await h.outbox.delete(h.channel, await h.memberMessage());
    await h.outbox.dm(h.member, { text: "Your talk is tomorrow" }, "dm");
    expect(await h.outbox.post(h.channel, { text: "Ada reached level 2" }, "k")).toEqual(posted);
    expect(h.terminal.lines).toEqual([
      "bot in #general: Ada reached level 2",
      "bot edited its post in #general: Ada reached level 3",
      "  (bot deleted its post in #general)",
      "  (bot deleted #1)",
      "bot → @ada (direct message): Your talk is tomorrow",
    ]);
  });
});
