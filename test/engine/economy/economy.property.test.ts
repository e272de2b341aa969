import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CommandInvoked, naturalKeys } from "../../../src/core/events.js";
import type { Actor } from "../../../src/core/identity.js";
import { POOL_ACCOUNT, SHOP_ACCOUNT } from "../../../src/engine/economy/accounts.js";
import { standingOf } from "../../../src/engine/economy/wallet.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { accounts, bountyEvent, configure, earn, member, settle, thread, xpTotals } from "./bounties-harness.js";

/**
 * The whole economy at once — the "done when": across any sequence of earning, tips,
 * bounties (post, award, expire), purchases and refunds, with replayed commands, points are
 * conserved (member balances + pool + escrow + shop change only by earned XP), no balance is ever
 * negative, the weekly allowance and the per-pair cap hold, and XP totals (so ranks and levels)
 * never move on spending. Each part has its own property test; this one interleaves them.
 */
type Op =
  | { kind: "earn"; who: number; amount: number }
  | { kind: "tip"; from: number; to: number; amount: number }
  | { kind: "post"; who: number; q: number; amount: number }
  | { kind: "award"; by: number; q: number; to: number }
  | { kind: "buy"; who: number; reward: number }
  | { kind: "cancel"; order: number }
  | { kind: "wait"; hours: number }
  | { kind: "replay" };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("earn" as const), who: fc.nat(2), amount: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("tip" as const), from: fc.nat(2), to: fc.nat(2), amount: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("post" as const), who: fc.nat(2), q: fc.nat(1), amount: fc.integer({ min: 3, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("award" as const), by: fc.nat(2), q: fc.nat(1), to: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("buy" as const), who: fc.nat(2), reward: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), order: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("wait" as const), hours: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "replay" as const }) },
);

let n = 0;
function command(name: string, subcommand: string | undefined, options: Record<string, unknown>, by: Actor, guild: string, at: Date): CommandInvoked {
  return {
    kind: "command",
    key: naturalKeys.discordInteraction(`econ${++n}`),
    at,
    place: { platform: "discord", workspaceId: guild, channelId: "general" },
    actor: by,
    name,
    ...(subcommand ? { subcommand } : {}),
    options,
  };
}

