/**
 * /bounty end to end on Discord: the real discord.js client and adapter against the fake Discord.
 * A member puts a bounty on the thread they asked in, /bounty list shows it, they award it to the
 * answerer, who is told in the thread; a command outside any thread is refused privately.
 */
import type { APIEmbed } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { opt } from "../../fakes/discord/fake-discord.js";
import { ALICE, BOB, GENERAL, GUILD, type Harness, startHarness, THREAD } from "../../adapters/discord/harness.js";
import { balanceOf, earn, member } from "./bounties-harness.js";

interface Body {
  content?: string;
  embeds?: APIEmbed[];
  data?: { content?: string; embeds?: APIEmbed[]; flags?: number };
}
const text = (b: Body | undefined) => [b?.content, b?.data?.content, ...(b?.embeds ?? b?.data?.embeds ?? []).map((e) => `${e.title ?? ""}\n${e.description ?? ""}\n${e.footer?.text ?? ""}`)].filter(Boolean).join("\n");

let h: Harness;
afterEach(() => h?.close());

async function run(userId: string, channelId: string, sub: string, options: Parameters<typeof opt.subcommand>[1] = []): Promise<Body> {
  const payload = h.fake.build.chatInputInteraction({ name: "bounty", userId, channelId, options: [opt.subcommand(sub, options)] });
  h.fake.dispatch("INTERACTION_CREATE", payload);
  return (await h.callback(payload)).body as Body;
}

describe("bounties on Discord", () => {
  it("GIVEN a question thread THEN /bounty post escrows publicly, /bounty list shows it, /bounty award pays the answerer who is told in the thread", async () => {
    h = await startHarness();
    const bob = member(BOB, { displayName: "bob" }, GUILD);
    await earn(h.te, bob, 60);
    await h.te.engine.drain();

    const refused = await run(ALICE, GENERAL, "post", [opt.integer("amount", 10)]);
    expect(refused.data?.flags).toBe(64);
    expect(text(refused)).toContain("Which question? Use it inside the question's thread or forum post");

    const posted = await run(BOB, THREAD, "post", [opt.integer("amount", 25)]);
    expect(posted.data?.flags).toBeUndefined();
    expect(text(posted)).toContain(`<@${BOB}> put a bounty of 25 points on this question.`);
    expect(text(posted)).toContain("spendable balance is now 35 points");
    expect(await balanceOf(h.te, bob)).toBe(35);

    const list = await run(ALICE, GENERAL, "list");
    expect(list.data?.flags).toBe(64);
    expect(text(list)).toContain(`• 25 points — https://discord.com/channels/${GUILD}/${THREAD}/${THREAD} by <@${BOB}> · expires `);

    const notPoster = await run(ALICE, THREAD, "award", [opt.user("member", ALICE)]);
    expect(notPoster.data?.flags).toBe(64);
    expect(text(notPoster)).toContain(`Only <@${BOB}>, who posted this bounty, or a moderator can award it.`);

    const awarded = await run(BOB, THREAD, "award", [opt.user("member", ALICE)]);
    expect(awarded.data?.flags).toBe(64);
    expect(text(awarded)).toContain(`to <@${ALICE}>; the question is marked solved`);
    await h.te.engine.drain();
    await h.deliver();
    const inThread = h.fake.requestsTo("POST", `/channels/${THREAD}/messages`);
    expect(inThread).toHaveLength(1);
    expect(text(inThread[0]!.body as Body)).toContain(`<@${ALICE}> receives the 25-point bounty <@${BOB}> put on this question. It is marked solved`);
    expect(await balanceOf(h.te, member(ALICE, {}, GUILD))).toBe(25);
    expect(text(await run(ALICE, GENERAL, "list"))).toContain("There are no open bounties.");
  });
});
