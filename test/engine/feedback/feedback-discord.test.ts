/**
 * Feedback end to end on Discord: the real discord.js client and adapter against the fake Discord.
 * A member's /feedback send posts the card in `channels.feedback`; a member's press of Answer is
 * refused; the owner's press opens a modal, whose submission DMs the member the answer and edits
 * the card (who answered; no buttons left). Asserted on what the fake received.
 */
import type { APIEmbed } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { ChannelType } from "discord.js";
import { opt } from "../../fakes/discord/fake-discord.js";
import { ALICE, BOB, GENERAL, GUILD, type Harness, OWNER, startHarness, WORLD } from "../../adapters/discord/harness.js";

const FEEDBACK = "1300000000000000030";

interface Body {
  type?: number;
  content?: string;
  embeds?: APIEmbed[];
  components?: { components: { custom_id: string; type: number }[] }[];
  data?: { content?: string; embeds?: APIEmbed[]; flags?: number; custom_id?: string; title?: string; components?: { components: { custom_id: string; type: number }[] }[] };
}

const text = (b: Body | undefined) => [b?.content, b?.data?.content, ...(b?.embeds ?? b?.data?.embeds ?? []).map((e) => `${e.title ?? ""}\n${e.description ?? ""}`)].filter(Boolean).join("\n");
const buttonIds = (b: Body | undefined) => (b?.components ?? b?.data?.components ?? []).flatMap((row) => row.components.map((c) => c.custom_id));

let h: Harness;
afterEach(() => h?.close());

async function delivered(): Promise<void> {
  await h.te.engine.drain();
  await h.deliver();
  await h.deliver();
}

async function run(userId: string, verb: string, options: Parameters<typeof opt.subcommand>[1] = []): Promise<Body> {
  const payload = h.fake.build.chatInputInteraction({ name: "feedback", userId, channelId: GENERAL, options: [opt.subcommand(verb, options)] });
  h.fake.dispatch("INTERACTION_CREATE", payload);
  return (await h.callback(payload)).body as Body;
}

async function pressButton(customId: string, userId: string, messageId: string): Promise<Body> {
  const payload = h.fake.build.buttonInteraction({ customId, userId, channelId: FEEDBACK, messageId });
  h.fake.dispatch("INTERACTION_CREATE", payload);
  return (await h.callback(payload)).body as Body;
}

describe("feedback on Discord", () => {
  it("GIVEN a member's feedback THEN the card is posted, Answer opens a modal for organizers only, and its submission DMs the member and edits the card", async () => {
    const guild = WORLD.guilds![0]!;
    h = await startHarness({ fake: { guilds: [{ ...guild, channels: [...guild.channels!, { id: FEEDBACK, name: "feedback" }] }] } });
    await h.updateSettings((s) => {
      s.channels.feedback = `discord:${GUILD}:${FEEDBACK}`;
    });

    const sent = await run(ALICE, "send", [opt.string("text", "Could talks be *recorded*? @everyone")]);
    expect(sent.data?.flags).toBe(64);
    expect(text(sent)).toContain("your feedback #1 went to the organizers. They see that it's from you.");
    await delivered();
    const cards = h.fake.requestsTo("POST", `/channels/${FEEDBACK}/messages`);
    expect(cards).toHaveLength(1);
    const card = cards[0]!.body as Body & { allowed_mentions?: { parse?: string[] } };
    expect(text(card)).toContain(`📝 Feedback #1 from <@${ALICE}>`);
    // Member text stays literal: the markdown is escaped and @everyone pings no one.
    expect(text(card)).toContain("Could talks be \\*recorded\\*?");
    expect(text(card)).not.toMatch(/(^|[^\\])@everyone/);
    const [answerId, closeId] = buttonIds(card);
    expect(answerId).toMatch(/^feedback:answer:F/);
    expect(closeId).toMatch(/^feedback:close:F/);
    const cardId = [...h.fake.world.messages.values()].filter((m) => m.channel_id === FEEDBACK).at(-1)!.id;

    // A member's press is refused privately; the owner's opens the modal.
    const refused = await pressButton(answerId!, BOB, cardId);
    expect(refused.data?.flags).toBe(64);
    expect(text(refused)).toContain("Only organizers can use /feedback.");
    const dialog = await pressButton(answerId!, OWNER, cardId);
    expect(dialog.type).toBe(9);
    expect(dialog.data).toMatchObject({ custom_id: answerId, title: "Answer feedback #1" });
    expect(dialog.data!.components![0]!.components[0]).toMatchObject({ custom_id: "answer" });

    const modal = h.fake.build.modalSubmitInteraction({ customId: dialog.data!.custom_id!, userId: OWNER, channelId: FEEDBACK, fields: { answer: "Yes — from January, on our channel." } });
    h.fake.dispatch("INTERACTION_CREATE", modal);
    const done = (await h.callback(modal)).body as Body;
    expect(text(done)).toContain(`Answered feedback #1: <@${ALICE}> gets your answer by direct message`);
    await delivered();

    // The member is sent the answer by DM.
    expect(h.fake.requestsTo("POST", "/users/@me/channels").map((r) => (r.body as { recipient_id: string }).recipient_id)).toEqual([ALICE]);
    const dm = [...h.fake.world.channels.values()].find((c) => c.api.type === ChannelType.DM)!;
    const dms = h.fake.requestsTo("POST", `/channels/${dm.api.id}/messages`);
    expect(dms).toHaveLength(1);
    expect(text(dms[0]!.body as Body)).toContain(`answered your feedback #1`);
    expect(text(dms[0]!.body as Body)).toContain("Yes — from January, on our channel.");

    // The card is edited in place: who answered, the answer, and no buttons.
    const edits = h.fake.requestsTo("PATCH", `/channels/${FEEDBACK}/messages/${cardId}`);
    expect(edits).toHaveLength(1);
    expect(text(edits[0]!.body as Body)).toContain(`✅ Answered by <@${OWNER}>`);
    expect(buttonIds(edits[0]!.body as Body)).toEqual([]);

    // /feedback mine shows it answered, privately.
    const mine = await run(ALICE, "mine");
    expect(mine.data?.flags).toBe(64);
    expect(text(mine)).toContain("#1 · answered");
    expect(text(mine)).toContain("Yes — from January, on our channel.");
  });
});
