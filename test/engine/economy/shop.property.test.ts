import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../../src/core/identity.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { actor, balanceOf, EARNING, movements, orders, post, rewards, shopBalance, shopCommand, text, xpTotal } from "./shop-harness.js";

/**
 * Any sequence of earning, purchases (some pressed twice), cancellations (some twice) and
 * fulfilments keeps the shop's books: no balance below zero; a limited stock never below zero and
 * always its first count less the orders not cancelled; members' balances plus `@shop` change only
 * by earned XP; and XP itself is exactly what was earned (spending never touches it). Each run is a
 * workspace (so a community) of its own in one database.
 */
type Step =
  | { kind: "earn"; member: number }
  | { kind: "buy"; member: number; reward: number }
  | { kind: "replay-buy"; press: number }
  | { kind: "cancel"; order: number }
  | { kind: "done"; order: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("earn" as const), member: fc.nat(2) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("buy" as const), member: fc.nat(2), reward: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replay-buy" as const), press: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), order: fc.nat(12) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("done" as const), order: fc.nat(12) }) },
);

const shopSpec = fc.array(fc.record({ cost: fc.integer({ min: 1, max: 25 }), stock: fc.option(fc.nat(4), { nil: undefined }) }), { minLength: 3, maxLength: 3 });

describe.each(dialects)("shop books under any sequence (%s)", (dialect) => {
  let t: TestEngine;
  let run = 0;
  beforeAll(async () => {
    t = await testEngine({ dialect, defaults: EARNING });
  });
  afterAll(() => t.close());

  // Across runs, so a generator that never reached a purchase or a refund fails the test.
  const seen = { orders: 0, refunds: 0 };

  it("GIVEN earnings, purchases, replays, cancellations and fulfilments THEN no negative balance, stock = initial − live orders ≥ 0, and balances + @shop = earned XP", async () => {
    await fc.assert(
      fc.asyncProperty(shopSpec, fc.array(step, { minLength: 5, maxLength: 30, size: "medium" }), async (spec, steps) => {
        const ws = `w${dialect}${++run}`;
        const root = actor("root", { workspace: ws, admin: true });
        const members: Actor[] = ["a", "b", "c"].map((n) => actor(n, { workspace: ws }));
        const names = ["Alpha", "Beta", "Gamma"];
        for (const [i, r] of spec.entries()) {
          const added = await shopCommand(t, root, "add", { name: names[i], cost: r.cost, ...(r.stock !== undefined ? { stock: r.stock } : {}) });
          expect(added.tone).toBe("success");
        }
        let earned = 0;
        let refunds = 0;
        const presses: { by: Actor; reward: string; id: string }[] = [];
        for (const s of steps) {
          const xpBefore = await xpTotal(t, root);
          if (s.kind === "earn") {
            t.clock.advance(1_000);
            await t.engine.ingest(post(members[s.member]!, t.clock.now()));
            earned += 10;
          } else if (s.kind === "buy") {
            const press = { by: members[s.member]!, reward: names[s.reward]!, id: `${ws}-press-${presses.length}` };
            presses.push(press);
            const r = await shopCommand(t, press.by, "buy", { name: press.reward }, press.id);
            expect(r.ephemeral).toBe(true);
          } else if (s.kind === "replay-buy") {
            const press = presses[s.press % Math.max(1, presses.length)];
            if (press) await shopCommand(t, press.by, "buy", { name: press.reward }, press.id);
          } else {
            const all = await orders(t, root);
            const order = all[s.order % Math.max(1, all.length)];
            if (order) {
              const r = await shopCommand(t, root, s.kind, { order: order.number });
              if (s.kind === "cancel" && /is cancelled/.test(text(r))) refunds++;
            }
          }
          if (s.kind !== "earn") expect(await xpTotal(t, root)).toBe(xpBefore);

          // The books, after every step.
          const balances = await Promise.all(members.map((m) => balanceOf(t, m)));
          for (const b of balances) expect(b).toBeGreaterThanOrEqual(0);
          expect(await xpTotal(t, root)).toBe(earned);
          expect(balances.reduce((x, y) => x + y, 0) + (await shopBalance(t, root))).toBe(earned);
          const placed = await orders(t, root);
          for (const [i, reward] of (await rewards(t, root)).entries()) {
            const initial = spec[names.indexOf(reward.name)]!.stock;
            const live = placed.filter((o) => o.reward_id === reward.id && o.state !== "cancelled").length;
            if (initial === undefined) expect(reward.stock, `reward ${i}`).toBeNull();
            else {
              expect(reward.stock).toBeGreaterThanOrEqual(0);
              expect(reward.stock).toBe(initial - live);
            }
          }
          // One order per distinct press at most, one refund per cancelled order.
          expect(new Set(placed.map((o) => o.key)).size).toBe(placed.length);
          expect(placed.length).toBeLessThanOrEqual(new Set(presses.map((p) => p.id)).size);
          const refunded = new Set((await movements(t, root)).filter((m) => m.kind === "purchase-refund").map((m) => m.cause_key));
          expect(refunded.size).toBe(placed.filter((o) => o.state === "cancelled").length);
          expect(refunded.size).toBe(refunds);
        }
        const final = await orders(t, root);
        seen.orders += final.length;
        seen.refunds += refunds;
      }),
      { numRuns: dialect === "postgres" ? 25 : 60 },
    );
    expect(seen.orders).toBeGreaterThan(0);
    expect(seen.refunds).toBeGreaterThan(0);
    expect(seen.orders).toBeGreaterThan(seen.refunds);
  }, 240_000);
});
