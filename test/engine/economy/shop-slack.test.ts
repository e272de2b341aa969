/**
 * `/shop` end to end on Slack (HTTP mode): the real Bolt app against the fake Slack. Slack has no
 * roles, so a role typed there (a user group) is refused naming the option; a purchase is an
 * order for organizers, who list it and mark it done, and the buyer's DM goes out through
 * conversations.open and chat.postMessage.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ADA, ALICE, BOB, GENERAL, MODS, readable, startWorld, type World } from "../../adapters/slack/harness.js";
import { EARNING } from "./shop-harness.js";

let w: World;
afterEach(() => w.close());

const answer = (ack: { body: Record<string, unknown> | undefined }) => readable(ack.body?.text ?? "");

describe("/shop on Slack", () => {
  it("GIVEN a reward bought on Slack THEN an order is queued, /shop orders lists it, /shop done fulfils it and the buyer gets a DM", async () => {
    w = await startWorld("http", { defaults: EARNING });
    expect(answer(await w.command("shop", "add Sticker 10 stock:3", ADA))).toContain("Added Sticker — 10 points · 3 left.");
    const role = answer(await w.command("shop", `add Regular 10 <!subteam^${MODS}|mods>`, ADA));
    expect(role).toContain(`\`role\`: \`<!subteam^${MODS}|mods>\` is not accepted — expected a role, mentioned as @role (a Discord role; Slack has no roles).`);
    expect(answer(await w.command("shop", "add Hoodie 50", BOB))).toContain("Only organizers can use /shop add.");

    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "my first post" }));
    expect(await w.points(ALICE)).toBe(10);
    expect(answer(await w.command("shop", "buy Sticker", ALICE))).toContain("Bought Sticker for 10 points (order #1). The organizers will fulfil it and tell you when it's done. Your balance: 0 points.");
    expect(answer(await w.command("shop", "buy Sticker", ALICE))).toContain("Sticker costs 10 points and your balance is 0 points. Nothing was taken.");

    const orders = answer(await w.command("shop", "orders", ADA));
    expect(orders).toContain(`#1 Sticker — 10 points — <@${ALICE}>`);
    expect(answer(await w.command("shop", "done 1", ADA))).toContain(`Order #1 (Sticker) is fulfilled; <@${ALICE}> is told.`);
    expect(answer(await w.command("shop", "orders", ADA))).toContain("No open orders.");

    await w.te.engine.drain();
    expect(await w.deliver()).toMatchObject({ sent: 1, failed: 0 });
    expect(w.fake.calls("conversations.open").map((c) => c.params.users)).toEqual([ALICE]);
    const dm = w.fake.calls("chat.postMessage").at(-1)!;
    expect(String(dm.params.channel)).toMatch(/^D/);
    expect(readable(dm.params.text)).toContain("Your order #1 is fulfilled: Sticker. Enjoy!");
    expect(answer(await w.command("shop", "list", ALICE))).toContain("Sticker — 10 points · 2 left");
  });
});
