import type { Platform } from "../core/identity.js";
import type { RunReport, TimerReport } from "../jobs/index.js";
import type { ActivityEvent } from "./capability.js";

/** How one outbox delivery attempt ended: sent, to be tried again, refused by the platform, or given up. */
export type DeliveryOutcome = "sent" | "retrying" | "refused" | "failed";

/**
 * What the engine tells about its own work, for whoever measures it (`src/http/metrics.ts` turns
 * it into Prometheus metrics; the default measures nothing). Neutral on purpose: the engine does
 * not know prom-client, and a test can record calls with a plain object.
 *
 * Calls come on hot paths (one {@link eventReceived} and one {@link eventProcessed} per ingested
 * event), so an implementation must be cheap: increment in memory, never read the database or
 * wait. Everything here is reported once the fact is settled (after commit), never for a
 * transaction that may still roll back.
 */
export interface Telemetry {
  /** An activity event reached `engine.ingest`. */
  eventReceived(platform: Platform, kind: ActivityEvent["kind"]): void;
  /**
   * That event's transaction committed (or it was known to be a duplicate) `seconds` after it was
   * received. `duplicate`: a handler found it applied already (a platform's re-delivery).
   */
  eventProcessed(platform: Platform, kind: ActivityEvent["kind"], seconds: number, duplicate: boolean): void;
  /** That event could not be applied (its transaction rolled back alone and the error went to the adapter). */
  eventFailed(platform: Platform, kind: ActivityEvent["kind"]): void;
  /** `count` rows were appended to the points ledger in a transaction that has committed. */
  ledgerRows(count: number): void;
  /** One outbox delivery attempt on `platform` ended with `outcome`. */
  delivery(platform: string, outcome: DeliveryOutcome): void;
  /** A recurring job's check in one community ran, failed, was skipped, given up or taken by another runner. */
  jobRun(job: string, result: RunReport["outcome"]): void;
  /** A one-off timer fired, failed, was skipped, taken by another runner or postponed. */
  timerFired(timer: string, result: TimerReport["outcome"]): void;
  /**
   * A platform's REST API held back or refused a call for its rate limit. Reported by the adapters
   * (through `engine.telemetry`), which alone see their HTTP clients.
   */
  rateLimited(platform: Platform): void;
}

const nothing = (): void => {};

/** Measures nothing: the engine's default when no one asked for metrics. */
export const noTelemetry: Telemetry = {
  eventReceived: nothing,
  eventProcessed: nothing,
  eventFailed: nothing,
  ledgerRows: nothing,
  delivery: nothing,
  jobRun: nothing,
  timerFired: nothing,
  rateLimited: nothing,
};
