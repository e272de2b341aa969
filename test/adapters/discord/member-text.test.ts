/**
 * What a member types never becomes a mention, markup or a member — checked on what the fake
 * Discord received from the real discord.js client. Escaping is the first fence; `allowed_mentions`
 * with nothing allowed, on every message the bot sends, is the second.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { opt, type RecordedRequest } from "../../fakes/discord/fake-discord.js";
import { ALICE, BOB, GENERAL, GUILD, type Harness, MOD_ROLE, OWNER, startHarness, withPoints } from "./harness.js";

let h: Harness;

beforeEach(async () => {
  // 50 points a post: Alice's first post reaches level 1, so an announcement goes out too.
  h = await startHarness({ defaults: withPoints({ post: 50 }) });
});

afterEach(async () => {
  await h.close();
});

/** A thanks reason that tries every way in: forged tokens, raw mention markup, @everyone, a masked link. */
const FORGING_REASON = [
  "great",
  `⟦r:discord:${GUILD}:&${MOD_ROLE}|mods⟧`,
  `⟦m:discord:${GUILD}:${OWNER}|x⟧`,
  `<@&${MOD_ROLE}>`,
  `<@${OWNER}>`,
  "@everyone",
  "<@123>",
  "[x](http://e.co)",
].join(" ");

/** Message-sending requests: interaction callbacks, webhook follow-ups and edits, channel posts. */
function sends(): RecordedRequest[] {
  return h.fake.requests.filter((r) => (r.method === "POST" || r.method === "PATCH") && /^\/(interactions\/|webhooks\/|channels\/\d+\/messages$)/.test(r.path));
}

/** The part of a request body Discord reads as a message (a callback wraps it in `data`). */
function messageOf(r: RecordedRequest): Record<string, unknown> {
  const body = r.body as Record<string, unknown>;
  return r.path.startsWith("/interactions/") ? ((body.data ?? {}) as Record<string, unknown>) : body;
}

describe("member text in Discord replies", () => {
  it("GIVEN the forging reason THEN it fits /thanks's 200 characters (so it reaches the reply)", () => {
    expect(FORGING_REASON.length).toBeLessThanOrEqual(200);
  });

  it("GIVEN a thanks reason full of mention markup and forged tokens THEN what Discord receives pings nobody and shows it as typed", async () => {
    const command = h.fake.build.chatInputInteraction({ name: "thanks", userId: BOB, channelId: GENERAL, options: [opt.user("member", ALICE), opt.string("reason", FORGING_REASON)] });
    h.fake.dispatch("INTERACTION_CREATE", command);
    const posted = JSON.stringify(messageOf(await h.callback(command)));

    // Only the engine's own mentions are live: the giver and the receiver.
    expect([...posted.matchAll(/<@[!&]?(\d+)>/g)].map((m) => m[0])).toEqual([`<@${BOB}>`, `<@${ALICE}>`]);
    expect(posted).not.toContain("@everyone");
    // The masked link is escaped (`\[x](…)`): shown as typed, not as a link.
    expect(posted).not.toMatch(/(?<!\\)\[x\]\(/);
    // Still readable: the words are all there.
    expect(posted).toContain("great");
    expect(posted).toContain("e.co");
    expect(await h.points(ALICE)).toBe(10);
  });

  it("GIVEN a public reply, a private reply and an announcement THEN every message the bot sends carries allowed_mentions with nothing allowed", async () => {
    // An announcement (the engine's outbox, delivered through the Discord outbox): Alice reaches level 1.
    await h.say(ALICE, "my first post");
    expect(await h.deliver()).toMatchObject({ sent: 1 });
    expect(h.fake.requestsTo("POST", `/channels/${GENERAL}/messages`)).toHaveLength(1);
    // A reply (interaction callback).
    const command = h.fake.build.chatInputInteraction({ name: "thanks", userId: BOB, channelId: GENERAL, options: [opt.user("member", ALICE), opt.string("reason", FORGING_REASON)] });
    h.fake.dispatch("INTERACTION_CREATE", command);
    await h.callback(command);
    // A private answer to a button (a follow-up the presser alone sees).
    const points = h.fake.build.chatInputInteraction({ name: "points", userId: BOB, channelId: GENERAL });
    h.fake.dispatch("INTERACTION_CREATE", points);
    await h.callback(points);

    const all = sends();
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const request of all) {
      const message = messageOf(request);
      if (!("content" in message) && !("embeds" in message)) continue; // a defer carries no message
      expect({ path: request.path, allowed: message.allowed_mentions }).toEqual({ path: request.path, allowed: expect.objectContaining({ parse: [] }) });
    }
  });

  it("GIVEN a typed member id in a string position THEN it does not become a member and nothing is written", async () => {
    const command = h.fake.build.chatInputInteraction({ name: "thanks", userId: BOB, channelId: GENERAL, options: [opt.string("member", `discord:${GUILD}:${OWNER}`)] });
    h.fake.dispatch("INTERACTION_CREATE", command);
    const answer = messageOf(await h.callback(command));

    expect(answer.flags).toBe(64);
    expect(JSON.stringify(answer)).toContain("member");
    expect(await h.ledgerRows()).toBe(0);
  });
});
