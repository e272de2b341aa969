import { type Kysely, Migrator, sql, type Transaction } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect } from "../../src/db/connect.js";
import { migrations, migrateToLatest } from "../../src/db/migrate.js";
import type { Database } from "../../src/db/schema.js";
import { ManualClock } from "../../src/core/clock.js";
import { defaultSettings } from "../../src/engine/communities/settings.js";
import { rankOf } from "../../src/engine/leaderboard/leaderboard.repo.js";
import { LeaderboardService } from "../../src/engine/leaderboard/leaderboard.service.js";
import { addToTotals } from "../../src/engine/points/points.repo.js";
import { COARSE_WIDTH, TotalsHistogram } from "../../src/engine/points/totals-histogram.js";
import { WriteQueue } from "../../src/engine/write-queue.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";
import { assertHistogramMatchesTotals } from "../helpers/invariants.js";

/** What the ledger writer does per ledger row: the totals, and how each totals row moved. */
async function credit(trx: Transaction<Database>, histogram: TotalsHistogram, community: string, member: string, day: string, amount: number): Promise<void> {
  for (const row of await addToTotals(trx, community, member, day, amount)) histogram.moved(community, row.period, row.points - amount, row.points);
}

/** A small deterministic generator, so a failure replays. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The histogram's rows of one width (1: exact point values; COARSE_WIDTH: ranges). */
async function histogramRows(db: Kysely<Database>, width = 1) {
  const rows = await db
    .selectFrom("totals_histogram")
    .select(["community_id", "period", "points", "members"])
    .where("width", "=", width)
    .orderBy("community_id")
    .orderBy("period")
    .orderBy("points")
    .execute();
  return rows.map((r) => [r.community_id, r.period, r.points, Number(r.members)]);
}

