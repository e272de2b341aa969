import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connect, type Db } from "../../src/db/connect.js";
import type { Settings } from "../../src/engine/communities/settings.js";
import { defineJob, type JobContext, type JobSpec } from "../../src/jobs/job.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";
import { community, createEffectsTable, effects, emptyJobTables, harness, logged, runRows, writeEffect } from "./harness.js";

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A daily 09:00 job that writes one effect row per run, named by its slot. */
function dailyNine(calls: JobContext[], graceMs = 2 * HOUR, extra: Partial<JobSpec<Settings>> = {}) {
  return defineJob({
    name: "daily-nine",
    schedule: () => "0 9 * * *",
    graceMs,
    run: async (ctx) => {
      calls.push(ctx);
      await writeEffect(ctx.trx, `${ctx.communityId}|${ctx.period.key}|${ctx.attempt}`, ctx.communityId, "posted");
    },
    ...extra,
  });
}

describe.each(dialects)("Scheduler on %s", (dialect) => {
  let t: TestDb;
  const extra: Db[] = [];
  // One migrated database per file (a fresh schema costs more than these tests), emptied per test.
  beforeAll(async () => {
    t = await openTestDb(dialect === "sqlite" ? "sqlite-memory" : dialect);
    await createEffectsTable(t.db.kysely);
  });
  beforeEach(() => emptyJobTables(t.db.kysely));
  afterEach(async () => {
    for (const db of extra.splice(0)) await db.close();
  });
  afterAll(() => t.cleanup());
  /** A second connection to the same database: its own pool on Postgres, the same connection on SQLite. */
  const sameDatabase = (): Db => {
    if (dialect !== "postgres") return t.db;
    const db = connect(t.url, { schema: t.schema });
    extra.push(db);
    return db;
  };

  it("GIVEN a slot that ran THEN a new Scheduler on the same database after a restart does not run it again", async () => {
    const calls: JobContext[] = [];
    const communities = () => [community("c1", "Europe/Berlin")];
    const first = harness(t.db.kysely, { start: "2026-12-07T08:00:05Z", jobs: [dailyNine(calls)], communities });
    const report = await first.scheduler.tick();
    expect(report.runs.map((r) => [r.period, r.outcome])).toEqual([["2026-12-07T09:00[Europe/Berlin]", "done"]]);
    await first.scheduler.stop();

    const second = harness(t.db.kysely, { start: "2026-12-07T08:30:00Z", jobs: [dailyNine(calls)], communities });
    expect((await second.scheduler.tick()).runs).toEqual([]);
    second.clock.set("2026-12-07T09:59:00Z");
    expect((await second.scheduler.tick()).runs).toEqual([]);

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ communityId: "c1", timezone: "Europe/Berlin", attempt: 1, scheduledFor: new Date("2026-12-07T08:00:00Z"), now: new Date("2026-12-07T08:00:05Z") });
    expect(calls[0]?.period).toEqual({ key: "2026-12-07T09:00[Europe/Berlin]", local: "2026-12-07T09:00", zone: "Europe/Berlin", at: new Date("2026-12-07T08:00:00Z") });
    expect(await effects(t.db.kysely)).toHaveLength(1);
    expect(await runRows(t.db.kysely)).toMatchObject([{ job: "daily-nine", community_id: "c1", state: "done", attempts: 1, scheduled_for: "2026-12-07T08:00:00.000Z" }]);
  });

  it("GIVEN stop() called while a run is in progress THEN it waits for the run to commit, and a scheduler started after it does not run the slot again", async () => {
    const calls: JobContext[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inRun = new Promise<void>((resolve) => (entered = resolve));
    const slow = dailyNine(calls, 2 * HOUR, {
      run: async (ctx) => {
        calls.push(ctx);
        await writeEffect(ctx.trx, "slow", ctx.communityId, "posted");
        entered();
        await gate;
      },
    });
    const communities = () => [community("c1", "UTC")];
    const first = harness(t.db.kysely, { start: "2026-12-07T09:00:00Z", jobs: [slow], communities });
    first.scheduler.start();
    first.wake.fire();
    await inRun;
    let stopped = false;
    const stopping = first.scheduler.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(first.wake.pending).toEqual([]);
    const second = harness(t.db.kysely, { start: "2026-12-07T09:05:00Z", jobs: [dailyNine(calls)], communities });
    expect((await second.scheduler.tick()).runs).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(await effects(t.db.kysely)).toHaveLength(1);
  });

  it("GIVEN two schedulers on one database ticking at the same moment THEN every community's slot runs exactly once", async () => {
    const calls: JobContext[] = [];
    const communities = () => Array.from({ length: 12 }, (_, i) => community(`c${String(i).padStart(2, "0")}`, "UTC"));
    const a = harness(t.db.kysely, { start: "2026-12-07T09:00:00Z", jobs: [dailyNine(calls)], communities });
    const b = harness(sameDatabase().kysely, { start: "2026-12-07T09:00:00Z", jobs: [dailyNine(calls)], communities });
    const [ra, rb] = await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    const done = [...ra.runs, ...rb.runs].filter((r) => r.outcome === "done");
    expect(done).toHaveLength(12);
    expect(new Set(done.map((r) => r.communityId)).size).toBe(12);
    expect(calls).toHaveLength(12);
    expect(await effects(t.db.kysely)).toHaveLength(12);
    expect((await runRows(t.db.kysely)).every((r) => r.state === "done" && r.attempts === 1)).toBe(true);
  });

  it("GIVEN downtime over several slots, back inside the grace window THEN only the latest missed slot runs, once, and the catch-up is logged", async () => {
    const calls: JobContext[] = [];
    const communities = () => [community("c1", "UTC")];
    const before = harness(t.db.kysely, { start: "2026-12-03T09:00:10Z", jobs: [dailyNine(calls)], communities });
    await before.scheduler.tick();
    await before.scheduler.stop();
    // Down from the 3rd until 10:30 on the 7th: the 4th, 5th, 6th and 7th were missed; grace is 2 h.
    const after = harness(t.db.kysely, { start: "2026-12-07T10:30:00Z", jobs: [dailyNine(calls)], communities });
    const report = await after.scheduler.tick();
    expect(report.runs.map((r) => [r.period, r.outcome])).toEqual([["2026-12-07T09:00[UTC]", "done"]]);
    expect((await after.scheduler.tick()).runs).toEqual([]);
    expect(calls.map((c) => c.period.key)).toEqual(["2026-12-03T09:00[UTC]", "2026-12-07T09:00[UTC]"]);
    expect(calls[1]?.now).toEqual(new Date("2026-12-07T10:30:00Z"));
    expect(logged(after.lines, "jobs: catching up")).toMatchObject([{ job: "daily-nine", community: "c1", missed: 3, since: "2026-12-04T09:00[UTC]" }]);
    expect((await runRows(t.db.kysely)).map((r) => [r.period, r.state])).toEqual([["2026-12-03T09:00[UTC]", "done"], ["2026-12-07T09:00[UTC]", "done"]]);
  });

  it("GIVEN downtime past the grace window THEN the slot is recorded as skipped and logged, never run, and the next slot runs", async () => {
    const calls: JobContext[] = [];
    const h = harness(t.db.kysely, { start: "2026-12-07T11:00:01Z", jobs: [dailyNine(calls)], communities: () => [community("c1", "UTC")] });
    const report = await h.scheduler.tick();
    expect(report.runs).toMatchObject([{ period: "2026-12-07T09:00[UTC]", outcome: "skipped", error: "missed by 7201 s; grace is 7200 s" }]);
    expect(logged(h.lines, "jobs: slot missed past its grace window")).toMatchObject([{ job: "daily-nine", community: "c1", period: "2026-12-07T09:00[UTC]", lateMs: 2 * HOUR + 1000 }]);
    // Not reconsidered: not by this scheduler, nor by a fresh one.
    expect((await h.scheduler.tick()).runs).toEqual([]);
    const fresh = harness(t.db.kysely, { start: "2026-12-07T11:05:00Z", jobs: [dailyNine(calls)], communities: () => [community("c1", "UTC")] });
    expect((await fresh.scheduler.tick()).runs).toEqual([]);
    expect(logged(fresh.lines, "jobs:")).toEqual([]);
    fresh.clock.set("2026-12-08T09:00:00Z");
    expect((await fresh.scheduler.tick()).runs).toMatchObject([{ period: "2026-12-08T09:00[UTC]", outcome: "done" }]);
    expect(calls.map((c) => c.period.key)).toEqual(["2026-12-08T09:00[UTC]"]);
    expect((await runRows(t.db.kysely)).map((r) => [r.period, r.state, r.attempts])).toEqual([["2026-12-07T09:00[UTC]", "skipped", 0], ["2026-12-08T09:00[UTC]", "done", 1]]);
  });

  it("GIVEN a community created after a slot THEN it gets no run for that slot, only for the ones after it existed", async () => {
    const calls: JobContext[] = [];
    const h = harness(t.db.kysely, { start: "2026-12-07T09:00:30Z", jobs: [dailyNine(calls)], communities: () => [community("new", "UTC", "2026-12-07T09:00:01Z"), community("old", "UTC", "2026-12-07T09:00:00Z")] });
    expect((await h.scheduler.tick()).runs).toMatchObject([{ communityId: "old", outcome: "done" }]);
    h.clock.set("2026-12-08T09:00:00Z");
    expect((await h.scheduler.tick()).runs.map((r) => r.communityId)).toEqual(["new", "old"]);
  });

  it("GIVEN a job that is off for a community (its schedule says null) THEN it never runs there; turned on, its latest slot runs if still in grace", async () => {
    const calls: JobContext[] = [];
    let announce = false;
    const job = defineJob({
      name: "board",
      schedule: (s) => (announce && s.levels.announce ? "0 9 * * 1" : null),
      graceMs: (s) => (s.timezone === "UTC" ? 4 * HOUR : 0),
      run: async (ctx) => {
        calls.push(ctx);
      },
    });
    const h = harness(t.db.kysely, { start: "2026-12-07T09:00:00Z", jobs: [job], communities: () => [community("c1", "UTC")] });
    expect((await h.scheduler.tick()).runs).toEqual([]);
    announce = true;
    h.clock.set("2026-12-07T12:00:00Z");
    expect((await h.scheduler.tick()).runs).toMatchObject([{ period: "2026-12-07T09:00[UTC]", outcome: "done" }]);
  });

  it("GIVEN a run that throws after writing THEN its writes roll back, it is recorded as failed with the message, and retried with backoff until it succeeds", async () => {
    let failuresLeft = 2;
    const calls: JobContext[] = [];
    const job = dailyNine(calls, 2 * HOUR, {
      run: async (ctx) => {
        calls.push(ctx);
        await writeEffect(ctx.trx, `${ctx.period.key}|${ctx.attempt}`, ctx.communityId, "posted");
        if (failuresLeft-- > 0) throw new Error(`outbox said no (${ctx.attempt})`);
      },
      retry: { firstDelayMs: 30_000, maxDelayMs: 10 * MINUTE, maxAttempts: 5 },
    });
    const h = harness(t.db.kysely, { start: "2026-12-07T09:00:00Z", jobs: [job], communities: () => [community("c1", "UTC")] });
    const first = await h.scheduler.tick();
    expect(first.runs).toMatchObject([{ outcome: "failed", attempt: 1, error: "outbox said no (1)" }]);
    expect(first.nextWakeAt).toEqual(new Date("2026-12-07T09:00:30Z"));
    expect(await effects(t.db.kysely)).toEqual([]);
    expect(await runRows(t.db.kysely)).toMatchObject([{ state: "failed", attempts: 1, error: "outbox said no (1)", retry_at: "2026-12-07T09:00:30.000Z" }]);
    expect(logged(h.lines, "jobs: run failed; will retry")).toHaveLength(1);

    h.clock.set("2026-12-07T09:00:29Z");
    expect((await h.scheduler.tick()).runs).toEqual([]);
    h.clock.set("2026-12-07T09:00:30Z");
    const second = await h.scheduler.tick();
    expect(second.runs).toMatchObject([{ outcome: "failed", attempt: 2 }]);
    expect(second.nextWakeAt).toEqual(new Date("2026-12-07T09:01:30Z"));
    h.clock.set("2026-12-07T09:01:30Z");
    expect((await h.scheduler.tick()).runs).toMatchObject([{ outcome: "done", attempt: 3 }]);
    expect((await h.scheduler.tick()).runs).toEqual([]);

    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect((await effects(t.db.kysely)).map((e) => e.id)).toEqual(["2026-12-07T09:00[UTC]|3"]);
    expect(await runRows(t.db.kysely)).toMatchObject([{ state: "done", attempts: 3, error: null, retry_at: null }]);
  });

  it("GIVEN a run that keeps failing THEN retries stop at the attempt limit, or earlier when the next would land past the grace window", async () => {
    const job = (name: string, graceMs: number, maxAttempts: number) =>
      defineJob({ name, schedule: () => "0 9 * * *", graceMs, retry: { firstDelayMs: MINUTE, maxDelayMs: HOUR, maxAttempts }, run: async () => Promise.reject(new Error("down")) });
    const h = harness(t.db.kysely, { start: "2026-12-07T09:00:00Z", jobs: [job("limited", 10 * HOUR, 3), job("short-grace", 2 * MINUTE + 1, 10)], communities: () => [community("c1", "UTC")] });
    for (let i = 0; i < 20; i++) {
      const r = await h.scheduler.tick();
      h.clock.set(r.nextWakeAt);
      if (r.nextWakeAt >= new Date("2026-12-08T00:00:00Z")) break;
    }
    // limited: attempts at +0, +1 min, +3 min, then no more. short-grace: +0, +1 min; a third at +3 min is past its grace.
    expect((await runRows(t.db.kysely)).map((r) => [r.job, r.state, r.attempts, r.retry_at])).toEqual([
      ["limited", "failed", 3, null],
      ["short-grace", "failed", 2, null],
    ]);
    expect(logged(h.lines, "jobs: run failed; no attempts left").map((l) => l.job)).toEqual(["short-grace", "limited"]);
  });

  it("GIVEN a failed slot whose retry falls due only after downtime past the grace window THEN it is given up, not run", async () => {
    const calls: JobContext[] = [];
    let fail = true;
    const job = dailyNine(calls, 30 * MINUTE, {
      run: async (ctx) => {
        calls.push(ctx);
        if (fail) throw new Error("nope");
      },
    });
    const h = harness(t.db.kysely, { start: "2026-12-07T09:00:00Z", jobs: [job], communities: () => [community("c1", "UTC")] });
    await h.scheduler.tick();
    fail = false;
    h.clock.set("2026-12-07T09:45:00Z");
    expect((await h.scheduler.tick()).runs).toMatchObject([{ outcome: "gave-up", attempt: 1 }]);
    expect((await h.scheduler.tick()).runs).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(await runRows(t.db.kysely)).toMatchObject([{ state: "failed", attempts: 1, retry_at: null, error: "nope" }]);
  });

  it("GIVEN a run whose own write fails at commit time THEN neither its effects nor its record are kept, and it runs again later", async () => {
    // The effect's id is taken already, so the run's insert throws inside its transaction.
    await (t.db.kysely as unknown as import("kysely").Kysely<any>).insertInto("test_effects").values({ id: "c1|2026-12-07T09:00[UTC]|1", community_id: "c1", note: "in the way" }).execute();
    const calls: JobContext[] = [];
    const h = harness(t.db.kysely, { start: "2026-12-07T09:00:00Z", jobs: [dailyNine(calls)], communities: () => [community("c1", "UTC")] });
    expect((await h.scheduler.tick()).runs).toMatchObject([{ outcome: "failed", attempt: 1 }]);
    expect((await runRows(t.db.kysely))[0]).toMatchObject({ state: "failed", attempts: 1 });
    expect((await effects(t.db.kysely)).map((e) => e.note)).toEqual(["in the way"]);
    h.clock.set("2026-12-07T09:00:30Z");
    expect((await h.scheduler.tick()).runs).toMatchObject([{ outcome: "done", attempt: 2 }]);
    expect((await effects(t.db.kysely)).map((e) => e.id)).toEqual(["c1|2026-12-07T09:00[UTC]|1", "c1|2026-12-07T09:00[UTC]|2"]);
  });

  it("GIVEN a job with a prepare step THEN it reads before the run's transaction opens, the run gets what it read, and a failing prepare is a failed attempt that retries", async () => {
    const calls: JobContext[] = [];
    const order: string[] = [];
    let fail = true;
    const job = dailyNine(calls, 2 * HOUR, {
      prepare: async (ctx) => {
        order.push("prepare");
        if (fail) {
          fail = false;
          throw new Error("read failed");
        }
        // Outside any transaction: a plain read on the database itself.
        const rows = await t.db.kysely.selectFrom("job_runs").select("state").execute();
        return { period: ctx.period.key, runsSeen: rows.length };
      },
      run: async (ctx) => {
        order.push("run");
        calls.push(ctx);
        await writeEffect(ctx.trx, `${ctx.communityId}|${ctx.period.key}`, ctx.communityId, "posted");
      },
    });
    const h = harness(t.db.kysely, { start: "2026-12-07T08:00:05Z", jobs: [job], communities: () => [community("c1", "Europe/Berlin")] });
    const first = await h.scheduler.tick();
    expect(first.runs.map((r) => r.outcome)).toEqual(["failed"]);
    expect(order).toEqual(["prepare"]);
    h.clock.set("2026-12-07T08:30:00Z");
    await h.scheduler.tick();
    expect(order).toEqual(["prepare", "prepare", "run"]);
    expect(calls[0]!.prepared).toEqual({ period: "2026-12-07T09:00[Europe/Berlin]", runsSeen: 1 });
    expect(await effects(t.db.kysely)).toHaveLength(1);
  });

  it("GIVEN a schedule that does not parse, or a job whose schedule throws THEN it is logged once and the other jobs still run", async () => {
    const calls: JobContext[] = [];
    const bad = defineJob({ name: "bad", schedule: () => "every monday", graceMs: HOUR, run: async () => {} });
    const throwing = defineJob({ name: "throwing", schedule: () => { throw new Error("settings missing"); }, graceMs: HOUR, run: async () => {} });
    const h = harness(t.db.kysely, { start: "2026-12-07T09:00:00Z", jobs: [bad, throwing, dailyNine(calls)], communities: () => [community("c1", "UTC")] });
    expect((await h.scheduler.tick()).runs).toMatchObject([{ job: "daily-nine", outcome: "done" }]);
    await h.scheduler.tick();
    expect(logged(h.lines, "jobs: schedule not usable")).toMatchObject([{ job: "bad", err: expect.stringContaining('"every monday" has 2 fields; expected 5') }]);
    expect(logged(h.lines, "jobs: could not check job")).toHaveLength(2);
  });

  it("GIVEN a started scheduler THEN it looks at once, then sleeps until the next slot (capped), and stop() stops it", async () => {
    const calls: JobContext[] = [];
    const h = harness(t.db.kysely, { start: "2026-12-07T08:00:00Z", jobs: [dailyNine(calls)], communities: () => [community("c1", "UTC")], maxSleepMs: 2 * HOUR });
    h.scheduler.start();
    expect(h.wake.delay).toBe(0);
    h.wake.fire();
    await h.scheduler.idle();
    expect(h.wake.pending).toHaveLength(1);
    expect(h.wake.delay).toBe(HOUR);
    h.clock.advance(HOUR);
    h.wake.fire();
    await h.scheduler.idle();
    expect(calls.map((c) => c.period.key)).toEqual(["2026-12-07T09:00[UTC]"]);
    expect(h.wake.delay).toBe(2 * HOUR); // the cap: the next slot is 24 h away
    await h.scheduler.stop();
    expect(h.wake.pending).toEqual([]);
  });
});

