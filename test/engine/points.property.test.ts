import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MessageCreated, MessageDeleted, ReactionChanged } from "../../src/core/events.js";
import type { Actor } from "../../src/core/identity.js";
import { defaultSettings } from "../../src/engine/communities/settings.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";
import { deletion, member, message, reaction, ref } from "../helpers/events.js";
import { assertTotalsMatchLedger, snapshot } from "../helpers/invariants.js";

/**
 * For any stream of chat events — out of order, with deletes before creates and removals before
 * adds — the ledger stays the single source of truth and re-deliveries change nothing.
 *
 * Tight rules (cap 20, 2 thanks a day) so short streams hit every rule.
 */
type PointsEvent = MessageCreated | MessageDeleted | ReactionChanged;

const MEMBERS: Actor[] = [member("ada"), member("bob"), member("cy"), member("robo", { isBot: true })];
const RULES = { ...defaultSettings().points, dailyCap: 20, thanksPerDay: 2, messageCooldownSeconds: 60 };
const START = Date.parse("2026-11-29T20:00:00Z"); // a Sunday evening: streams cross days and ISO weeks

const op = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("post" as const), by: fc.nat(3), gap: fc.nat(4000), thread: fc.option(fc.nat(11), { nil: undefined }), thanks: fc.subarray([0, 1, 2, 3]) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("react" as const), msg: fc.nat(11), by: fc.nat(3), emoji: fc.constantFrom("👍", "🎉"), added: fc.boolean(), gap: fc.nat(600) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("delete" as const), msg: fc.nat(11), gap: fc.nat(600) }) },
);

/** Turns generated operations into events with increasing times; posts are numbered m0, m1, … */
function toEvents(ops: fc.Arbitrary<(typeof op extends fc.Arbitrary<infer O> ? O : never)[]>): fc.Arbitrary<PointsEvent[]> {
  return ops.map((list) => {
    let at = START;
    let posts = 0;
    return list.map((o): PointsEvent => {
      at += o.gap * 1000;
      const when = new Date(at);
      if (o.t === "post") {
        const id = `m${posts++}`;
        // Adapters say whether a mentioned user is a bot (Discord mentions carry it).
        const thanked = o.thanks.map((i) => ({ ...ref(MEMBERS[i]!.userId), isBot: MEMBERS[i]!.isBot }));
        return message({
          id,
          by: MEMBERS[o.by]!,
          at: when,
          text: thanked.length ? `thanks ${thanked.map((m) => `@${m.displayName}`).join(" ")}` : "hello",
          mentions: thanked,
          ...(o.thread !== undefined ? { thread: `m${o.thread}` } : {}),
        });
      }
      if (o.t === "react") return reaction({ message: `m${o.msg}`, by: MEMBERS[o.by]!, at: when, emoji: o.emoji, added: o.added });
      return deletion({ message: `m${o.msg}`, at: when });
    });
  });
}

const streams = toEvents(fc.array(op, { minLength: 1, maxLength: 40 }));

async function fresh(): Promise<TestEngine> {
  // The engine's clock is after every generated event: events stamped ahead of it earn nothing.
  const t = await testEngine({ dialect: "sqlite-memory", start: "2026-12-05T00:00:00Z", defaults: { points: RULES } });
  return t;
}

async function run(t: TestEngine, events: PointsEvent[]): Promise<void> {
  for (const e of events) await t.engine.ingest(e);
}

/** Copies of events inserted at random later positions: what at-least-once delivery looks like. */
function withDuplicates(events: PointsEvent[], picks: [number, number][]): PointsEvent[] {
  const out = [...events];
  for (const [a, b] of picks) {
    const i = a % events.length;
    const position = out.indexOf(events[i]!);
    const insertAt = position + 1 + (b % (out.length - position));
    out.splice(insertAt, 0, events[i]!);
  }
  return out;
}

