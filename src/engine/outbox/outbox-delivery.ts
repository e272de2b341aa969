import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Platform } from "../../core/identity.js";
import { type Outbox, transientFailure } from "../../core/outbox.js";
import type { Database } from "../../db/schema.js";
import type { Logger } from "../../log.js";
import type { Telemetry } from "../telemetry.js";
import { type AttemptContext, sendRow, settleFailure } from "./outbox-attempt.js";
import { claimOutboxRow, closeOutboxRow, dueOutboxRows, nextDueAt, type OutboxRow, type Settlement, settleOutboxRow } from "./outbox.repo.js";
import { DEFAULT_RETRY_POLICY, failedAttempts, type RetryPolicy } from "./retry-policy.js";
import { systemTimer, type Timer } from "./timer.js";

/**
 * The delivery loop: takes due outbox rows, sends each through its platform's {@link Outbox}, and
 * settles it — delivered once, retried later, refused, or given up.
 *
 * - **Claiming** is a conditional update on the row's version (state + attempts), so two loops on
 *   one database never send one attempt twice. A claim is a lease: a row left `sending` by a loop
 *   that died is taken again once the lease lapses.
 * - **Retries**: a rate limit waits exactly the platform's `Retry-After` (plus a little jitter); a
 *   transient failure backs off exponentially with jitter; after `maxAttempts` the row is `failed`
 *   and logged. A refusal ("not allowed", "not found", "rejected") is final at once.
 * - **At most one repeat**: a post whose last attempt may have gone through unconfirmed (the loop
 *   died between send and mark, or the answer was lost) is sent again. Where the platform drops a
 *   repeat by dedupe key within `dedupeWindowMs` (Discord's nonce) that is safe; where it cannot
 *   (Slack), the loop risks one repeat per row and, should that attempt be unconfirmed too, gives
 *   up rather than post a third time. docs/outbox.md has the whole story.
 * - **Order**: edits and deletes of our own post wait until the post is delivered, and each other.
 *
 * Time comes from the injected clock and waiting from the injected timer: tests call
 * {@link deliverDue} and move a ManualClock, never the wall clock.
 */
export interface OutboxDeliveryOptions {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  timer?: Timer;
  policy?: Partial<RetryPolicy>;
  /** Longest sleep between two looks at the table (ms); `wake()` cuts it short. Default 2 000. */
  pollIntervalMs?: number;
  /** Rows taken per look (default 25). */
  batchSize?: number;
  /** Jitter source, [0, 1). */
  random?: () => number;
  /** Told how each attempt ended, by platform. */
  telemetry?: Pick<Telemetry, "delivery">;
}

/** What one {@link OutboxDelivery.deliverDue} call did, by outcome. */
export interface DeliveryReport {
  sent: number;
  retrying: number;
  refused: number;
  failed: number;
  /** Rows another loop claimed first, or took over while this one was sending. */
  lost: number;
}

const MAX_PASSES = 50;

export class OutboxDelivery {
  private readonly outboxes = new Map<Platform, Outbox>();
  private readonly policy: RetryPolicy;
  private readonly timer: Timer;
  private readonly random: () => number;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private handle: unknown;
  private running = false;
  private current: Promise<DeliveryReport> | undefined;
  private rerun = false;
  private readonly attemptContext: AttemptContext;

