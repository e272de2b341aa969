import type { Kysely } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { connect, type Db } from "../../src/db/connect.js";
import { defineJob } from "../../src/jobs/job.js";
import { defineTimer, type TimerContext } from "../../src/jobs/timer.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";
import { community, createEffectsTable, effects, emptyJobTables, harness, logged, writeEffect } from "./harness.js";

const MINUTE = 60_000;
const T = new Date("2026-12-07T17:00:00Z");
const communities = () => [community("c1", "Europe/Berlin")];

function reminder(calls: TimerContext<{ talkId: string }>[], opts: { graceMs?: number; failTimes?: number } = {}) {
  let failuresLeft = opts.failTimes ?? 0;
  return defineTimer({
    name: "talk-reminder",
    payload: z.object({ talkId: z.string().min(1) }),
    ...(opts.graceMs === undefined ? {} : { graceMs: opts.graceMs }),
    retry: { firstDelayMs: MINUTE, maxDelayMs: 10 * MINUTE, maxAttempts: 4 },
    run: async (ctx) => {
      calls.push(ctx);
      await writeEffect(ctx.trx, `${ctx.key}|${ctx.attempt}`, ctx.communityId, ctx.payload.talkId);
      if (failuresLeft-- > 0) throw new Error("outbox full");
    },
  });
}

async function timerRows(db: Kysely<any>) {
  return db.selectFrom("job_timers").selectAll().orderBy("key").execute();
}