async function checkRules(t: TestEngine): Promise<void> {
  const db = t.db.kysely;
  const rows = await db.selectFrom("ledger").selectAll().execute();
  const bots = new Set(MEMBERS.filter((m) => m.isBot).map((m) => m.id));
  // What each event was granted before reversals: its award row plus any corrections (fix rows
  // written when a late event changed it); undo rows are reversals, which the rules count gross.
  const granted = new Map<string, { key: string; member: string; reason: string; at: string; day: string; amount: number }>();
  for (const r of rows) {
    if (r.reason.startsWith("undo:")) continue;
    const key = r.reverses ?? r.key;
    const event = granted.get(key) ?? { key, member: r.member_id, reason: r.reason.replace(/^fix:/, ""), at: r.at, day: r.day, amount: 0 };
    event.amount += r.amount;
    granted.set(key, event);
  }
  const awards = [...granted.values()].filter((e) => e.amount > 0);

  for (const r of awards) expect(bots.has(r.member), `bot earned: ${r.key}`).toBe(false);
  for (const r of awards.filter((r) => r.reason === "reaction")) {
    const reactor = r.key.split(":")[3];
    expect(r.member.endsWith(`:${reactor}`), `self-reaction earned: ${r.key}`).toBe(false);
  }
  const byMember = new Map<string, number[]>();
  for (const r of awards.filter((r) => r.reason === "post" || r.reason === "reply")) {
    byMember.set(r.member, [...(byMember.get(r.member) ?? []), Date.parse(r.at)]);
  }
  for (const [id, times] of byMember) {
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!, `cooldown broken for ${id}`).toBeGreaterThanOrEqual(60_000);
  }
  const perDay = new Map<string, number>();
  for (const r of awards) perDay.set(`${r.member}|${r.day}`, (perDay.get(`${r.member}|${r.day}`) ?? 0) + r.amount);
  for (const [key, sum] of perDay) expect(sum, `daily cap broken for ${key}`).toBeLessThanOrEqual(RULES.dailyCap);

  // Every thanks that counted against a budget, earning or not (one at the cap earns nothing).
  const thanksPerGiverDay = new Map<string, number>();
  for (const r of await db.selectFrom("thanks").select(["giver_id", "at"]).where("counted", "=", 1).execute()) {
    const key = `${r.giver_id}|${r.at.slice(0, 10)}`;
    thanksPerGiverDay.set(key, (thanksPerGiverDay.get(key) ?? 0) + 1);
  }
  for (const [key, n] of thanksPerGiverDay) expect(n, `thanks budget broken for ${key}`).toBeLessThanOrEqual(RULES.thanksPerDay);

  const totals = await db.selectFrom("totals").select("points").where("points", "<", 0).execute();
  expect(totals, "negative totals").toEqual([]);
}

describe("points engine properties", () => {
  it("GIVEN any stream THEN totals equal the ledger and no rule is broken", async () => {
    await fc.assert(
      fc.asyncProperty(streams, async (events) => {
        const t = await fresh();
        try {
          await run(t, events);
          await assertTotalsMatchLedger(t.db.kysely);
          await checkRules(t);
        } finally {
          await t.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it("GIVEN a processed stream WHEN any part of it is replayed, shuffled, any number of times THEN nothing changes", async () => {
    await fc.assert(
      fc.asyncProperty(
        streams.chain((events) => fc.tuple(fc.constant(events), fc.array(fc.array(fc.nat(events.length - 1), { maxLength: 60 }), { minLength: 1, maxLength: 3 }))),
        async ([events, replays]) => {
          const t = await fresh();
          try {
            await run(t, events);
            const before = await snapshot(t.db.kysely);
            for (const replay of replays) await run(t, replay.map((i) => events[i]!));
            // The whole stream and every prefix once more, too.
            await run(t, events);
            await run(t, events.slice(0, Math.ceil(events.length / 2)));
            expect(await snapshot(t.db.kysely)).toEqual(before);
          } finally {
            await t.close();
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("GIVEN duplicates delivered later in the stream THEN the result equals the stream without them", async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 15 }), async (events, picks) => {
        const clean = await fresh();
        const noisy = await fresh();
        try {
          await run(clean, events);
          await run(noisy, withDuplicates(events, picks));
          expect(await snapshot(noisy.db.kysely)).toEqual(await snapshot(clean.db.kysely));
          await checkRules(noisy);
        } finally {
          await clean.close();
          await noisy.close();
        }
      }),
      { numRuns: 100 },
    );
  });

  it("GIVEN events submitted all at once (group commit) THEN the result equals submitting them one by one", async () => {
    await fc.assert(
      fc.asyncProperty(streams, async (events) => {
        const sequential = await fresh();
        const batched = await fresh();
        try {
          await run(sequential, events);
          await Promise.all(events.map((e) => batched.engine.ingest(e)));
          expect(await snapshot(batched.db.kysely)).toEqual(await snapshot(sequential.db.kysely));
        } finally {
          await sequential.close();
          await batched.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
