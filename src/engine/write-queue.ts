import { performance } from "node:perf_hooks";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/schema.js";

/** A write: runs inside the shared transaction it is given. */
export type Work<T> = (trx: Transaction<Database>) => Promise<T>;

interface Job {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface WriteQueueOptions {
  /** Most writes per transaction. */
  maxBatch?: number;
  /** Longest a transaction stays open taking more writes (ms); bounds commit latency under load. */
  maxTransactionMs?: number;
  /** Longest the queue holds the event loop before yielding (ms). */
  sliceMs?: number;
  /** A monotonic clock in ms (tests drive it; the default is `performance.now`). */
  now?: () => number;
  /**
   * How often a write that failed alone with a conflict another process caused (see
   * {@link isConflict}) is tried again, each after a short random pause. Default 4.
   */
  conflictRetries?: number;
}

/**
 * Thrown by a write, before it has written anything, to be run first in the next transaction
 * instead of this one: the write would wait here for a lock another process holds, and waiting
 * while this transaction holds what earlier writes took is how two processes deadlock (see
 * community-write-lock.ts). The queue commits what the transaction holds so far and starts the next
 * one with this write. The first write of a transaction never gets it ({@link WriteQueue.firstInTransaction}).
 */
export class WriteDeferred extends Error {
  constructor() {
    super("put off to the next transaction");
  }
}

/**
 * Postgres errors a write may meet only because another process wrote at the same time, and that
 * a fresh attempt gets past: a deadlock (Postgres cancels one side), a serialization failure, a
 * lock not available, and a unique key another transaction committed after we looked for it (the
 * attempt again finds the row, and takes the replay's path). SQLite reports none of these codes:
 * with one writer per file, its errors are the write's own.
 */
export function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "40P01" || code === "40001" || code === "55P03" || code === "23505";
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Group commit: writes submitted close together share one transaction, because a commit costs far
 * more than the rows in it. Each submitter's promise settles only after *its* transaction has
 * committed, so an adapter that acknowledges the platform after awaiting it never acknowledges a
 * write that could still be lost.
 *
 * A transaction takes writes until the queue is empty — so under light load every write commits
 * at once — or until it holds `maxBatch` writes or has been open `maxTransactionMs`. better-sqlite3
 * is synchronous, so running writes holds the event loop: after every `sliceMs` of work the
 * transaction yields to the event loop (still open) so gateway heartbeats, Slack acks and new
 * events get through, and writes that arrive meanwhile join the same commit. Reads wait for the
 * open transaction (kysely gives SQLite one connection), at most `maxTransactionMs`.
 *
 * If any write throws, the transaction rolls back and its writes are retried one transaction each,
 * so one bad event fails alone and the others still land. On Postgres, where several processes may
 * write one database, a write that then fails with a conflict (a deadlock between two processes'
 * batches, a key the other committed meanwhile) is tried again a few times before it fails.
 */
export class WriteQueue {
  private readonly pending: Job[] = [];
  private running = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly rollbackListeners: (() => void)[] = [];
  private readonly commitListeners: (() => void)[] = [];
  private readonly beforeCommitListeners: Work<void>[] = [];
  private readonly maxBatch: number;
  private readonly maxTransactionMs: number;
  private readonly sliceMs: number;
  private readonly now: () => number;
  private readonly conflictRetries: number;
  /** 1-based place of the running write in its transaction. */
  private position = 0;

  constructor(
    private readonly db: Kysely<Database>,
    options: WriteQueueOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 2000;
    this.maxTransactionMs = options.maxTransactionMs ?? 100;
    this.sliceMs = options.sliceMs ?? 10;
    this.now = options.now ?? (() => performance.now());
    this.conflictRetries = options.conflictRetries ?? 4;
  }

  /** Runs `work` in a transaction shared with other writes; settles after that transaction commits. */
  submit<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work: work as Work<unknown>, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        // setImmediate, not a microtask: lets everything that arrives in this turn join the batch.
        setImmediate(() => void this.runBatches());
      }
    });
  }

  /** Called whenever a transaction rolls back, so in-memory copies of written rows can be dropped. */
  onRollback(listener: () => void): void {
    this.rollbackListeners.push(listener);
  }

  /**
   * Runs inside every transaction after its last write, just before it commits: a capability that
   * folds many writes into one row (a running statistic) writes that row here once, not once per
   * event. What it writes commits or rolls back with the batch.
   */
  beforeCommit(work: Work<void>): void {
    this.beforeCommitListeners.push(work);
  }

  /** Called after every commit, before the writers' promises settle (the engine wakes the outbox here). */
  onCommit(listener: () => void): void {
    this.commitListeners.push(listener);
  }

  /**
   * Whether the write now running is the first of its transaction: it holds nothing another write
   * took, so it may wait for a lock; a later write should throw {@link WriteDeferred} instead.
   */
  get firstInTransaction(): boolean {
    return this.position <= 1;
  }

  /** Number of writes waiting. */
  get depth(): number {
    return this.pending.length;
  }

  /** Resolves once every write submitted so far has settled. */
  idle(): Promise<void> {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async runBatches(): Promise<void> {
    while (this.pending.length > 0) {
      await this.runBatch();
      // Commit is synchronous too; give the event loop a turn before the next transaction.
      if (this.pending.length > 0) await yieldToEventLoop();
    }
    this.running = false;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** One transaction: takes writes from the queue until it is empty or the limits are reached. */
  private async runBatch(): Promise<void> {
    const taken: Job[] = [];
    const results: unknown[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        const opened = this.now();
        let slice = opened;
        for (;;) {
          const job = this.pending.shift();
          if (!job) break;
          taken.push(job);
          this.position = taken.length;
          try {
            results.push(await job.work(trx));
          } catch (error) {
            if (!(error instanceof WriteDeferred) || taken.length === 1) throw error;
            // It wrote nothing: first in the next transaction, and this one commits what it holds.
            taken.pop();
            this.pending.unshift(job);
            break;
          }
          const now = this.now();
          if (taken.length >= this.maxBatch || now - opened >= this.maxTransactionMs) break;
          if (now - slice >= this.sliceMs) {
            await yieldToEventLoop();
            slice = this.now();
          }
        }
        await this.finish(trx);
      });
    } catch {
      this.rolledBack();
      await this.runOneByOne(taken);
      return;
    }
    this.committed();
    results.forEach((value, i) => taken[i]!.resolve(value));
  }

  private async finish(trx: Transaction<Database>): Promise<void> {
    for (const work of this.beforeCommitListeners) await work(trx);
  }

  private committed(): void {
    for (const listener of this.commitListeners) listener();
  }

  private rolledBack(): void {
    for (const listener of this.rollbackListeners) listener();
  }

  private async runOneByOne(jobs: Job[]): Promise<void> {
    for (const job of jobs) {
      for (let attempt = 0; ; attempt++) {
        try {
          const value = await this.db.transaction().execute(async (trx) => {
            this.position = 1;
            const result = await job.work(trx);
            await this.finish(trx);
            return result;
          });
          this.committed();
          job.resolve(value);
          break;
        } catch (error) {
          this.rolledBack();
          if (attempt < this.conflictRetries && isConflict(error)) {
            // Apart, so the two sides of a deadlock do not meet again at once.
            await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
            continue;
          }
          job.reject(error);
          break;
        }
      }
    }
  }
}
