import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Platform } from "../core/identity.js";
import type { ActivityEvent } from "../engine/capability.js";
import type { OutboxBacklog } from "../engine/outbox/index.js";
import type { DeliveryOutcome, Telemetry } from "../engine/telemetry.js";
import type { RunReport, SchedulerLiveness, TimerReport } from "../jobs/index.js";

/** What is read at scrape time, once the engine exists (it is built with this telemetry, so after it). */
export interface ScrapeSources {
  /** Open outbox rows by platform and state (`engine.outboxBacklog()`). */
  outboxBacklog(): Promise<OutboxBacklog[]>;
  /** The job loop's heartbeat (`engine.scheduler.liveness()`). */
  jobLoop(): SchedulerLiveness;
}

export interface PrometheusTelemetryOptions {
  /**
   * prom-client's process and Node.js metrics (CPU, memory, heap, GC, event-loop delay) in this
   * registry; default on. Tests that build many registries may turn it off.
   */
  defaultMetrics?: boolean;
}

interface EventTally {
  received: number;
  processed: number;
  duplicate: number;
  failed: number;
}

/** Latency buckets (seconds) for ingest → commit: group commit puts most events in 1–100 ms. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The engine's {@link Telemetry} as Prometheus metrics, in a registry of its own (never
 * prom-client's global one, so a test or a bench can build several). docs/operations-http.md
 * lists every metric. What the engine reports is counted in memory as it happens (per-event
 * counts in plain numbers, copied out at scrape time); the outbox backlog and the job loop's
 * heartbeat are read when scraped, through {@link observe}.
 */
export class PrometheusTelemetry implements Telemetry {
  readonly registry = new Registry();
  private sources: ScrapeSources | undefined;
  /** Per platform, per kind: the hot path counts here, in plain numbers, and scrapes copy them out. */
  private readonly events = new Map<string, Map<string, EventTally>>();
  private readonly latency: Histogram;
  private readonly ledger: Counter;
  private readonly delivered: Counter<"platform">;
  private readonly deliveryFailures: Counter<"platform" | "outcome">;
  private readonly jobRuns: Counter<"job" | "result">;
  private readonly timerFirings: Counter<"timer" | "result">;
  private readonly rateLimits: Counter<"platform">;

