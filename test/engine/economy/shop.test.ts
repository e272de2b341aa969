import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.js";
import { markupResolvers, parseCommandText } from "../../../src/adapters/shared/command-text.js";
import type { ShopGrant } from "../../../src/engine/economy/shop.service.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { RecordingOutbox } from "../talks/harness.js";
import { actor, balanceOf, community, EARNING, movements, orders, post, rewards, shopBalance, shopCommand, text } from "./shop-harness.js";

const ROLE = { id: "discord:g1:&4242", name: "regular" };

/**
 * `/shop …` through the engine: what each verb writes and answers, that a double press buys once,
 * that refusals (unknown reward, out of stock, short balance, not an organizer) write nothing, that
 * an order with a Discord role is handed to the grant after commit and one without waits for
 * organizers, and that done and cancel tell the buyer (a cancel refunding once).
 */
describe.each(dialects)("the rewards shop on %s", (dialect) => {
  let t: TestEngine;
  let outbox: RecordingOutbox;
  const root = actor("root", { admin: true });
  const ada = actor("ada");
  const bob = actor("bob");

  beforeEach(async () => {
    t = await testEngine({ dialect, defaults: EARNING });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
  });
  afterEach(() => t.close());

  async function earn(who: typeof ada, posts: number): Promise<void> {
    for (let i = 0; i < posts; i++) {
      t.clock.advance(1_000);
      await t.engine.ingest(post(who, t.clock.now()));
    }
  }

  async function deliver(): Promise<void> {
    await t.engine.drain();
    await t.engine.delivery.deliverDue();
  }

  it("GIVEN rewards added THEN /shop list shows cost, stock left and the role; a replayed add is answered as done and a folded duplicate name is refused", async () => {
    expect(text(await shopCommand(t, root, "add", { name: "VIP pass", cost: 50, role: ROLE, stock: 2 }, "add-1"))).toBe("Added VIP pass — 50 points · 2 left · grants @regular.");
    expect(text(await shopCommand(t, root, "add", { name: "VIP pass", cost: 50, role: ROLE, stock: 2 }, "add-1"))).toBe("That was already done: VIP pass — 50 points · 2 left · grants @regular.");
    const dup = await shopCommand(t, root, "add", { name: "ＶＩＰ  PASS", cost: 5 });
    expect(dup).toMatchObject({ tone: "error", ephemeral: true });
    expect(text(dup)).toBe("There is already a reward called VIP pass (50 points). Remove it first with /shop remove, or choose another name.");
    await shopCommand(t, root, "add", { name: "Sticker", cost: 10 });
    const list = await shopCommand(t, ada, "list");
    expect(list).toMatchObject({ title: "Rewards shop", ephemeral: true });
    expect(text(list)).toBe("• Sticker — 10 points · unlimited\n• VIP pass — 50 points · 2 left · grants @regular");
    expect(list.footer).toBe("Your balance: 0 points. Buy with /shop buy <name>.");
    expect(await rewards(t, root)).toHaveLength(2);
  });

  it("GIVEN a member who is not an organizer THEN /shop add, orders, done and cancel are refused", async () => {
    for (const verb of ["add", "orders", "done", "cancel"]) {
      const r = await shopCommand(t, ada, verb, verb === "add" ? { name: "x", cost: 1 } : verb === "orders" ? {} : { order: 1 });
      expect(r.tone).toBe("error");
      expect(text(r)).toContain("Only organizers can use /shop");
    }
    expect(await rewards(t, root)).toHaveLength(0);
  });

  it("GIVEN a short balance, an unknown reward or an empty stock THEN the refusal is private and clear, and nothing is taken", async () => {
    await shopCommand(t, root, "add", { name: "Mug", cost: 50, stock: 1 });
    await shopCommand(t, root, "add", { name: "Sticker", cost: 10 });
    await earn(ada, 3);
    const short = await shopCommand(t, ada, "buy", { name: "mug" });
    expect(short).toMatchObject({ tone: "error", ephemeral: true });
    expect(text(short)).toBe("Mug costs 50 points and your balance is 30 points. Nothing was taken.");
    expect(text(await shopCommand(t, ada, "buy", { name: "Hoodie" }))).toBe("There is no reward called Hoodie. The shop has: Sticker (10 points), Mug (50 points).");

    await earn(bob, 5);
    expect(text(await shopCommand(t, bob, "buy", { name: "Mug" }))).toMatch(/^Bought Mug for 50 points \(order #1\)\./);
    await earn(ada, 3);
    const empty = await shopCommand(t, ada, "buy", { name: "Mug" });
    expect(text(empty)).toBe("Mug is out of stock. Nothing was taken from your balance.");
    expect(await balanceOf(t, ada)).toBe(60);
    expect(await balanceOf(t, bob)).toBe(0);
    expect((await rewards(t, root)).find((r) => r.name === "Mug")?.stock).toBe(0);
    expect(await orders(t, root)).toHaveLength(1);
    expect((await movements(t, root)).map((m) => [m.account, m.amount])).toEqual([
      [bob.id, -50],
      ["@shop", 50],
    ]);
  });

  it("GIVEN one buy interaction delivered twice THEN one order and one movement, and the second answer says it was already made", async () => {
    await shopCommand(t, root, "add", { name: "Sticker", cost: 10, stock: 5 });
    await earn(ada, 2);
    const first = await shopCommand(t, ada, "buy", { name: "Sticker" }, "press-1");
    expect(text(first)).toBe("Bought Sticker for 10 points (order #1). The organizers will fulfil it and tell you when it's done. Your balance: 10 points.");
    expect(text(await shopCommand(t, ada, "buy", { name: "Sticker" }, "press-1"))).toBe("That purchase was already made: order #1 (Sticker). Your balance: 10 points.");
    expect(await orders(t, root)).toHaveLength(1);
    expect(await movements(t, root)).toHaveLength(2);
    expect((await rewards(t, root))[0]?.stock).toBe(4);
  });

  it("GIVEN purchases made at the same moment THEN a balance is never overspent and the last one in stock is sold once", async () => {
    await shopCommand(t, root, "add", { name: "Mug", cost: 10, stock: 1 });
    await shopCommand(t, root, "add", { name: "Sticker", cost: 10 });
    await earn(ada, 2);
    await earn(bob, 2);
    const mugs = await Promise.all([shopCommand(t, ada, "buy", { name: "Mug" }), shopCommand(t, bob, "buy", { name: "Mug" })]);
    expect(mugs.filter((r) => r.tone === "success")).toHaveLength(1);
    const stickers = await Promise.all([1, 2, 3].map(() => shopCommand(t, ada, "buy", { name: "Sticker" })));
    expect(await balanceOf(t, ada)).toBeGreaterThanOrEqual(0);
    // Ada had 20 points: with the mug she can afford one sticker, without it two — two orders either way.
    expect((await orders(t, root)).filter((o) => o.buyer_id === ada.id)).toHaveLength(2);
    expect(await balanceOf(t, ada)).toBe(0);
    expect(stickers.filter((r) => r.tone === "success")).toHaveLength(mugs[0]!.tone === "success" ? 1 : 2);
    expect((await rewards(t, root)).find((r) => r.name === "Mug")?.stock).toBe(0);
  });

  it("GIVEN a reward with a Discord role bought on Discord THEN the order is granting and the grant is heard once after commit; bought on Slack it waits for organizers", async () => {
    const heard: ShopGrant[] = [];
    t.engine.services.shop.onGrant((g) => heard.push(g));
    await shopCommand(t, root, "add", { name: "Regular", cost: 10, role: ROLE });
    await earn(ada, 1);
    expect(text(await shopCommand(t, ada, "buy", { name: "Regular" }, "b1"))).toBe("Bought Regular for 10 points (order #1). The role @regular is on its way. Your balance: 0 points.");
    await shopCommand(t, ada, "buy", { name: "Regular" }, "b1");
    expect(heard.map((g) => [g.order.number, g.order.state, g.order.grant_to])).toEqual([[1, "granting", ada.id]]);
    expect(await t.engine.services.shop.grantsDue()).toHaveLength(1);
    expect(await t.engine.services.shop.granted(heard[0]!.order)).toBe(true);
    expect(await t.engine.services.shop.granted(heard[0]!.order)).toBe(false);
    expect((await orders(t, root))[0]?.state).toBe("done");
    expect(await t.engine.services.shop.grantsDue()).toHaveLength(0);

    // On Slack (a community of its own here) the same reward is an order for organizers, with the role to give.
    const slackAdmin = actor("UROOT", { platform: "slack", workspace: "T1", admin: true });
    const sam = actor("USAM", { platform: "slack", workspace: "T1" });
    await shopCommand(t, slackAdmin, "add", { name: "Regular", cost: 10, role: ROLE });
    await earn(sam, 1);
    expect(text(await shopCommand(t, sam, "buy", { name: "Regular" }))).toBe("Bought Regular for 10 points (order #1). The organizers will give you @regular and tell you when it's done. Your balance: 0 points.");
    expect((await orders(t, sam)).map((o) => [o.state, o.grant_to])).toEqual([["pending", null]]);
    expect(heard).toHaveLength(1);
  });

  it("GIVEN a grant Discord refuses for two orders THEN both wait for organizers with the reason and moderators are told once", async () => {
    const heard: ShopGrant[] = [];
    t.engine.services.shop.onGrant((g) => heard.push(g));
    await shopCommand(t, root, "add", { name: "Regular", cost: 10, role: ROLE });
    await earn(ada, 1);
    await earn(bob, 1);
    await shopCommand(t, ada, "buy", { name: "Regular" });
    await shopCommand(t, bob, "buy", { name: "Regular" });
    const c = await community(t, root);
    for (const g of heard) expect(await t.engine.services.shop.grantFailed(c, g.order, "not-allowed")).toBe(true);
    expect(await t.engine.services.shop.grantFailed(c, heard[0]!.order, "not-allowed")).toBe(false);
    expect((await orders(t, root)).map((o) => o.state)).toEqual(["pending", "pending"]);
    const open = text(await shopCommand(t, root, "orders"));
    expect(open.split("\n")).toHaveLength(2);
    expect(open).toMatch(/^#1 Regular — 10 points — @ada — .* · give @regular by hand \(Discord refused to grant the role/);
    await deliver();
    const notices = outbox.of("post");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain("Discord refused to give @regular to @ada, who bought Regular.");
  });

  it("GIVEN pending orders THEN /shop orders lists them oldest first, /shop done tells the buyer by DM, and a second done says it was already fulfilled", async () => {
    await shopCommand(t, root, "add", { name: "Sticker", cost: 10 });
    await shopCommand(t, root, "add", { name: "Call with the team", cost: 20 });
    await earn(ada, 5);
    await earn(bob, 5);
    await shopCommand(t, bob, "buy", { name: "Call with the team" });
    t.clock.advance(60_000);
    await shopCommand(t, ada, "buy", { name: "Sticker" });
    const list = await shopCommand(t, root, "orders");
    expect(list.title).toBe("Open orders");
    expect(text(list).split("\n").map((l) => l.replace(/ — [^—]+$/, ""))).toEqual(["#1 Call with the team — 20 points — @bob", "#2 Sticker — 10 points — @ada"]);

    expect(text(await shopCommand(t, root, "done", { order: 2 }))).toBe("Order #2 (Sticker) is fulfilled; @ada is told.");
    expect(text(await shopCommand(t, root, "done", { order: 2 }))).toBe("Order #2 (Sticker) was already fulfilled.");
    expect(text(await shopCommand(t, root, "cancel", { order: 2 }))).toBe("Order #2 (Sticker) was already fulfilled, so it can't be cancelled.");
    expect(text(await shopCommand(t, root, "done", { order: 9 }))).toBe("There is no order #9. /shop orders lists the open ones.");
    await deliver();
    expect(outbox.of("dm").map((d) => [d.to, d.text])).toEqual([[ada.id, "Your order #2 is fulfilled: Sticker. Enjoy!"]]);
    expect(text(await shopCommand(t, root, "orders")).split("\n")).toHaveLength(1);
  });

  it("GIVEN a pending order cancelled twice THEN it is refunded once, its stock is back, and the buyer is told once with the reason", async () => {
    await shopCommand(t, root, "add", { name: "Mug", cost: 30, stock: 1 });
    await earn(ada, 3);
    await shopCommand(t, ada, "buy", { name: "Mug" });
    expect(await balanceOf(t, ada)).toBe(0);
    expect(text(await shopCommand(t, root, "cancel", { order: 1, reason: "we ran out of <@everyone> mugs" }, "c1"))).toBe("Order #1 (Mug) is cancelled: 30 points went back to @ada, who is told.");
    expect(text(await shopCommand(t, root, "cancel", { order: 1 }, "c2"))).toBe("Order #1 (Mug) was already cancelled and refunded.");
    expect(text(await shopCommand(t, root, "done", { order: 1 }))).toBe("Order #1 (Mug) was cancelled and refunded, so it can't be marked done.");
    expect(await balanceOf(t, ada)).toBe(30);
    expect(await shopBalance(t, ada)).toBe(0);
    expect((await rewards(t, root))[0]?.stock).toBe(1);
    expect((await movements(t, root)).filter((m) => m.kind === "purchase-refund")).toHaveLength(2);
    await deliver();
    expect(outbox.of("dm").map((d) => d.text)).toEqual(["Your order #1 (Mug) was cancelled and its 30 points were refunded to your balance. Reason: we ran out of <@everyone> mugs"]);
  });

  it("GIVEN a reward removed THEN it is no longer listed or sold, its orders stay, and adding it again brings it back", async () => {
    await shopCommand(t, root, "add", { name: "Sticker", cost: 10 });
    await earn(ada, 2);
    await shopCommand(t, ada, "buy", { name: "Sticker" });
    expect(text(await shopCommand(t, root, "remove", { name: "sticker" }))).toBe("Removed Sticker from the shop. Its orders stay as they are; /shop add brings it back.");
    expect(text(await shopCommand(t, root, "remove", { name: "sticker" }))).toBe("Sticker was already removed.");
    expect(text(await shopCommand(t, ada, "list"))).toBe("The shop has no rewards yet. Your balance: 10 points.");
    expect(text(await shopCommand(t, ada, "buy", { name: "Sticker" }))).toBe("There is no reward called Sticker. The shop has no rewards yet.");
    expect(await orders(t, root)).toHaveLength(1);
    expect(text(await shopCommand(t, root, "add", { name: "Sticker", cost: 5 }))).toBe("Back in the shop: Sticker — 5 points · unlimited.");
  });

  it("GIVEN bad input THEN it is refused privately, naming what is accepted", async () => {
    expect(text(await shopCommand(t, root, "add", { name: "Sticker", cost: 0 }))).toContain("`cost`: `0` is not accepted — expected a whole number from 1 to 1000000.");
    expect(text(await shopCommand(t, root, "add", { name: "Sticker", cost: 5, role: "discord:g1:&1" }))).toContain("`role`: `discord:g1:&1` is not accepted — expected a role, mentioned as @role (a Discord role; Slack has no roles).");
    expect(text(await shopCommand(t, root, "add", { name: "two\nlines", cost: 5 }))).toBe("`two lines` is not a reward name: give 1–60 characters on one line.");
    expect(await rewards(t, root)).toHaveLength(0);
  });
});

describe("the role option in text", () => {
  const shop = commands.find((c) => c.name === "shop")!;

  it("GIVEN role markup on Discord or a console @name THEN it becomes a role reference; on Slack a user group stays text, which the engine refuses", () => {
    expect(parseCommandText(shop, "add Regular 10 <@&4242> 3", markupResolvers({ platform: "discord", workspaceId: "g1" }))).toEqual({ ok: true, subcommand: "add", options: { name: "Regular", cost: 10, role: { id: "discord:g1:&4242" }, stock: 3 } });
    expect(parseCommandText(shop, "add Regular 10 @Regular", markupResolvers({ platform: "console", workspaceId: "local" }))).toEqual({ ok: true, subcommand: "add", options: { name: "Regular", cost: 10, role: { id: "console:local:&Regular", name: "Regular" } } });
    expect(parseCommandText(shop, "add Regular 10 <!subteam^S0MODS|mods>", markupResolvers({ platform: "slack", workspaceId: "T1" }))).toEqual({ ok: true, subcommand: "add", options: { name: "Regular", cost: 10, role: "<!subteam^S0MODS|mods>" } });
  });
});