describe.each(dialects)("the economy's books under any sequence (%s)", (dialect) => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await testEngine({ dialect, start: "2026-11-30T10:00:00Z" });
  });
  afterAll(() => t?.close());
  let run = 0;
  // What the runs reached, to show the sequences exercise every movement and not only refusals.
  const seen = { tips: 0, awarded: 0, expired: 0, orders: 0, refunds: 0 };

  it("GIVEN any interleaving of earning, tips, bounties, purchases, refunds and replays THEN points are conserved, no balance goes negative, caps hold and XP never moves on spending", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 30, size: "medium" }), async (generated) => {
        const guild = `15000000000000${String(++run).padStart(5, "0")}`;
        await configure(t, { "economy.bountyDays": "2", "economy.weeklyAllowance": "40", "economy.pairWeeklyCap": "20", "economy.collusionTips": "0" }, guild);
        const community = await t.engine.communities.resolve({ platform: "discord", workspaceId: guild });
        const admin = member("root", { isPlatformAdmin: true }, guild);
        const people: Actor[] = ["ada", "bob", "cat"].map((name) => member(name, {}, guild));
        const questions = [0, 1].map((i) => thread(700 + i));
        for (const [i, cost] of [7, 25].entries()) {
          await t.engine.command(command("shop", "add", { name: `reward ${i}`, cost, stock: 2 }, admin, guild, t.clock.now()));
        }
        // Everyone starts with earnings, one tip is given, one bounty is posted and awarded, and one order is
        // bought and refunded (the run's first order is number 1), so every run reaches each movement whatever is generated.
        const start: Op[] = [
          ...[0, 1, 2].map((who) => ({ kind: "earn", who, amount: 30 }) as Op),
          { kind: "tip", from: 0, to: 1, amount: 3 },
          { kind: "buy", who: 2, reward: 0 },
          { kind: "cancel", order: 1 },
        ];
        // And each ends with a bounty left to expire.
        const end: Op[] = [{ kind: "post", who: 1, q: 0, amount: 5 }, { kind: "wait", hours: 49 }];
        const ops: Op[] = [...start, { kind: "post", who: 0, q: 1, amount: 5 }, { kind: "award", by: 0, q: 1, to: 1 }, ...generated, ...end];
        let earned = 0;
        let last: CommandInvoked | undefined;
        // A refused command writes nothing, so replaying it is a first try; only a replay of one that moved points must move nothing.
        let lastMoved = false;

        const books = async () => {
          const balances = await Promise.all(people.map(async (p) => (await standingOf(t.db.kysely, community.id, p.id)).balance));
          const all = await accounts(t, community.id);
          const escrow = Object.entries(all).filter(([k]) => k.startsWith("@escrow:")).reduce((s, [, v]) => s + v, 0);
          return { balances, pool: all[POOL_ACCOUNT] ?? 0, shop: all[SHOP_ACCOUNT] ?? 0, escrow, walletSum: Object.values(all).reduce((s, v) => s + v, 0) };
        };

        for (const o of ops) {
          const xpBefore = await xpTotals(t, community.id);
          const before = await books();
          const at = t.clock.now();
          let sent: CommandInvoked | undefined;
          switch (o.kind) {
            case "earn":
              await earn(t, people[o.who]!, o.amount);
              earned += o.amount;
              break;
            case "tip":
              sent = command("tip", undefined, { member: { id: people[o.to]!.id, displayName: people[o.to]!.displayName }, amount: o.amount }, people[o.from]!, guild, at);
              break;
            case "post":
              sent = bountyEvent("post", { amount: o.amount }, { by: people[o.who]!, thread: questions[o.q]!, guild, id: `${guild}-p${++n}`, at });
              break;
            case "award":
              sent = bountyEvent("award", { member: { id: people[o.to]!.id, displayName: people[o.to]!.displayName } }, { by: people[o.by]!, thread: questions[o.q]!, guild, id: `${guild}-a${++n}`, at });
              break;
            case "buy":
              sent = command("shop", "buy", { name: `reward ${o.reward}` }, people[o.who]!, guild, at);
              break;
            case "cancel":
              sent = command("shop", "cancel", { order: o.order }, admin, guild, at);
              break;
            case "wait":
              t.clock.advance(o.hours * 3_600_000);
              await settle(t);
              break;
            case "replay":
              if (last) await t.engine.command(last);
              break;
          }
          if (sent) {
            await t.engine.command(sent);
            last = sent;
          }
          await t.engine.drain();
          const after = await books();
          if (o.kind === "replay" && lastMoved) expect(after).toEqual(before);
          if (sent) lastMoved = JSON.stringify(after) !== JSON.stringify(before);
          // XP — totals of every period, hence ranks and levels — moves only by earning.
          if (o.kind !== "earn") expect(await xpTotals(t, community.id)).toEqual(xpBefore);
          // Double entry, and conservation: what members, the pool, escrows and the shop hold is what was earned.
          expect(after.walletSum).toBe(0);
          expect(after.balances.reduce((s, b) => s + b, 0) + after.pool + after.escrow + after.shop).toBe(earned);
          for (const b of after.balances) expect(b).toBeGreaterThanOrEqual(0);
          expect(after.shop).toBeGreaterThanOrEqual(0);
          expect(after.pool).toBeGreaterThanOrEqual(0);
        }

        // Caps: per giving week, no person gave more than the allowance, nor more than the pair cap to one other.
        const tips = await t.db.kysely.selectFrom("tips").selectAll().where("community_id", "=", community.id).execute();
        const sums = new Map<string, number>();
        const add = (k: string, v: number) => sums.set(k, (sums.get(k) ?? 0) + v);
        for (const tip of tips) {
          add(`give|${tip.giver_person}|${tip.week}`, Number(tip.amount));
          add(`pair|${tip.giver_person}|${tip.receiver_person}|${tip.week}`, Number(tip.amount));
        }
        for (const [k, v] of sums) expect(v, k).toBeLessThanOrEqual(k.startsWith("give") ? 40 : 20);
        seen.tips += tips.length;
        for (const b of await t.db.kysely.selectFrom("bounties").select("status").where("community_id", "=", community.id).execute()) {
          if (b.status === "awarded") seen.awarded++;
          if (b.status === "expired") seen.expired++;
        }
        const kinds = await t.db.kysely.selectFrom("wallet_entries").select("kind").where("community_id", "=", community.id).where("account", "=", SHOP_ACCOUNT).execute();
        seen.orders += kinds.filter((k) => k.kind === "purchase").length;
        seen.refunds += kinds.filter((k) => k.kind !== "purchase").length;
        // Stock never below zero.
        for (const r of await t.db.kysely.selectFrom("shop_rewards").select("stock").where("community_id", "=", community.id).execute()) expect(Number(r.stock)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: dialect === "postgres" ? 10 : 40 },
    );
    console.log(`[economy property on ${dialect}]`, JSON.stringify(seen));
    for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(0);
  }, 300_000);
});