  constructor(options: PrometheusTelemetryOptions = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    const telemetry = this;
    // Per-event counters are plain numbers bumped on the hot path (a prom-client increment costs
    // ~0.4 µs: it builds a label key string each time), copied into these counters when scraped.
    const eventCounter = (name: string, help: string, field: keyof EventTally) =>
      new Counter({
        name,
        help,
        labelNames: ["platform", "kind"],
        registers,
        collect() {
          this.reset();
          for (const [platform, kinds] of telemetry.events) for (const [kind, tally] of kinds) this.inc({ platform, kind }, tally[field]);
        },
      });
    eventCounter("guildkeeper_events_received_total", "Activity events handed to the engine.", "received");
    eventCounter("guildkeeper_events_processed_total", "Activity events committed, duplicates included.", "processed");
    eventCounter("guildkeeper_events_duplicate_total", "Activity events found already applied (a platform's re-delivery); counted in processed too.", "duplicate");
    eventCounter("guildkeeper_events_failed_total", "Activity events whose transaction failed (the platform delivers them again).", "failed");
    // Unlabelled: every platform's events share the one write queue, and an observation with a
    // label costs twice one without.
    this.latency = new Histogram({ name: "guildkeeper_event_processing_seconds", help: "From an activity event reaching the engine to its transaction committing.", buckets: LATENCY_BUCKETS, registers });
    this.ledger = new Counter({ name: "guildkeeper_ledger_rows_total", help: "Rows appended to the points ledger (awards, corrections and reversals), counted at commit.", registers });
    this.delivered = new Counter({ name: "guildkeeper_outbox_delivered_total", help: "Outbox rows sent to their platform.", labelNames: ["platform"], registers });
    this.deliveryFailures = new Counter({
      name: "guildkeeper_outbox_delivery_failures_total",
      help: "Outbox delivery attempts that did not send: retrying (transient or rate-limited), refused by the platform, or failed (given up).",
      labelNames: ["platform", "outcome"],
      registers,
    });
    this.jobRuns = new Counter({ name: "guildkeeper_job_runs_total", help: "Recurring job checks per community that did something, by result.", labelNames: ["job", "result"], registers });
    this.timerFirings = new Counter({ name: "guildkeeper_timer_firings_total", help: "One-off timers handled, by result.", labelNames: ["timer", "result"], registers });
    this.rateLimits = new Counter({ name: "guildkeeper_rate_limited_total", help: "REST calls a platform held back or refused for its rate limit.", labelNames: ["platform"], registers });

    /** Every (platform, state) ever seen, so one that drained reads 0 rather than vanishing. */
    const backlogSeries = new Map<string, { platform: string; state: string }>();
    new Gauge({
      name: "guildkeeper_outbox_backlog",
      help: "Outbox rows not yet delivered, by platform and state (pending: waiting for its time or a retry; sending: claimed).",
      labelNames: ["platform", "state"],
      registers,
      async collect() {
        if (!telemetry.sources) return;
        const backlog = await telemetry.sources.outboxBacklog();
        for (const row of backlog) backlogSeries.set(`${row.platform}\n${row.state}`, { platform: row.platform, state: row.state });
        for (const labels of backlogSeries.values()) this.set(labels, 0);
        for (const row of backlog) this.set({ platform: row.platform, state: row.state }, row.rows);
      },
    });
    new Gauge({
      name: "guildkeeper_job_loop_heartbeat_age_seconds",
      help: "Seconds since the job loop last began or finished a look at the database, on the engine's clock (-1: not running).",
      registers,
      collect() {
        const loop = telemetry.sources?.jobLoop();
        if (!loop) return;
        this.set(loop.running && loop.lastLookAt ? (loop.now.getTime() - loop.lastLookAt.getTime()) / 1000 : -1);
      },
    });
  }

  /** Where the scrape-time gauges read from; call once the engine is built. */
  observe(sources: ScrapeSources): void {
    this.sources = sources;
  }

  /** The exposition text and its content type, for GET /metrics. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  eventReceived(platform: Platform, kind: ActivityEvent["kind"]): void {
    this.tally(platform, kind).received += 1;
  }

  eventProcessed(platform: Platform, kind: ActivityEvent["kind"], seconds: number, duplicate: boolean): void {
    const tally = this.tally(platform, kind);
    tally.processed += 1;
    if (duplicate) tally.duplicate += 1;
    this.latency.observe(seconds);
  }

  eventFailed(platform: Platform, kind: ActivityEvent["kind"]): void {
    this.tally(platform, kind).failed += 1;
  }

  /** The counts for one platform and kind; two map lookups, and an allocation only the first time. */
  private tally(platform: string, kind: string): EventTally {
    let kinds = this.events.get(platform);
    if (!kinds) this.events.set(platform, (kinds = new Map()));
    let tally = kinds.get(kind);
    if (!tally) kinds.set(kind, (tally = { received: 0, processed: 0, duplicate: 0, failed: 0 }));
    return tally;
  }

  ledgerRows(count: number): void {
    this.ledger.inc(count);
  }

  delivery(platform: string, outcome: DeliveryOutcome): void {
    if (outcome === "sent") this.delivered.inc({ platform });
    else this.deliveryFailures.inc({ platform, outcome });
  }

  jobRun(job: string, result: RunReport["outcome"]): void {
    this.jobRuns.inc({ job, result });
  }

  timerFired(timer: string, result: TimerReport["outcome"]): void {
    this.timerFirings.inc({ timer, result });
  }

  rateLimited(platform: Platform): void {
    this.rateLimits.inc({ platform });
  }
}
