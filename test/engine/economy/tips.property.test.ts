import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Actor } from "../../../src/core/identity.js";
import { splitTip } from "../../../src/engine/economy/tip-split.js";
import { standingOf } from "../../../src/engine/economy/wallet.js";
import { dialects } from "../../helpers/db.js";
import { testEngine } from "../../helpers/engine.js";
import { member, message } from "../../helpers/events.js";
import { communityId, poolOf, tip, totalsSnapshot, withEconomy } from "./tips-helpers.js";

/**
 * For any sequence of earning (real message events through the engine) and tips (random members,
 * amounts, bots, self-tips, replayed interactions), the books hold: no balance is ever negative,
 * tips only move points (every account sums to zero, balances + pool = XP), the weekly allowance
 * and the pair cap hold per person and week, a replay moves nothing, and XP — totals, ledger,
 * hence ranks and levels — never changes because of a tip.
 */
const MEMBERS: Actor[] = [member("ada"), member("bob"), member("cy"), member("dee"), member("robo", { isBot: true })];
const ALLOWANCE = 50;
const PAIR_CAP = 25;

const op = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("post" as const), by: fc.nat(3), times: fc.integer({ min: 1, max: 4 }), gapS: fc.integer({ min: 30, max: 600 }) }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant("tip" as const), from: fc.nat(3), to: fc.nat(4), amount: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 40 })) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("replay" as const), of: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("wait" as const), hours: fc.integer({ min: 1, max: 100 }) }) },
);
const scenario = fc.record({ share: fc.constantFrom(0, 33, 90, 100), ops: fc.array(op, { minLength: 5, maxLength: 40, size: "large" }) });

describe.each(dialects)("tips, property (%s)", (dialect) => {
  it("GIVEN any earning and tipping THEN balances never go negative, points are conserved, caps hold, replays and XP don't move", { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ share, ops }) => {
        // Sunday evening: the streams cross into a new ISO week.
        const te = await testEngine({ dialect: dialect === "sqlite" ? "sqlite-memory" : dialect, start: "2026-11-29T18:00:00Z", defaults: withEconomy({ authorShare: share, weeklyAllowance: ALLOWANCE, pairWeeklyCap: PAIR_CAP }) });
        try {
          const c = await communityId(te);
          const db = te.db.kysely;
          const sent: { key: string; from: Actor; to: Actor; amount: number }[] = [];
          // A refusal writes nothing, so only a tip that was counted must answer "already counted" when replayed.
          const counted = new Set<string>();
          /** What the wallet should hold, from the answers the tippers saw. */
          const model = new Map<string, number>();
          let pool = 0;
          let posts = 0;
          for (const o of ops) {
            if (o.t === "post") {
              // Some posts come inside the cooldown and earn nothing, as in life.
              for (let i = 0; i < o.times; i++) {
                te.clock.advance(o.gapS * 1000);
                await te.ingest(message({ id: `m${posts++}`, by: MEMBERS[o.by]!, at: te.clock.now(), text: `An answer with some detail, number ${posts}` }));
              }
              continue;
            }
            if (o.t === "wait") {
              te.clock.advance(o.hours * 3_600_000);
              continue;
            }
            const again = o.t === "replay" ? sent[o.of % Math.max(1, sent.length)] : undefined;
            if (o.t === "replay" && !again) continue;
            const t = again ?? { key: `tip${sent.length}-${posts}`, from: MEMBERS[(o as { from: number }).from]!, to: MEMBERS[(o as { to: number }).to]!, amount: (o as { amount: number }).amount };
            const before = await totalsSnapshot(te);
            const reply = await tip(te, t.from, t.to, t.amount, { key: t.key });
            expect(await totalsSnapshot(te)).toBe(before);
            if (counted.has(t.key)) expect(reply.title).toBe("Already counted");
            if (reply.title === "Tip sent") {
              counted.add(t.key);
              const s = splitTip(t.amount, share);
              model.set(t.from.id, (model.get(t.from.id) ?? 0) - t.amount);
              model.set(t.to.id, (model.get(t.to.id) ?? 0) + s.author);
              pool += s.pool;
            } else if (reply.title !== "Already counted") {
              expect(reply.tone).toBe("error");
            }
            if (!again) sent.push(t);
            for (const m of MEMBERS) expect((await standingOf(db, c, m.id)).balance).toBeGreaterThanOrEqual(0);
          }

          // The wallet is what the answers said, and nothing else.
          for (const m of MEMBERS) {
            const row = await db.selectFrom("wallet_accounts").select("balance").where("community_id", "=", c).where("account", "=", m.id).executeTakeFirst();
            expect(Number(row?.balance ?? 0)).toBe(model.get(m.id) ?? 0);
          }
          expect(await poolOf(te, c)).toBe(pool);
          const all = await db.selectFrom("wallet_accounts").select("balance").where("community_id", "=", c).execute();
          expect(all.reduce((sum, r) => sum + Number(r.balance), 0)).toBe(0);
          // No one overspent, and balances + pool are exactly the XP earned.
          let balances = 0;
          let xp = 0;
          for (const m of MEMBERS) {
            const s = await standingOf(db, c, m.id);
            expect(s.balance).toBeGreaterThanOrEqual(0);
            balances += s.balance;
            xp += s.xp;
          }
          expect(balances + pool).toBe(xp);
          // Allowance and pair cap, per person and week; one row per counted tip.
          const tips = await db.selectFrom("tips").selectAll().execute();
          const byWeek = new Map<string, number>();
          const byPair = new Map<string, number>();
          for (const row of tips) {
            byWeek.set(`${row.giver_person} ${row.week}`, (byWeek.get(`${row.giver_person} ${row.week}`) ?? 0) + row.amount);
            byPair.set(`${row.giver_person} ${row.receiver_person} ${row.week}`, (byPair.get(`${row.giver_person} ${row.receiver_person} ${row.week}`) ?? 0) + row.amount);
            expect(row.author_share + row.pool_share).toBe(row.amount);
            expect(row.giver_person).not.toBe(row.receiver_person);
          }
          for (const v of byWeek.values()) expect(v).toBeLessThanOrEqual(ALLOWANCE);
          for (const v of byPair.values()) expect(v).toBeLessThanOrEqual(PAIR_CAP);
          const movements = await db.selectFrom("wallet_entries").select("cause_key").distinct().where("kind", "=", "tip").execute();
          expect(movements).toHaveLength(tips.length);
        } finally {
          await te.close();
        }
      }),
      { numRuns: dialect === "sqlite" ? 60 : 15 },
    );
  });
});
