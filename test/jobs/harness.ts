import type { Kysely, Transaction } from "kysely";
import type pino from "pino";
import { ManualClock } from "../../src/core/clock.js";
import type { Database } from "../../src/db/schema.js";
import { defaultSettings, type Settings } from "../../src/engine/communities/settings.js";
import type { SchedulerCommunity } from "../../src/jobs/community-source.js";
import type { JobDefinition } from "../../src/jobs/job.js";
import { Scheduler, type SchedulerOptions } from "../../src/jobs/scheduler.js";
import type { TimerDefinition } from "../../src/jobs/timer.js";
import type { WakeTimer } from "../../src/jobs/wake-timer.js";
import { capturingLog } from "../helpers/log-lines.js";

/** A wake timer that only records what it was asked: tests fire it by hand after moving the clock. */
export class FakeWakeTimer implements WakeTimer {
  pending: { callback: () => void; delayMs: number; id: number }[] = [];
  private nextId = 1;
  set(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.pending.push({ callback, delayMs, id });
    return id;
  }
  clear(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }
  /** The delay of the one armed wake (the scheduler never arms two). */
  get delay(): number | undefined {
    return this.pending.at(-1)?.delayMs;
  }
  fire(): void {
    const next = this.pending.shift();
    next?.callback();
  }
}

/** A table the test jobs write their effects into, in the run's transaction. */
export async function createEffectsTable(db: Kysely<Database>): Promise<void> {
  await (db as unknown as Kysely<any>).schema
    .createTable("test_effects")
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .execute();
}

/** Empties what the scheduler and the test jobs write, between tests sharing one database. */
export async function emptyJobTables(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom("job_runs").execute();
  await db.deleteFrom("job_timers").execute();
  await db.deleteFrom("communities").execute();
  await (db as unknown as Kysely<any>).deleteFrom("test_effects").execute();
}

export async function writeEffect(trx: Transaction<Database>, id: string, communityId: string, note: string): Promise<void> {
  await (trx as unknown as Kysely<any>).insertInto("test_effects").values({ id, community_id: communityId, note }).execute();
}

export async function effects(db: Kysely<Database>): Promise<{ id: string; community_id: string; note: string }[]> {
  const rows = await (db as unknown as Kysely<any>).selectFrom("test_effects").selectAll().orderBy("id").execute();
  return rows as { id: string; community_id: string; note: string }[];
}

export async function runRows(db: Kysely<Database>) {
  return db.selectFrom("job_runs").selectAll().orderBy("job").orderBy("community_id").orderBy("scheduled_for").execute();
}

export function community(id: string, timezone: string, createdAt = "2020-01-01T00:00:00Z", settings: Partial<Settings> = {}): SchedulerCommunity {
  return { id, timezone, createdAt: new Date(createdAt), settings: { ...defaultSettings(), timezone, ...settings } };
}

export interface Harness {
  scheduler: Scheduler;
  clock: ManualClock;
  wake: FakeWakeTimer;
  lines: string[];
  log: pino.Logger;
}

/** A scheduler over `db` with a manual clock, a fake wake timer and a log that keeps its lines. */
export function harness(
  db: Kysely<Database>,
  opts: { start: string; jobs?: JobDefinition[]; timers?: TimerDefinition<unknown>[]; communities: () => readonly SchedulerCommunity[]; clock?: ManualClock } & Partial<Omit<SchedulerOptions, "communities" | "jobs" | "timers">>,
): Harness {
  const clock = opts.clock ?? new ManualClock(opts.start);
  const wake = new FakeWakeTimer();
  const { log, lines } = capturingLog();
  const scheduler = new Scheduler({
    db,
    clock,
    log,
    wake,
    maxSleepMs: opts.maxSleepMs ?? 60_000,
    jobs: opts.jobs ?? [],
    timers: opts.timers ?? [],
    communities: async () => opts.communities(),
    ...(opts.afterWork ? { afterWork: opts.afterWork } : {}),
  });
  return { scheduler, clock, wake, lines, log };
}

/** Log lines (parsed) whose message starts with `prefix`. */
export function logged(lines: string[], prefix: string): Record<string, unknown>[] {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => String(l.msg).startsWith(prefix));
}
