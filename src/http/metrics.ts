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

/** Latency buckets (seconds) for ingest → commit: group commit puts most events in 1–100 ms. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The engine's {@link Telemetry} as Prometheus metrics, in a registry of its own (never
 * prom-client's global one, so a test or a bench can build several). docs/operations-http.md
 * lists every metric. Counters are incremented in memory as the engine reports; the outbox backlog
 * and the job loop's heartbeat are read when scraped, through {@link observe}.
 */
export class PrometheusTelemetry implements Telemetry {
  readonly registry = new Registry();
  private sources: ScrapeSources | undefined;
  private readonly received: Counter<"platform" | "kind">;
  private readonly processed: Counter<"platform" | "kind">;
  private readonly duplicates: Counter<"platform" | "kind">;
  private readonly failed: Counter<"platform" | "kind">;
  private readonly latency: Histogram<"platform">;
  private readonly ledger: Counter;
  private readonly delivered: Counter<"platform">;
  private readonly deliveryFailures: Counter<"platform" | "outcome">;
  private readonly jobRuns: Counter<"job" | "result">;
  private readonly timerFirings: Counter<"timer" | "result">;
  private readonly rateLimits: Counter<"platform">;

  constructor(options: PrometheusTelemetryOptions = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    const perEvent = ["platform", "kind"] as const;
    this.received = new Counter({ name: "guildkeeper_events_received_total", help: "Activity events handed to the engine.", labelNames: perEvent, registers });
    this.processed = new Counter({ name: "guildkeeper_events_processed_total", help: "Activity events committed, duplicates included.", labelNames: perEvent, registers });
    this.duplicates = new Counter({ name: "guildkeeper_events_duplicate_total", help: "Activity events found already applied (a platform's re-delivery); counted in processed too.", labelNames: perEvent, registers });
    this.failed = new Counter({ name: "guildkeeper_events_failed_total", help: "Activity events whose transaction failed (the platform delivers them again).", labelNames: perEvent, registers });
    this.latency = new Histogram({ name: "guildkeeper_event_processing_seconds", help: "From an event reaching the engine to its transaction committing.", labelNames: ["platform"], buckets: LATENCY_BUCKETS, registers });
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

    const telemetry = this;
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
    this.received.inc({ platform, kind });
  }

  eventProcessed(platform: Platform, kind: ActivityEvent["kind"], seconds: number, duplicate: boolean): void {
    this.processed.inc({ platform, kind });
    if (duplicate) this.duplicates.inc({ platform, kind });
    this.latency.observe({ platform }, seconds);
  }

  eventFailed(platform: Platform, kind: ActivityEvent["kind"]): void {
    this.failed.inc({ platform, kind });
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