describe.each(dialects)("the totals histogram on %s", (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb(dialect);
  });
  afterEach(() => t.cleanup());

  it("GIVEN members moving between point values, to 0 and below THEN the histogram is the totals grouped by points, with no row at 0 members", async () => {
    const queue = new WriteQueue(t.db.kysely);
    const histogram = new TotalsHistogram(queue);
    const day = "2026-11-26";
    // One transaction: ada 5 → 10, bob 5 → 0 (leaves the histogram), cy −3 (below zero counts too).
    await Promise.all([
      queue.submit((trx) => credit(trx, histogram, "c", "ada", day, 5)),
      queue.submit((trx) => credit(trx, histogram, "c", "bob", day, 5)),
      queue.submit((trx) => credit(trx, histogram, "c", "ada", day, 5)),
      queue.submit((trx) => credit(trx, histogram, "c", "bob", day, -5)),
      queue.submit((trx) => credit(trx, histogram, "c", "cy", day, -3)),
    ]);
    expect(await histogramRows(t.db.kysely)).toEqual(
      ["all", "month:2026-11", "week:2026-W48"].flatMap((period) => [
        ["c", period, -3, 1],
        ["c", period, 10, 1],
      ]),
    );
    // Later transactions: the 10 empties (its row goes), 7 gains two members.
    await queue.submit((trx) => credit(trx, histogram, "c", "ada", day, -3));
    await queue.submit((trx) => credit(trx, histogram, "c", "bob", "2026-11-30", 7));
    await assertHistogramMatchesTotals(t.db.kysely);
    expect((await histogramRows(t.db.kysely)).filter((r) => r[1] === "all")).toEqual([
      ["c", "all", -3, 1],
      ["c", "all", 7, 2],
    ]);
    expect((await histogramRows(t.db.kysely)).filter((r) => r[1] === "week:2026-W49")).toEqual([["c", "week:2026-W49", 7, 1]]);
    // The coarse rows: −3 is in [−256, 0), both 7s in [0, 256); ada's 300 points later move her range.
    expect((await histogramRows(t.db.kysely, COARSE_WIDTH)).filter((r) => r[1] === "all")).toEqual([
      ["c", "all", -256, 1],
      ["c", "all", 0, 2],
    ]);
    await queue.submit((trx) => credit(trx, histogram, "c", "ada", day, 293));
    expect((await histogramRows(t.db.kysely, COARSE_WIDTH)).filter((r) => r[1] === "all")).toEqual([
      ["c", "all", -256, 1],
      ["c", "all", 0, 1],
      ["c", "all", 256, 1],
    ]);
    await assertHistogramMatchesTotals(t.db.kysely);
  });

  it("GIVEN a batch that rolls back THEN what it folded is dropped, and the writes retried one by one fold their own", async () => {
    const queue = new WriteQueue(t.db.kysely);
    const histogram = new TotalsHistogram(queue);
    const day = "2026-11-26";
    const results = await Promise.allSettled([
      queue.submit((trx) => credit(trx, histogram, "c", "ada", day, 5)),
      queue.submit(async (trx) => {
        await credit(trx, histogram, "c", "bob", day, 5);
        throw new Error("this event fails after writing its totals");
      }),
      queue.submit((trx) => credit(trx, histogram, "c", "cy", day, 5)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((await histogramRows(t.db.kysely)).filter((r) => r[1] === "all")).toEqual([["c", "all", 5, 2]]);
    await assertHistogramMatchesTotals(t.db.kysely);
  });

  it("GIVEN random totals in two communities THEN every rank read from the histogram equals the COUNT of members with more points", async () => {
    const queue = new WriteQueue(t.db.kysely, { maxBatch: 40 });
    const histogram = new TotalsHistogram(queue);
    const random = rng(7);
    const days = ["2026-11-24", "2026-11-26", "2026-12-01"];
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 400; i++) {
      const community = random() < 0.8 ? "c" : "d";
      const member = `m${Math.floor(random() ** 2 * 60)}`;
      // Small steps, and big ones that cross the coarse ranges (negatives included).
      const amount = [1, 2, 5, 10, -1, -5, 120, 300, -260][Math.floor(random() * 9)]!;
      const day = days[Math.floor(random() * days.length)]!;
      writes.push(queue.submit((trx) => credit(trx, histogram, community, member, day, amount)));
    }
    await Promise.all(writes);
    await assertHistogramMatchesTotals(t.db.kysely);
    const totals = await t.db.kysely.selectFrom("totals").select(["community_id", "period", "points"]).execute();
    const checked = new Set<string>();
    for (const r of totals) {
      const key = `${r.community_id} ${r.period} ${r.points}`;
      if (checked.has(key)) continue;
      checked.add(key);
      const ahead = totals.filter((o) => o.community_id === r.community_id && o.period === r.period && o.points > r.points && o.points !== 0).length;
      expect(await rankOf(t.db.kysely, r.community_id, r.period, r.points), key).toBe(ahead + 1);
    }
    expect(checked.size).toBeGreaterThan(50);
    // Ranks at values nobody holds, at range edges and beyond everyone, too.
    for (const points of [-1000, -257, -256, -1, 0, 1, 255, 256, 257, 511, 512, 10_000]) {
      const ahead = totals.filter((o) => o.community_id === "c" && o.period === "all" && o.points > points && o.points !== 0).length;
      expect(await rankOf(t.db.kysely, "c", "all", points), `rank at ${points}`).toBe(ahead + 1);
    }
  });
});

describe.each(dialects)("a member's standing on %s", (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb(dialect);
  });
  afterEach(() => t.cleanup());

  it("GIVEN members this week and before THEN /points' standing has all-time and week ranks from the histogram, ties sharing one, and none at 0 points", async () => {
    const queue = new WriteQueue(t.db.kysely);
    const histogram = new TotalsHistogram(queue);
    const thisWeek = "2026-11-26";
    const lastWeek = "2026-11-19";
    const writes: [string, string, number][] = [
      ["ada", lastWeek, 400],
      ["ada", thisWeek, 5],
      ["bob", thisWeek, 300],
      ["cy", thisWeek, 5],
      ["dee", lastWeek, 300],
      ["eve", thisWeek, 5],
      ["eve", thisWeek, -5],
    ];
    for (const [member, day, amount] of writes) await queue.submit((trx) => credit(trx, histogram, "c", member, day, amount));
    const leaderboard = new LeaderboardService(t.db.kysely, new ManualClock("2026-11-26T12:00:00Z"));
    const community = { id: "c", name: "c", settings: defaultSettings() };
    const standing = async (id: string) => {
      const s = await leaderboard.standing(community, { id, displayName: id });
      return [s.points, s.rank, s.weekPoints, s.weekRank];
    };
    expect(await standing("ada")).toEqual([405, 1, 5, 2]);
    expect(await standing("bob")).toEqual([300, 2, 300, 1]);
    expect(await standing("dee")).toEqual([300, 2, 0, undefined]);
    expect(await standing("cy")).toEqual([5, 4, 5, 2]);
    expect(await standing("eve")).toEqual([0, undefined, 0, undefined]);
    expect(await standing("nobody")).toEqual([0, undefined, 0, undefined]);
  });
});

