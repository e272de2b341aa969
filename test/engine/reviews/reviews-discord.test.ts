/**
 * Code-review requests end to end on Discord: the real discord.js client and adapter against the
 * fake Discord. `/review request` posts the card in the reviews channel with a Claim button; the
 * requester's own press is refused privately; another member's press claims it and the card is
 * edited in place (PATCH) to say who is reviewing, with Done; the requester's Done press pays the
 * reviewer, edits the card to say done and DMs the reviewer.
 */
import type { APIEmbed } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { opt } from "../../fakes/discord/fake-discord.js";
import { ALICE, BOB, GUILD, type Harness, startHarness, WORLD } from "../../adapters/discord/harness.js";

const REVIEWS = "1300000000000000030";
const PR = "https://github.com/acme/widgets/pull/42";

interface Body {
  type?: number;
  content?: string;
  embeds?: APIEmbed[];
  components?: { components: { custom_id: string; label?: string }[] }[];
  data?: { content?: string; embeds?: APIEmbed[]; flags?: number };
}

const shown = (b: Body | undefined) => [b?.content, b?.data?.content, ...(b?.embeds ?? b?.data?.embeds ?? []).map((e) => `${e.title ?? ""}\n${e.description ?? ""}`)].filter(Boolean).join("\n");
const buttonIds = (b: Body | undefined) => (b?.components ?? []).flatMap((row) => row.components.map((c) => c.custom_id));

let h: Harness;
afterEach(() => h?.close());

async function interact(payload: { id: string; token: string }): Promise<Body> {
  h.fake.dispatch("INTERACTION_CREATE", payload);
  return (await h.callback(payload)).body as Body;
}

async function delivered(): Promise<void> {
  await h.te.engine.drain();
  await h.deliver();
  await h.deliver();
}

describe("code-review requests on Discord", () => {
  it("GIVEN channels.reviews THEN a request's card is posted with Claim, a press claims it (the card edited in place), and the requester's Done pays the reviewer, who is told", async () => {
    const guild = WORLD.guilds![0]!;
    h = await startHarness({ fake: { guilds: [{ ...guild, channels: [...guild.channels!, { id: REVIEWS, name: "reviews" }] }] } });

    const unset = await interact(h.fake.build.chatInputInteraction({ name: "review", userId: ALICE, channelId: REVIEWS, options: [opt.subcommand("request", [opt.string("link", PR)])] }));
    expect(unset.data?.flags).toBe(64);
    expect(shown(unset)).toContain("an admin sets it with `/config set channels.reviews #channel`");
    await h.updateSettings((s) => {
      s.channels.reviews = `discord:${GUILD}:${REVIEWS}`;
    });

    const asked = await interact(h.fake.build.chatInputInteraction({ name: "review", userId: ALICE, channelId: REVIEWS, options: [opt.subcommand("request", [opt.string("link", PR), opt.string("description", "Adds **retries** @everyone")])] }));
    expect(asked.data?.flags).toBe(64);
    expect(shown(asked)).toContain(`Posted your request as code review #1 in <#${REVIEWS}>.`);
    await delivered();
    const posts = h.fake.requestsTo("POST", `/channels/${REVIEWS}/messages`);
    expect(posts).toHaveLength(1);
    const card = posts[0]!.body as Body;
    expect(shown(card)).toContain(`🔍 Code review #1 requested by <@${ALICE}>`);
    expect(shown(card)).toContain(`GitHub pull request: ${PR}`);
    // What the member typed is shown as typed: no bold, no @everyone.
    expect(shown(card)).toContain("“Adds \\*\\*retries\\*\\* @\u200beveryone”");
    expect(buttonIds(card)).toEqual(["review:claim:1"]);
    const cardId = [...h.fake.world.messages.values()].filter((m) => m.channel_id === REVIEWS).at(-1)!.id;

    // The requester's own press: refused privately, the card untouched.
    const own = await interact(h.fake.build.buttonInteraction({ customId: "review:claim:1", userId: ALICE, channelId: REVIEWS, messageId: cardId }));
    expect(own.data?.flags).toBe(64);
    expect(shown(own)).toContain("That's your own request");
    await delivered();
    expect(h.fake.requestsTo("PATCH", `/channels/${REVIEWS}/messages/${cardId}`)).toHaveLength(0);

    // Bob claims it with the button: a private answer, and the card edited in place.
    const claimed = await interact(h.fake.build.buttonInteraction({ customId: "review:claim:1", userId: BOB, channelId: REVIEWS, messageId: cardId }));
    expect(claimed.data?.flags).toBe(64);
    expect(shown(claimed)).toContain("You're reviewing code review #1 — reply in the card's thread.");
    await delivered();
    const [edit] = h.fake.requestsTo("PATCH", `/channels/${REVIEWS}/messages/${cardId}`);
    expect(shown(edit!.body as Body)).toContain(`👀 <@${BOB}> is reviewing — reply in this thread.`);
    expect(buttonIds(edit!.body as Body)).toEqual(["review:done:1", "review:release:1"]);

    // Alice presses Done: Bob earns 20, the card says done (no buttons), Bob gets a DM.
    const done = await interact(h.fake.build.buttonInteraction({ customId: "review:done:1", userId: ALICE, channelId: REVIEWS, messageId: cardId }));
    expect(done.data?.flags).toBe(64);
    expect(shown(done)).toContain(`Marked code review #1 done: <@${BOB}> earns 20 points and has been told.`);
    await delivered();
    const edits = h.fake.requestsTo("PATCH", `/channels/${REVIEWS}/messages/${cardId}`);
    expect(edits).toHaveLength(2);
    expect(shown(edits[1]!.body as Body)).toContain(`✅ Done — reviewed by <@${BOB}> (+20 points)`);
    expect(buttonIds(edits[1]!.body as Body)).toEqual([]);
    expect(await h.points(BOB)).toBe(20);
    expect(h.fake.requestsTo("POST", "/users/@me/channels").map((r) => (r.body as { recipient_id: string }).recipient_id)).toEqual([BOB]);
    const dms = h.fake.requestsTo("POST", /^\/channels\/[0-9]+\/messages$/).filter((r) => !r.path.includes(REVIEWS));
    expect(dms.map((r) => shown(r.body as Body)).join("\n")).toContain(`✅ <@${ALICE}> marked code review #1 done — thank you for reviewing! You earned 20 points.`);

    // A second press of Done changes nothing.
    const again = await interact(h.fake.build.buttonInteraction({ customId: "review:done:1", userId: ALICE, channelId: REVIEWS, messageId: cardId }));
    expect(shown(again)).toContain("Code review #1 is already done");
    await delivered();
    expect(h.fake.requestsTo("PATCH", `/channels/${REVIEWS}/messages/${cardId}`)).toHaveLength(2);
    expect(await h.points(BOB)).toBe(20);
  });
});
