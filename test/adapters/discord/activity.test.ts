/**
 * Messages, thread replies, reactions and deletions travel from the fake gateway through the real
 * discord.js Client and the adapter into the engine's ledger — once, however often Discord sends them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { naturalKeys } from "../../../src/core/events.js";
import { ALICE, BOB, CAROL, capturingLog, discordId, GENERAL, GUILD, type Harness, startHarness, THREAD } from "./harness.js";

let h: Harness;
let lines: string[];

beforeEach(async () => {
  const captured = capturingLog();
  lines = captured.lines;
  h = await startHarness({ log: captured.log });
});

afterEach(async () => {
  await h.close();
});

describe("messages", () => {
  it("GIVEN a member posts in a channel and another replies in a thread THEN the post earns 5 and the reply 2", async () => {
    await h.say(ALICE, "How do I configure the linter?");
    await h.say(BOB, "Try the recommended preset.", { channelId: THREAD });

    expect(await h.points(ALICE)).toBe(5);
    expect(await h.points(BOB)).toBe(2);
    const reply = await h.te.db.kysely.selectFrom("messages").selectAll().where("member_id", "=", discordId(BOB)).executeTakeFirstOrThrow();
    // The reply hangs off the thread's parent message and counts in the parent channel.
    expect(reply.thread_parent_key).toBe(naturalKeys.discordMessage(THREAD));
    expect(reply.channel_key).toBe(`discord:${GUILD}:${GENERAL}`);
  });

  it("GIVEN a thread's starter message (same id as the thread) THEN it is a post, not a reply", async () => {
    const thread = h.fake.build.threadCreate({ parentId: GENERAL, ownerId: CAROL, name: "show and tell" });
    h.fake.dispatch("THREAD_CREATE", thread);
    await h.say(CAROL, "My new project!", { channelId: thread.id, id: thread.id });

    expect(await h.points(CAROL)).toBe(5);
  });

  it("GIVEN a bot's message or the bot's own echo THEN nothing reaches the ledger", async () => {
    h.fake.dispatch("MESSAGE_CREATE", h.fake.build.messageCreate({ channelId: GENERAL, authorId: "1300000000000007777", bot: true, content: "beep" }));
    await h.say(ALICE, "marker");

    expect(await h.ledgerRows()).toBe(1);
  });

  it("GIVEN a message is deleted, even one discord.js never cached THEN its points are taken back", async () => {
    const id = await h.say(ALICE, "Oops, wrong channel");
    expect(await h.points(ALICE)).toBe(5);

    h.fake.dispatch("MESSAGE_DELETE", h.fake.build.messageDelete({ id, channelId: GENERAL }));

    await vi.waitFor(async () => expect(await h.points(ALICE)).toBe(0), { timeout: 3_000, interval: 10 });
  });

  it("GIVEN a message that says thanks and mentions a member THEN the mentioned member earns the thanks", async () => {
    await h.say(ALICE, "thanks <@" + BOB + "> that fixed it", { mentions: [BOB] });

    expect(await h.points(BOB)).toBe(10);
  });
});

describe("reactions", () => {
  it("GIVEN a reaction added then removed on a message discord.js never cached THEN the author nets zero", async () => {
    const id = await h.say(ALICE, "Here is my write-up");
    const emoji = { name: "👍🏽" };
    h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.build.reactionAdd({ userId: BOB, messageId: id, channelId: GENERAL, emoji }));
    await vi.waitFor(async () => expect(await h.points(ALICE)).toBe(6), { timeout: 3_000, interval: 10 });

    h.fake.dispatch("MESSAGE_REACTION_REMOVE", h.fake.build.reactionRemove({ userId: BOB, messageId: id, channelId: GENERAL, emoji }));
    await vi.waitFor(async () => expect(await h.points(ALICE)).toBe(5), { timeout: 3_000, interval: 10 });

    // Keyed in the normal form: the skin tone is not part of which emoji it is.
    const row = await h.te.db.kysely.selectFrom("ledger").select("key").where("reason", "=", "reaction").where("amount", ">", 0).executeTakeFirstOrThrow();
    expect(row.key).toBe(naturalKeys.discordReaction(id, BOB, "👍"));
  });

  it("GIVEN a custom emoji reaction THEN it reaches the engine as :name:", async () => {
    const id = await h.say(ALICE, "Shipped!");
    h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.build.reactionAdd({ userId: BOB, messageId: id, channelId: GENERAL, emoji: { name: "party_parrot", id: "1300000000000005555" } }));

    await vi.waitFor(async () => expect(await h.points(ALICE)).toBe(6), { timeout: 3_000, interval: 10 });
    const row = await h.te.db.kysely.selectFrom("ledger").select("key").where("reason", "=", "reaction").executeTakeFirstOrThrow();
    expect(row.key).toBe(naturalKeys.discordReaction(id, BOB, ":party_parrot:"));
  });

  it("GIVEN a reaction on a message the engine never saw THEN the author Discord names in the dispatch earns it", async () => {
    // Posted before the bot was running: only the reaction's message_author_id says who wrote it.
    const oldMessage = "1300000000000004444";
    h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.build.reactionAdd({ userId: BOB, messageId: oldMessage, channelId: GENERAL, emoji: { name: "⭐" }, messageAuthorId: CAROL }));

    await vi.waitFor(async () => expect(await h.points(CAROL)).toBe(1), { timeout: 3_000, interval: 10 });
  });
});

describe("duplicate deliveries", () => {
  it("GIVEN the same MESSAGE_CREATE dispatched twice THEN the handler sees it twice and the author is paid once", async () => {
    const message = h.fake.build.messageCreate({ channelId: GENERAL, authorId: ALICE, content: "Hello all" });
    h.fake.dispatch("MESSAGE_CREATE", message);
    h.fake.dispatch("MESSAGE_CREATE", message);
    await h.say(BOB, "marker after both");

    expect(await h.points(ALICE)).toBe(5);
    // discord.js did not swallow the second delivery (no message cache): the engine recognised it.
    expect(lines.some((l) => l.includes("already counted") && l.includes(naturalKeys.discordMessage(message.id)))).toBe(true);
  });

  it("GIVEN a disconnect followed by a RESUME that replays already-handled events THEN nothing new is awarded", async () => {
    const id = await h.say(ALICE, "Before the drop");
    h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.build.reactionAdd({ userId: BOB, messageId: id, channelId: GENERAL, emoji: { name: "🎉" } }));
    await vi.waitFor(async () => expect(await h.points(ALICE)).toBe(6), { timeout: 3_000, interval: 10 });
    const rowsBefore = await h.ledgerRows();

    await h.fake.dropConnection({ redeliver: 2 });
    await h.fake.waitForResume();
    await h.say(CAROL, "marker after the resume");

    expect(h.fake.dispatches.filter((d) => d.sentCount > 1).map((d) => d.t)).toEqual(expect.arrayContaining(["MESSAGE_CREATE", "MESSAGE_REACTION_ADD"]));
    expect(await h.points(ALICE)).toBe(6);
    expect(await h.ledgerRows()).toBe(rowsBefore + 1);
  });
});