  constructor(private readonly o: OutboxDeliveryOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...o.policy };
    this.timer = o.timer ?? systemTimer;
    this.random = o.random ?? Math.random;
    this.pollIntervalMs = o.pollIntervalMs ?? 2_000;
    this.batchSize = o.batchSize ?? 25;
    this.attemptContext = { db: o.db, clock: o.clock, policy: this.policy, random: this.random };
  }

  /** Delivers rows addressed to `platform` through `outbox` (one per platform; a later one replaces it). */
  register(platform: Platform, outbox: Outbox): void {
    if (outbox.platform !== platform) throw new Error(`outbox for ${outbox.platform} registered as ${platform}`);
    this.outboxes.set(platform, outbox);
  }

  /** Starts looking for due rows now and whenever one comes due (at most `pollIntervalMs` apart). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops the loop; resolves once the delivery in hand has settled. Rows left are delivered after a restart. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.handle !== undefined) this.timer.clear(this.handle);
    this.handle = undefined;
    await this.current?.catch(() => undefined);
  }

  /** Looks now instead of at the next poll: call after committing a transaction that enqueued. */
  wake(): void {
    if (!this.running) return;
    if (this.current) this.rerun = true;
    else this.schedule(0);
  }

  /**
   * Delivers everything due now, pass after pass (a delivered post frees its edits), and resolves
   * when nothing due is left. Calls made while one runs wait for it, then run again.
   */
  deliverDue(): Promise<DeliveryReport> {
    const previous = this.current ?? Promise.resolve(emptyReport());
    const next = previous.catch(() => emptyReport()).then(() => this.passes());
    this.current = next;
    void next.finally(() => {
      if (this.current === next) this.current = undefined;
    }).catch(() => undefined);
    return next;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.handle !== undefined) this.timer.clear(this.handle);
    this.handle = this.timer.set(() => {
      this.handle = undefined;
      void this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    let progressed = false;
    try {
      const report = await this.deliverDue();
      progressed = report.sent + report.retrying + report.refused + report.failed > 0;
    } catch (error) {
      this.o.log.error({ err: error }, "outbox: delivery pass failed; trying again at the next poll");
    }
    if (!this.running) return;
    if (this.rerun) {
      this.rerun = false;
      return this.schedule(0);
    }
    let delay = this.pollIntervalMs;
    try {
      const due = await nextDueAt(this.o.db, [...this.outboxes.keys()]);
      const untilDue = due === undefined ? undefined : Date.parse(due) - this.o.clock.now().getTime();
      // Due already: more work than one call takes (go on at once) — unless that call got nowhere
      // (a failing database), which must not spin: then wait for the next poll.
      if (untilDue !== undefined) delay = untilDue > 0 ? Math.min(delay, untilDue) : progressed ? 0 : delay;
    } catch {
      // The next poll tries again.
    }
    this.schedule(delay);
  }

  private async passes(): Promise<DeliveryReport> {
    const report = emptyReport();
    for (let pass = 0; pass < MAX_PASSES; pass += 1) {
      const rows = await dueOutboxRows(this.o.db, { now: this.o.clock.now().toISOString(), platforms: [...this.outboxes.keys()], limit: this.batchSize });
      if (rows.length === 0) break;
      const before = report.sent + report.retrying + report.refused + report.failed;
      // Platforms in parallel (a slow one must not hold the others up), each platform's rows in order.
      const byPlatform = new Map<string, OutboxRow[]>();
      for (const row of rows) byPlatform.set(row.platform, [...(byPlatform.get(row.platform) ?? []), row]);
      await Promise.all(
        [...byPlatform.values()].map(async (platformRows) => {
          for (const row of platformRows) await this.attempt(row, report);
        }),
      );
      if (report.sent + report.retrying + report.refused + report.failed === before) break;
    }
    return report;
  }

  /** One attempt at one row: claim, send, settle. */
  private async attempt(row: OutboxRow, report: DeliveryReport): Promise<void> {
    const outbox = this.outboxes.get(row.platform as Platform);
    if (!outbox) return;
    const now = this.o.clock.now();
    const version = { id: row.id, state: row.state, attempts: row.attempts };

    // Attempts a rate limit answered do not count (settleFailure); a lapsed claim's attempt does.
    const failures = failedAttempts(row.attempts, row.rate_limited);
    if (failures >= this.policy.maxAttempts) {
      return this.close(row, version, "failed", `gave up after ${failures} failed attempts: ${row.last_error ?? "no answer"}`, report);
    }
    let riskRepeat = false;
    if ((row.operation === "post" || row.operation === "dm") && (row.state === "sending" || row.last_attempt_uncertain === 1)) {
      // The last attempt may have posted. A repeat inside the platform's dedupe window is dropped by
      // the platform; outside it, one repeat is risked per row, never a second.
      const since = row.last_attempt_at ? now.getTime() - Date.parse(row.last_attempt_at) : Number.POSITIVE_INFINITY;
      if (since > outbox.dedupeWindowMs) {
        if (row.risked_repeats >= 1) {
          return this.close(row, version, "failed", `not sent again: an earlier attempt may already have posted it, and it was already repeated once (${row.last_error ?? "no answer"})`, report);
        }
        riskRepeat = true;
      }
    }
    const claimed = await claimOutboxRow(this.o.db, version, {
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + this.policy.leaseMs).toISOString(),
      riskRepeat,
    });
    if (!claimed) {
      report.lost += 1;
      return;
    }
    const attempts = row.attempts + 1;
    if (riskRepeat) this.o.log.warn({ outboxId: row.id, dedupeKey: row.dedupe_key, platform: row.platform }, "outbox: sending again a post that may already be there (at most one repeat)");

    let settlement: Settlement;
    try {
      settlement = await sendRow(outbox, row, attempts, this.attemptContext);
    } catch (error) {
      // A bug in an adapter or a lost database read: count it as a failure that may have posted.
      settlement = settleFailure(outbox, row, attempts, transientFailure(true, `unexpected: ${error instanceof Error ? error.message : String(error)}`), this.attemptContext);
    }
    const settled = await settleOutboxRow(this.o.db, row.id, attempts, settlement);
    if (!settled) {
      report.lost += 1;
      this.o.log.warn({ outboxId: row.id, dedupeKey: row.dedupe_key }, "outbox: another loop took this row over while it was being sent (the claim lapsed)");
      return;
    }
    this.count(row, settlement, report, attempts);
  }

  private async close(row: OutboxRow, version: { id: string; state: string; attempts: number }, state: "failed", error: string, report: DeliveryReport): Promise<void> {
    if (!(await closeOutboxRow(this.o.db, version, { state, error }))) {
      report.lost += 1;
      return;
    }
    report.failed += 1;
    this.o.telemetry?.delivery(row.platform, "failed");
    this.o.log.error({ outboxId: row.id, dedupeKey: row.dedupe_key, platform: row.platform, operation: row.operation, attempts: row.attempts, error }, "outbox: gave up");
  }

  private count(row: OutboxRow, s: Settlement, report: DeliveryReport, attempts: number): void {
    const where = { outboxId: row.id, dedupeKey: row.dedupe_key, platform: row.platform, operation: row.operation, attempts };
    this.o.telemetry?.delivery(row.platform, s.state === "sent" ? "sent" : s.state === "pending" ? "retrying" : s.state);
    if (s.state === "sent") report.sent += 1;
    else if (s.state === "pending") {
      report.retrying += 1;
      this.o.log.info({ ...where, error: s.error, nextAttemptAt: s.nextAttemptAt }, "outbox: will try again");
    } else if (s.state === "refused") {
      report.refused += 1;
      this.o.log.warn({ ...where, error: s.error }, "outbox: the platform refused");
    } else {
      report.failed += 1;
      this.o.log.error({ ...where, error: s.error }, "outbox: gave up");
    }
  }
}

function emptyReport(): DeliveryReport {
  return { sent: 0, retrying: 0, refused: 0, failed: 0, lost: 0 };
}