describe.each(dialects)("the totals-histogram migration on %s", (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb(dialect, { migrate: false });
  });
  afterEach(() => t.cleanup());

  it("GIVEN totals written before the histogram existed THEN the migration fills it from them, leaving out rows at 0", async () => {
    const db = t.db.kysely;
    const earlier = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "20261201_1720_totals_histogram"));
    expect((await new Migrator({ db, provider: { getMigrations: async () => earlier } }).migrateToLatest()).error).toBeUndefined();
    const rows: [string, string, string, number][] = [
      ["c1", "all", "ada", 10],
      ["c1", "all", "bob", 10],
      ["c1", "all", "cy", 0],
      ["c1", "all", "dee", -2],
      ["c1", "all", "eve", 300],
      ["c1", "all", "fay", -300],
      ["c1", "week:2026-W48", "ada", 3],
      ["c2", "all", "ada", 10],
    ];
    await db.insertInto("totals").values(rows.map(([community_id, period, member_id, points]) => ({ community_id, period, member_id, points }))).execute();
    await migrateToLatest(db);
    expect(await histogramRows(db)).toEqual([
      ["c1", "all", -300, 1],
      ["c1", "all", -2, 1],
      ["c1", "all", 10, 2],
      ["c1", "all", 300, 1],
      ["c1", "week:2026-W48", 3, 1],
      ["c2", "all", 10, 1],
    ]);
    // Ranges start at multiples of 256, rounded down for negatives as in TotalsHistogram.
    expect(await histogramRows(db, COARSE_WIDTH)).toEqual([
      ["c1", "all", -512, 1],
      ["c1", "all", -256, 1],
      ["c1", "all", 0, 2],
      ["c1", "all", 256, 1],
      ["c1", "week:2026-W48", 0, 1],
      ["c2", "all", 0, 1],
    ]);
    await assertHistogramMatchesTotals(db);
  });
});

describe.skipIf(!dialects.includes("postgres"))("the totals histogram with two processes on one Postgres", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb("postgres");
  });
  afterEach(() => t.cleanup());

  it("GIVEN two write queues on their own connections changing the same members at once THEN the histogram stays exact", async () => {
    const second = connect(t.url, { schema: t.schema });
    try {
      const processes = [t.db.kysely, second.kysely].map((db) => {
        const queue = new WriteQueue(db, { maxBatch: 20 });
        return { queue, histogram: new TotalsHistogram(queue) };
      });
      const random = rng(11);
      const writes: Promise<void>[] = [];
      let expectedSum = 0;
      for (let i = 0; i < 400; i++) {
        const { queue, histogram } = processes[i % 2]!;
        const member = `m${Math.floor(random() * 12)}`;
        const amount = [1, 2, 5, -1][Math.floor(random() * 4)]!;
        expectedSum += amount;
        // A batch that deadlocks on totals rows (two batches locking members in opposite orders)
        // rolls back and is retried one write per transaction, which cannot deadlock.
        writes.push(queue.submit((trx) => credit(trx, histogram, "c", member, "2026-11-26", amount)));
      }
      await Promise.all(writes);
      await assertHistogramMatchesTotals(t.db.kysely);
      const sum = await sql<{ s: string }>`select sum(points) as s from totals where period = 'all'`.execute(t.db.kysely);
      expect(Number(sum.rows[0]!.s)).toBe(expectedSum);
    } finally {
      await second.close();
    }
  }, 60_000);
});
