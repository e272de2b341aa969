/**
 * `/shop` end to end on Discord: the real discord.js client and adapter against the fake Discord.
 * A role reward is added with a real Role option, bought, and the fake receives the role grant for
 * the buyer; an order committed while no adapter listened is granted at the next start (the
 * catch-up); a grant Discord refuses leaves the order pending and tells the moderators once.
 */
import type { APIEmbed } from "discord.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApplicationCommandOptionType } from "discord.js";
import { commands } from "../../../commands/index.js";
import { commandJson } from "../../../src/adapters/discord/command-registration.js";
import { opt } from "../../fakes/discord/fake-discord.js";
import { ALICE, BOB, CAROL, discordId, GENERAL, GUILD, type Harness, MOD_QUEUE, OWNER, REWARD_ROLE, startHarness, withPoints } from "../../adapters/discord/harness.js";

interface CallbackBody {
  data?: { content?: string; embeds?: APIEmbed[]; flags?: number };
}

let h: Harness;
// The registration test starts no harness.
afterEach(() => h?.close());

async function shop(userId: string, verb: string, options: Parameters<typeof opt.subcommand>[1] = []): Promise<string> {
  const payload = h.fake.build.chatInputInteraction({ name: "shop", userId, channelId: GENERAL, options: [opt.subcommand(verb, options)] });
  h.fake.dispatch("INTERACTION_CREATE", payload);
  const body = (await h.callback(payload)).body as CallbackBody;
  expect(body.data?.flags).toBe(64);
  return body.data?.embeds?.[0]?.description ?? body.data?.content ?? "";
}

const grantPath = (userId: string) => `/guilds/${GUILD}/members/${userId}/roles/${REWARD_ROLE}`;

async function orderStates(): Promise<string[]> {
  const rows = await h.te.db.kysely.selectFrom("shop_orders").select("state").orderBy("number").execute();
  return rows.map((r) => r.state);
}

async function shopWithRoleReward(): Promise<void> {
  h = await startHarness({ defaults: withPoints({ post: 20, messageCooldownSeconds: 0 }) });
  await h.updateSettings((s) => {
    s.channels.modQueue = `discord:${GUILD}:${MOD_QUEUE}`;
  });
  const added = await shop(OWNER, "add", [opt.string("name", "Regular"), opt.integer("cost", 15), opt.role("role", REWARD_ROLE), opt.integer("stock", 5)]);
  expect(added).toBe(`Added Regular — 15 points · 5 left · grants <@&${REWARD_ROLE}>.`);
}