describe("communitiesFromDb", () => {
  it("GIVEN communities in the table THEN each comes with its timezone and creation time, and one whose settings do not parse is left out and logged", async () => {
    const t = await openTestDb("sqlite-memory");
    try {
      const { communitiesFromDb } = await import("../../src/jobs/community-source.js");
      const { capturingLog } = await import("../helpers/log-lines.js");
      await t.db.kysely
        .insertInto("communities")
        .values([
          { id: "a", name: "A", settings: JSON.stringify({ timezone: "America/New_York" }), created_at: "2026-11-01T10:00:00.000Z" },
          { id: "b", name: "B", settings: JSON.stringify({ timezone: "Nowhere/Land" }), created_at: "2026-11-02T10:00:00.000Z" },
          { id: "c", name: "C", settings: "{}", created_at: "2026-11-03T10:00:00.000Z" },
        ])
        .execute();
      const { log, lines } = capturingLog();
      const list = await communitiesFromDb(t.db.kysely, log)();
      expect(list.map((c) => [c.id, c.timezone, c.createdAt.toISOString()])).toEqual([
        ["a", "America/New_York", "2026-11-01T10:00:00.000Z"],
        ["c", "UTC", "2026-11-03T10:00:00.000Z"],
      ]);
      expect(logged(lines, "jobs: community settings do not parse")).toMatchObject([{ community: "b" }]);
    } finally {
      await t.cleanup();
    }
  });
});
