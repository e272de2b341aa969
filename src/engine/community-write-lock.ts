import { type Kysely, PostgresAdapter, sql, type Transaction } from "kysely";
import type { Database } from "../db/schema.js";
import { WriteDeferred, type WriteQueue } from "./write-queue.js";

/**
 * Lets several processes write one Postgres database as if each community had one writer.
 *
 * The engine keeps copies of rows it wrote in memory — the points capability's member rows
 * (member-cache.ts), moderation's running statistics (quality-scoring.ts) — and its rules read a
 * community's recorded events and write back what follows from them. On SQLite one process writes a
 * file (db/writer-lock.ts), so those copies are always right and nothing else writes meanwhile. On
 * Postgres a second process may: a copy goes stale, and two transactions judging the same member
 * at once would each write what they decided alone.
 *
 * So, on Postgres, the first write to a community in a write-queue transaction takes the
 * community's lock (a transaction-scoped advisory lock) and bumps its row in
 * `community_write_epochs`. The lock holds until the transaction ends: another process writing the
 * same community waits, and then sees everything this one wrote. The number says whether anyone
 * else wrote the community since this process last did (it is one more than ours: nobody did); if
 * someone did, every copy of that community's rows is dropped ({@link onStale}) before the
 * transaction reads anything. A process that has a community to itself (Discord shards: a server's
 * events reach one process) keeps its copies and pays two statements per community per transaction.
 *
 * Deadlocks: a batch holds every community it wrote until it commits, so two processes whose
 * batches each hold one community and want the other's would wait for each other (Postgres breaks
 * that after a second by failing one). So only the first write of a transaction waits for a lock;
 * a later one that finds it taken is put off to the next transaction ({@link WriteDeferred}) — if
 * it has written nothing yet (`deferrable`: the engine's ingest and `/thanks` enter first thing).
 * One that has (a moderator's decision that then adjusts points) waits; should that ever close a
 * cycle, the write queue retries the write after Postgres breaks it.
 *
 * On SQLite it does nothing ({@link active} is false: callers skip it without an await).
 *
 * Use it only with the write queue's transaction: it forgets what it knew when the queue rolls back.
 */
export class CommunityWriteLock {
  /** False on SQLite: there is nothing to lock. */
  readonly active: boolean;
  /** Per community, the epoch this process's last transaction wrote it at. */
  private readonly lastEpoch = new Map<string, number>();
  /** The communities the open transaction holds already (a batch writes one community many times). */
  private held = new WeakMap<Transaction<Database>, Set<string>>();
  private readonly staleListeners: ((communityId: string) => void)[] = [];

  constructor(
    db: Kysely<Database>,
    private readonly writes: WriteQueue,
  ) {
    this.active = db.getExecutor().adapter instanceof PostgresAdapter;
    // A rolled-back transaction's bump rolled back too: what we knew of the epochs no longer holds.
    writes.onRollback(() => {
      this.lastEpoch.clear();
      this.held = new WeakMap();
    });
  }

  /** Called with a community whose in-memory copies must go: another process wrote it since we did. */
  onStale(listener: (communityId: string) => void): void {
    this.staleListeners.push(listener);
  }

  /**
   * Takes the community's write lock for the rest of `trx` (Postgres), dropping stale copies first.
   * Call before reading anything of the community that the transaction will write from. With
   * `deferrable` (the write has written nothing yet), a lock another process holds throws
   * {@link WriteDeferred} instead of waiting, unless this is the transaction's first write.
   */
  async enter(trx: Transaction<Database>, communityId: string, o: { deferrable?: boolean } = {}): Promise<void> {
    if (!this.active) return;
    let held = this.held.get(trx);
    if (held?.has(communityId)) return;
    const key = sql`hashtextextended(${`community-writes:${communityId}`}, 0)`;
    if (o.deferrable && !this.writes.firstInTransaction) {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${key}) as locked`.execute(trx);
      if (!rows[0]?.locked) throw new WriteDeferred();
    } else {
      await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
    }
    const { rows } = await sql<{ epoch: number | string }>`
      insert into community_write_epochs (community_id, epoch) values (${communityId}, 1)
      on conflict (community_id) do update set epoch = community_write_epochs.epoch + 1
      returning epoch`.execute(trx);
    const epoch = Number(rows[0]!.epoch);
    const last = this.lastEpoch.get(communityId);
    if (last === undefined || epoch !== last + 1) for (const listener of this.staleListeners) listener(communityId);
    this.lastEpoch.set(communityId, epoch);
    if (!held) this.held.set(trx, (held = new Set()));
    held.add(communityId);
  }
}