describe.each(dialects)("one-off timers on %s", (dialect) => {
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

  it("GIVEN a look that fires a timer THEN afterWork is called once it has committed (the engine wakes its outbox there); a look that does nothing does not call it", async () => {
    const calls: TimerContext<{ talkId: string }>[] = [];
    const timer = reminder(calls);
    const woken: number[] = [];
    const h = harness(t.db.kysely, { start: "2026-12-07T12:00:00Z", timers: [timer], communities, afterWork: () => woken.push(calls.length) });
    await h.scheduler.schedule(t.db.kysely, { timer, communityId: "c1", key: "talk:7:15m", at: T, payload: { talkId: "7" } });
    await h.scheduler.tick();
    expect(woken).toEqual([]);
    h.clock.set(T);
    await h.scheduler.tick();
    expect(woken).toEqual([1]);
    expect(await effects(t.db.kysely)).toHaveLength(1);
  });

  it("GIVEN the same timer scheduled twice THEN it is stored once, fires once at its time, and a fired key is not re-armed", async () => {
    const calls: TimerContext<{ talkId: string }>[] = [];
    const timer = reminder(calls);
    const h = harness(t.db.kysely, { start: "2026-12-07T12:00:00Z", timers: [timer], communities });
    const request = { timer, communityId: "c1", key: "talk:42:1h", at: T, payload: { talkId: "42" } };
    expect(await t.db.kysely.transaction().execute((trx) => h.scheduler.schedule(trx, request))).toBe("scheduled");
    expect(await h.scheduler.schedule(t.db.kysely, request)).toBe("unchanged");
    expect(await timerRows(t.db.kysely)).toHaveLength(1);

    h.clock.set(new Date(T.getTime() - 1));
    expect((await h.scheduler.tick()).timers).toEqual([]);
    h.clock.set(T);
    expect((await h.scheduler.tick()).timers).toMatchObject([{ key: "talk:42:1h", outcome: "fired", attempt: 1 }]);
    h.clock.advance(MINUTE);
    expect((await h.scheduler.tick()).timers).toEqual([]);
    expect(await h.scheduler.schedule(t.db.kysely, request)).toBe("already-fired");
    expect(await h.scheduler.schedule(t.db.kysely, { ...request, at: new Date(T.getTime() + MINUTE) })).toBe("already-fired");
    h.clock.advance(10 * MINUTE);
    expect((await h.scheduler.tick()).timers).toEqual([]);

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ timer: "talk-reminder", key: "talk:42:1h", communityId: "c1", timezone: "Europe/Berlin", payload: { talkId: "42" }, scheduledFor: T, now: T, attempt: 1 });
    expect((await effects(t.db.kysely)).map((e) => e.id)).toEqual(["talk:42:1h|1"]);
  });

  it("GIVEN a pending timer rescheduled THEN it fires only at the new time, with the new payload", async () => {
    const calls: TimerContext<{ talkId: string }>[] = [];
    const timer = reminder(calls);
    const h = harness(t.db.kysely, { start: "2026-12-07T12:00:00Z", timers: [timer], communities });
    await h.scheduler.schedule(t.db.kysely, { timer, communityId: "c1", key: "k", at: T, payload: { talkId: "old" } });
    const later = new Date(T.getTime() + 30 * MINUTE);
    expect(await h.scheduler.schedule(t.db.kysely, { timer, communityId: "c1", key: "k", at: later, payload: { talkId: "new" } })).toBe("rescheduled");
    h.clock.set(T);
    expect((await h.scheduler.tick()).timers).toEqual([]);
    h.clock.set(later);
    await h.scheduler.tick();
    expect(calls.map((c) => [c.payload.talkId, c.scheduledFor])).toEqual([["new", later]]);
  });

  it("GIVEN a timer cancelled THEN it never fires; cancelling again says there was none; scheduling it again re-arms it", async () => {
    const calls: TimerContext<{ talkId: string }>[] = [];
    const timer = reminder(calls);
    const h = harness(t.db.kysely, { start: "2026-12-07T12:00:00Z", timers: [timer], communities });
    await h.scheduler.schedule(t.db.kysely, { timer, communityId: "c1", key: "k", at: T, payload: { talkId: "1" } });
    expect(await t.db.kysely.transaction().execute((trx) => h.scheduler.cancel(trx, timer, "c1", "k"))).toBe(true);
    expect(await h.scheduler.cancel(t.db.kysely, "talk-reminder", "c1", "k")).toBe(false);
    expect(await h.scheduler.cancel(t.db.kysely, timer, "other-community", "k")).toBe(false);
    h.clock.set(T);
    expect((await h.scheduler.tick()).timers).toEqual([]);
    expect(await timerRows(t.db.kysely)).toMatchObject([{ state: "cancelled" }]);
    expect(await h.scheduler.schedule(t.db.kysely, { timer, communityId: "c1", key: "k", at: new Date(T.getTime() + MINUTE), payload: { talkId: "1" } })).toBe("scheduled");
    h.clock.advance(MINUTE);
    expect((await h.scheduler.tick()).timers).toMatchObject([{ outcome: "fired" }]);
    expect(calls).toHaveLength(1);
  });

  it("GIVEN a timer due while nothing was running THEN a new scheduler after the downtime fires it once, late", async () => {
    const calls: TimerContext<{ talkId: string }>[] = [];
    const timer = reminder(calls);
    const before = harness(t.db.kysely, { start: "2026-12-07T12:00:00Z", timers: [timer], communities });
    await before.scheduler.schedule(t.db.kysely, { timer, communityId: "c1", key: "k", at: T, payload: { talkId: "1" } });
    await before.scheduler.stop();
    const after = harness(t.db.kysely, { start: "2026-12-07T20:00:00Z", timers: [timer], communities });
    expect((await after.scheduler.tick()).timers).toMatchObject([{ outcome: "fired" }]);
    expect((await after.scheduler.tick()).timers).toEqual([]);
    expect(calls.map((c) => [c.scheduledFor, c.now])).toEqual([[T, new Date("2026-12-07T20:00:00Z")]]);
  });

  it("GIVEN a timer with a grace window missed by more than it THEN it is skipped and logged, not fired", async () => {
    const calls: TimerContext<{ talkId: string }>[] = [];
    const timer = reminder(calls, { graceMs: 30 * MINUTE });
    const h = harness(t.db.kysely, { start: "2026-12-07T12:00:00Z", timers: [timer], communities });
    await h.scheduler.schedule(t.db.kysely, { timer, communityId: "c1", key: "k", at: T, payload: { talkId: "1" } });
    h.clock.set(new Date(T.getTime() + 31 * MINUTE));
    expect((await h.scheduler.tick()).timers).toMatchObject([{ outcome: "skipped", error: "missed by 1860 s; grace is 1800 s" }]);
    expect(logged(h.lines, "jobs: timer missed past its grace window")).toHaveLength(1);
    expect(calls).toEqual([]);
    expect(await timerRows(t.db.kysely)).toMatchObject([{ state: "skipped" }]);
  });

  it("GIVEN a handler that throws THEN its writes roll back, the failure is recorded, and it is retried with backoff until it fires", async () => {
    const calls: TimerContext<{ talkId: string }>[] = [];
    const timer = reminder(calls, { failTimes: 2 });
    const h = harness(t.db.kysely, { start: "2026-12-07T12:00:00Z", timers: [timer], communities, maxSleepMs: 60 * MINUTE });
    await h.scheduler.schedule(t.db.kysely, { timer, communityId: "c1", key: "k", at: T, payload: { talkId: "1" } });
    h.clock.set(T);
    const first = await h.scheduler.tick();
    expect(first.timers).toMatchObject([{ outcome: "failed", attempt: 1, error: "outbox full" }]);
    expect(first.nextWakeAt).toEqual(new Date(T.getTime() + MINUTE));
    expect(await effects(t.db.kysely)).toEqual([]);
    expect(await timerRows(t.db.kysely)).toMatchObject([{ state: "pending", attempts: 1, error: "outbox full", due_at: new Date(T.getTime() + MINUTE).toISOString() }]);
    h.clock.set(first.nextWakeAt);
    const second = await h.scheduler.tick();
    h.clock.set(second.nextWakeAt);
    expect(second.nextWakeAt).toEqual(new Date(T.getTime() + 3 * MINUTE));
    expect((await h.scheduler.tick()).timers).toMatchObject([{ outcome: "fired", attempt: 3 }]);
    expect((await effects(t.db.kysely)).map((e) => e.id)).toEqual(["k|3"]);
    expect(await timerRows(t.db.kysely)).toMatchObject([{ state: "fired", attempts: 3, error: null }]);
  });

  it("GIVEN a timer scheduled in a transaction that rolls back, or with a payload its schema refuses THEN nothing is armed", async () => {
    const calls: TimerContext<{ talkId: string }>[] = [];
    const timer = reminder(calls);
    const h = harness(t.db.kysely, { start: "2026-12-07T12:00:00Z", timers: [timer], communities });
    await expect(
      t.db.kysely.transaction().execute(async (trx) => {
        await h.scheduler.schedule(trx, { timer, communityId: "c1", key: "k", at: T, payload: { talkId: "1" } });
        throw new Error("the talk was not saved");
      }),
    ).rejects.toThrow("the talk was not saved");
    await expect(h.scheduler.schedule(t.db.kysely, { timer, communityId: "c1", key: "k2", at: T, payload: { talkId: "" } })).rejects.toThrow(/talk-reminder.*payload does not match/);
    const stranger = defineTimer({ name: "stranger", payload: z.object({}), run: async () => {} });
    await expect(h.scheduler.schedule(t.db.kysely, { timer: stranger, communityId: "c1", key: "k3", at: T, payload: {} })).rejects.toThrow(/"stranger" is not registered/);
    expect(await timerRows(t.db.kysely)).toEqual([]);
  });

  it("GIVEN two schedulers on one database THEN each due timer fires once", async () => {
    const calls: TimerContext<{ talkId: string }>[] = [];
    const timerA = reminder(calls);
    const other = dialect === "postgres" ? connect(t.url, { schema: t.schema }) : t.db;
    if (other !== t.db) extra.push(other);
    const a = harness(t.db.kysely, { start: "2026-12-07T12:00:00Z", timers: [timerA], communities });
    const b = harness(other.kysely, { start: "2026-12-07T12:00:00Z", timers: [reminder(calls)], communities });
    for (let i = 0; i < 10; i++) await a.scheduler.schedule(t.db.kysely, { timer: timerA, communityId: "c1", key: `k${i}`, at: T, payload: { talkId: String(i) } });
    a.clock.set(T);
    b.clock.set(T);
    const [ra, rb] = await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect([...ra.timers, ...rb.timers].filter((r) => r.outcome === "fired")).toHaveLength(10);
    expect(calls).toHaveLength(10);
    expect(await effects(t.db.kysely)).toHaveLength(10);
  });

  it("GIVEN a started scheduler THEN scheduling a timer brings its wake forward to the timer's time", async () => {
    const calls: TimerContext<{ talkId: string }>[] = [];
    const timer = reminder(calls);
    const h = harness(t.db.kysely, { start: "2026-12-07T16:00:00Z", timers: [timer], communities, maxSleepMs: 24 * 60 * MINUTE });
    h.scheduler.start();
    h.wake.fire();
    await h.scheduler.idle();
    expect(h.wake.delay).toBe(24 * 60 * MINUTE);
    await h.scheduler.schedule(t.db.kysely, { timer, communityId: "c1", key: "k", at: T, payload: { talkId: "1" } });
    expect(h.wake.pending).toHaveLength(1);
    expect(h.wake.delay).toBe(60 * MINUTE);
    h.clock.set(T);
    h.wake.fire();
    await h.scheduler.idle();
    expect(calls).toHaveLength(1);
    await h.scheduler.stop();
  });

  it("GIVEN a job whose run arms a timer in its transaction THEN the timer fires later, and the wake comes at the earlier of the timer and the job's next slot", async () => {
    const calls: TimerContext<{ talkId: string }>[] = [];
    const timer = reminder(calls);
    let scheduler!: import("../../src/jobs/scheduler.js").Scheduler;
    const job = defineJob({
      name: "plan-reminders",
      schedule: () => "0 9 * * *",
      graceMs: 60 * MINUTE,
      // 30 h ahead: after the job's own next slot (24 h), so the wake must stay at the slot.
      run: async (ctx) => void (await scheduler.schedule(ctx.trx, { timer, communityId: ctx.communityId, key: `after:${ctx.period.key}`, at: new Date(ctx.scheduledFor.getTime() + 30 * 60 * MINUTE), payload: { talkId: "t" } })),
    });
    const h = harness(t.db.kysely, { start: "2026-12-07T08:00:00Z", jobs: [job], timers: [timer], communities: () => [community("c1", "UTC")], maxSleepMs: 48 * 60 * MINUTE });
    scheduler = h.scheduler;
    h.scheduler.start();
    h.wake.fire();
    await h.scheduler.idle();
    h.clock.set("2026-12-07T09:00:00Z");
    h.wake.fire();
    await h.scheduler.idle();
    expect(await timerRows(t.db.kysely)).toMatchObject([{ key: "after:2026-12-07T09:00[UTC]", state: "pending" }]);
    expect(h.wake.pending).toHaveLength(1);
    expect(h.wake.delay).toBe(24 * 60 * MINUTE);
    h.clock.set("2026-12-08T15:00:00Z");
    h.wake.fire();
    await h.scheduler.idle();
    expect(calls.map((c) => c.key)).toEqual(["after:2026-12-07T09:00[UTC]"]);
    await h.scheduler.stop();
  });
});