describe("/shop on Discord", () => {
  it("GIVEN the declaration THEN /shop add's role is registered as Discord's Role option, never as text", () => {
    type Json = { name: string; type: number; required?: boolean; options?: Json[] };
    const json = commandJson(commands.find((c) => c.name === "shop")!) as unknown as Json;
    const add = json.options?.find((o) => o.name === "add");
    expect(add?.options?.map((o) => [o.name, o.type, o.required ?? false])).toEqual([
      ["name", ApplicationCommandOptionType.String, true],
      ["cost", ApplicationCommandOptionType.Integer, true],
      ["role", ApplicationCommandOptionType.Role, false],
      ["stock", ApplicationCommandOptionType.Integer, false],
    ]);
  });

  it("GIVEN a reward with a role added through a real Role option THEN /shop buy takes the cost and the fake receives the role grant for the buyer", async () => {
    await shopWithRoleReward();
    const reward = await h.te.db.kysely.selectFrom("shop_rewards").select(["role", "role_name"]).executeTakeFirstOrThrow();
    expect(reward).toEqual({ role: `discord:${GUILD}:&${REWARD_ROLE}`, role_name: "regular" });

    await h.say(ALICE, "earning my first points");
    const bought = await shop(ALICE, "buy", [opt.string("name", "regular")]);
    expect(bought).toBe(`Bought Regular for 15 points (order #1). The role <@&${REWARD_ROLE}> is on its way. Your balance: 5 points.`);

    const grant = await h.fake.waitForRequest((r) => r.method === "PUT" && r.path === grantPath(ALICE), 3_000);
    expect(grant.auditLogReason).toBe("guildkeeper: bought Regular (order #1)");
    expect(h.fake.world.member(GUILD, ALICE).roles).toContain(REWARD_ROLE);
    await vi.waitFor(async () => expect(await orderStates()).toEqual(["done"]), { timeout: 3_000, interval: 10 });
    // XP is untouched by spending: the rank stays.
    expect(await h.points(ALICE)).toBe(20);

    const short = await shop(BOB, "buy", [opt.string("name", "Regular")]);
    expect(short).toBe("Regular costs 15 points and your balance is 0 points. Nothing was taken.");
    expect(h.fake.requestsTo("PUT", grantPath(BOB))).toHaveLength(0);
  });

  it("GIVEN an order committed while the adapter was stopped (a crash between commit and grant) THEN the next start grants it and marks it done", async () => {
    await shopWithRoleReward();
    await h.say(BOB, "points for bob");
    await h.stopAdapter();
    const bought = await h.te.engine.command({
      kind: "command",
      key: "discord:interaction:1300000000000007777",
      at: h.te.clock.now(),
      place: { platform: "discord", workspaceId: GUILD, channelId: GENERAL },
      actor: { id: discordId(BOB), platform: "discord", workspaceId: GUILD, userId: BOB, displayName: "bob", isBot: false },
      name: "shop",
      subcommand: "buy",
      options: { name: "Regular" },
    });
    expect(bought.tone).toBe("success");
    expect(await orderStates()).toEqual(["granting"]);

    await h.startAdapter();
    await h.fake.waitForRequest((r) => r.method === "PUT" && r.path === grantPath(BOB), 3_000);
    expect(h.fake.world.member(GUILD, BOB).roles).toContain(REWARD_ROLE);
    await vi.waitFor(async () => expect(await orderStates()).toEqual(["done"]), { timeout: 3_000, interval: 10 });
    // A second start finds nothing left to grant.
    await h.stopAdapter();
    await h.startAdapter();
    await new Promise((r) => setTimeout(r, 100));
    expect(h.fake.requestsTo("PUT", grantPath(BOB))).toHaveLength(1);
  });

  it("GIVEN Discord refuses the grant (403, 50013) THEN the orders wait for organizers with the reason, the points stay spent, and moderators are told once", async () => {
    await shopWithRoleReward();
    h.fake.setRoleGrantPolicy("refuse");
    await h.say(ALICE, "points");
    await h.say(CAROL, "points");
    await shop(ALICE, "buy", [opt.string("name", "Regular")]);
    await shop(CAROL, "buy", [opt.string("name", "Regular")]);
    await h.fake.waitForRequests((r) => r.method === "PUT" && r.path.includes(`/roles/${REWARD_ROLE}`) && r.status === 403, 2, 3_000);
    await vi.waitFor(async () => expect(await orderStates()).toEqual(["pending", "pending"]), { timeout: 3_000, interval: 10 });
    await h.te.engine.drain();
    expect(await h.deliver()).toMatchObject({ sent: 1 });
    const notices = h.fake.requestsTo("POST", `/channels/${MOD_QUEUE}/messages`);
    expect(notices).toHaveLength(1);
    expect((notices[0]!.body as { embeds?: APIEmbed[] }).embeds?.[0]?.title).toBe("I can't grant a shop reward's role");

    const open = await shop(OWNER, "orders");
    expect(open).toContain(`#1 Regular — 15 points — <@${ALICE}>`);
    expect(open).toContain(`give <@&${REWARD_ROLE}> by hand (Discord refused to grant the role`);
    expect(await shop(OWNER, "done", [opt.integer("order", 1)])).toBe(`Order #1 (Regular) is fulfilled; <@${ALICE}> is told.`);
  });
});
