import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandInvoked } from "../../../src/core/events.js";
import type { Actor } from "../../../src/core/identity.js";
import { POOL_ACCOUNT } from "../../../src/engine/economy/accounts.js";
import { standingOf } from "../../../src/engine/economy/wallet.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { accounts, bountyEvent, configure, earn, member, settle, thread, xpTotals } from "./bounties-harness.js";

/**
 * Any sequence of earnings, posts, awards (by command and by a marked solution), expiries (the
 * injected clock moves on) and replays (a command that moved points moves nothing again) keeps the books: member balances + pool + escrow change only
 * by earned XP, no balance is ever negative, an awarded or expired bounty's escrow is empty while an
 * open one's holds its amount, and XP totals (hence ranks and levels) move only when XP is earned.
 */
type Op =
  | { kind: "earn"; who: number; amount: number }
  | { kind: "post"; who: number; q: number; amount: number }
  | { kind: "award"; by: number; q: number; to: number }
  | { kind: "solve"; q: number; to: number }
  | { kind: "wait"; hours: number }
  | { kind: "replay" };

// Weighted so that sequences earn enough to post, and post enough to award and expire.
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("earn" as const), who: fc.nat(2), amount: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("post" as const), who: fc.nat(2), q: fc.nat(2), amount: fc.integer({ min: 0, max: 45 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("award" as const), by: fc.nat(3), q: fc.nat(2), to: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("solve" as const), q: fc.nat(2), to: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("wait" as const), hours: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "replay" as const }) },
);

describe.each(dialects)("bounty books under any sequence (%s)", (dialect) => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await testEngine({ dialect, start: "2026-11-30T10:00:00Z" });
  });
  afterAll(() => t?.close());
  let run = 0;
  // How the runs' bounties ended, to show the sequences reach every state (not only refusals).
  const seen = { open: 0, awarded: 0, expired: 0 };

  it("GIVEN any sequence of earnings, posts, awards, expiries and replays THEN the books balance and XP never moves but by earning", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 30, size: "medium" }), async (generated) => {
        // Everyone starts with some earnings, so that posts are more than refusals.
        const ops: Op[] = [0, 1, 2].map((who) => ({ kind: "earn", who, amount: 30 }) as Op).concat(generated);
        // Each run is a community of its own (its own guild) on the one database.
        const guild = `14000000000000${String(++run).padStart(5, "0")}`;
        await configure(t, { "economy.bountyDays": "2", "roles.moderators": "<@&77>" }, guild);
        const community = await t.engine.communities.resolve({ platform: "discord", workspaceId: guild });
        const people: Actor[] = ["ada", "bob", "cat"].map((n) => member(n, {}, guild));
        const moderator = member("mod", { roleIds: ["77"] }, guild);
        const actors = [...people, moderator];
        const questions = [0, 1, 2].map((i) => thread(900 + i));
        let earned = 0;
        let last: CommandInvoked | undefined;
        // Whether the last command moved anything: a refusal writes nothing, so its replay is a first try.
        let lastMoved = false;
        let i = 0;

        const books = async () => {
          const balances = await Promise.all(actors.map(async (a) => (await standingOf(t.db.kysely, community.id, a.id)).balance));
          const all = await accounts(t, community.id);
          const escrow = Object.entries(all).filter(([k]) => k.startsWith("@escrow:")).reduce((s, [, v]) => s + v, 0);
          return { balances, pool: all[POOL_ACCOUNT] ?? 0, escrow, walletSum: Object.values(all).reduce((s, v) => s + v, 0) };
        };

        for (const o of ops) {
          const xpBefore = await xpTotals(t, community.id);
          const before = await books();
          const at = t.clock.now();
          const id = `${guild}-${++i}`;
          switch (o.kind) {
            case "earn":
              await earn(t, people[o.who]!, o.amount);
              earned += o.amount;
              break;
            case "post":
              last = bountyEvent("post", { amount: o.amount }, { by: people[o.who]!, thread: questions[o.q]!, guild, id, at });
              await t.engine.command(last);
              break;
            case "award": {
              const to = actors[o.to]!;
              last = bountyEvent("award", { member: { id: to.id, displayName: to.displayName } }, { by: actors[o.by]!, thread: questions[o.q]!, guild, id, at });
              await t.engine.command(last);
              break;
            }
            case "solve":
              await t.engine.writes.submit((trx) => t.engine.services.bounties.awardIn(trx, community, { questionKey: `discord:msg:${questions[o.q]}`, answererId: people[o.to]!.id, byId: people[0]!.id, causeKey: `solution:${id}`, at }));
              break;
            case "wait":
              t.clock.advance(o.hours * 3_600_000);
              await settle(t);
              break;
            case "replay":
              if (last) await t.engine.command(last);
              break;
          }
          await t.engine.drain();
          const after = await books();
          const xpAfter = await xpTotals(t, community.id);
          // Nothing but earning moves XP: totals (all-time, week, month) — and so ranks and levels — stay put.
          if (o.kind !== "earn") expect(xpAfter).toEqual(xpBefore);
          if (o.kind === "replay" && lastMoved) expect(after).toEqual(before);
          if (o.kind === "post" || o.kind === "award") lastMoved = JSON.stringify(after) !== JSON.stringify(before);
          // Double entry: the wallet's accounts sum to zero, so balances + pool + escrow are the XP earned.
          expect(after.walletSum).toBe(0);
          expect(after.balances.reduce((s, b) => s + b, 0) + after.pool + after.escrow).toBe(earned);
          for (const b of after.balances) expect(b).toBeGreaterThanOrEqual(0);
          const rows = await t.db.kysely.selectFrom("bounties").select(["id", "status", "amount"]).where("community_id", "=", community.id).execute();
          const all = await accounts(t, community.id);
          for (const r of rows) expect(all[`@escrow:${r.id}`] ?? 0).toBe(r.status === "open" ? r.amount : 0);
          expect(rows.filter((r) => r.status === "open").length).toBeLessThanOrEqual(questions.length);
        }
        for (const r of await t.db.kysely.selectFrom("bounties").select("status").where("community_id", "=", community.id).execute()) seen[r.status]++;
      }),
      { numRuns: dialect === "postgres" ? 15 : 50 },
    );
    expect(seen.awarded).toBeGreaterThan(0);
    expect(seen.expired).toBeGreaterThan(0);
  }, 240_000);
});
