import { performance } from "node:perf_hooks";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/schema.js";

/**
 * Group commit: writes submitted in the same moment share one transaction, because a commit costs
 * far more than the rows in it. Each submitter's promise settles only after *its* transaction has
 * committed, so an adapter that acknowledges the platform after awaiting it never acknowledges a
 * write that could still be lost.
 *
 * better-sqlite3 is synchronous, so a transaction holds the event loop for as long as it runs. A
 * batch therefore stops taking work after `budgetMs` and the queue yields to the event loop between
 * batches, keeping gateway heartbeats and Slack acks flowing under load.
 *
 * If any write in a batch throws, the batch rolls back and its writes are retried one transaction
 * each, so one bad event fails alone and the others still land.
 */
export type Work<T> = (trx: Transaction<Database>) => Promise<T>;

interface Job {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  enqueuedAt: number;
}

export interface WriteQueueOptions {
  /** Most writes per transaction. */
  maxBatch?: number;
  /** Stop adding writes to a transaction after this long (ms). */
  budgetMs?: number;
}

export class WriteQueue {
  private readonly pending: Job[] = [];
  private running = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly rollbackListeners: (() => void)[] = [];
  private readonly maxBatch: number;
  private readonly budgetMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    options: WriteQueueOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.budgetMs = options.budgetMs ?? 20;
  }

  /** Runs `work` in a transaction shared with other writes; settles after that transaction commits. */
  submit<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work: work as Work<unknown>, resolve: resolve as (v: unknown) => void, reject, enqueuedAt: performance.now() });
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
      const batch = this.pending.splice(0, this.maxBatch);
      const done = await this.runBatch(batch);
      // Work the budget cut off goes back to the front, in order.
      if (done < batch.length) this.pending.unshift(...batch.slice(done));
      if (this.pending.length > 0) await new Promise((r) => setImmediate(r));
    }
    this.running = false;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Runs as much of `batch` as fits the budget in one transaction; returns how many jobs settled. */
  private async runBatch(batch: Job[]): Promise<number> {
    const results: unknown[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        const start = performance.now();
        for (const job of batch) {
          results.push(await job.work(trx));
          if (performance.now() - start > this.budgetMs) break;
        }
      });
    } catch {
      this.rolledBack();
      return this.runOneByOne(batch.slice(0, Math.max(1, results.length + 1)));
    }
    results.forEach((value, i) => batch[i]!.resolve(value));
    return results.length;
  }

  private rolledBack(): void {
    for (const listener of this.rollbackListeners) listener();
  }

  private async runOneByOne(jobs: Job[]): Promise<number> {
    for (const job of jobs) {
      try {
        job.resolve(await this.db.transaction().execute((trx) => job.work(trx)));
      } catch (error) {
        this.rolledBack();
        job.reject(error);
      }
    }
    return jobs.length;
  }
}
