import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { naturalKeys, type MessageCreated } from "../../src/core/events.js";
import type { Actor } from "../../src/core/identity.js";
import { refused } from "../../src/core/outbox.js";
import { defineCapability } from "../../src/engine/capability.js";
import { PrometheusTelemetry } from "../../src/http/metrics.js";
import { databaseProbe } from "../../src/http/probes.js";
import { buildHttpServer } from "../../src/http/server.js";
import { defineJob } from "../../src/jobs/index.js";
import { ScriptedOutbox } from "../contract/scripted-outbox.js";
import { dialects } from "../helpers/db.js";
import { silentLog, testEngine, type TestEngine } from "../helpers/engine.js";
import { member, message, place, reaction } from "../helpers/events.js";
import { type Family, parsePrometheusText, valueOf } from "./prometheus-text.js";

/**
 * GET /metrics over real HTTP, around a real engine whose telemetry is the Prometheus one: events
 * go in through `engine.ingest`, and the scrape is parsed by a strict parser of the text format
 * (prometheus-text.ts), then read by metric name and labels.
 */
const ada = member("ada");
const bob = member("bob");
const T = (s: number) => new Date(Date.parse("2026-11-26T12:00:00Z") + s * 1000);

function slackMessage(ts: string, at: Date): MessageCreated {
  const author: Actor = { id: "slack:T1:U1", platform: "slack", workspaceId: "T1", userId: "U1", displayName: "sam", isBot: false };
  const key = naturalKeys.slackMessage("T1", "C1", ts);
  return { kind: "message.created", key, messageKey: key, at, place: { platform: "slack", workspaceId: "T1", channelId: "C1" }, author, text: `slack message ${ts}`, mentions: [] };
}

/** A handler that refuses any message saying "explode": its event's transaction rolls back alone. */
const refuser = defineCapability({
  name: "refuser",
  setup: () => ({
    events: [
      {
        kinds: ["message.created"],
        async handle({ event }) {
          if (event.kind === "message.created" && event.text.includes("explode")) throw new Error("refused");
        },
      },
    ],
  }),
});

/** Two hourly jobs of a test capability: one that works, one that always fails. */
const hourly = defineCapability({
  name: "hourly-test",
  setup: () => ({
    jobs: [
      defineJob({ name: "hourly-ok", schedule: () => "0 * * * *", graceMs: 3_600_000, run: async () => {} }),
      defineJob({
        name: "hourly-broken",
        schedule: () => "0 * * * *",
        graceMs: 3_600_000,
        retry: { maxAttempts: 1 },
        run: async () => {
          throw new Error("this job always fails");
        },
      }),
    ],
  }),
});

let t: TestEngine;
let telemetry: PrometheusTelemetry;
let server: FastifyInstance;
let base: string;

beforeEach(async () => {
  telemetry = new PrometheusTelemetry();
  t = await testEngine({ telemetry, extraCapabilities: [hourly, refuser] });
  telemetry.observe({ outboxBacklog: () => t.engine.outboxBacklog(), jobLoop: () => t.engine.scheduler.liveness() });
  server = await buildHttpServer({ log: silentLog, health: { probes: [] }, metrics: telemetry });
  await server.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await server.close();
  await t.engine.stop();
  await t.close();
});

async function scrape(): Promise<Family[]> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return parsePrometheusText(await res.text());
}

describe("GET /metrics", () => {
  it("GIVEN events from two platforms, one delivered twice THEN received, processed and duplicate count them by platform and kind, with their latency and the ledger rows they wrote", async () => {
    const outcomes = [
      await t.ingest(message({ id: "m1", by: ada, at: T(0) })),
      await t.ingest(message({ id: "m2", by: bob, at: T(1) })),
      // Discord delivers m1 again (a RESUME replay).
      await t.ingest(message({ id: "m1", by: ada, at: T(0) })),
      await t.ingest(reaction({ message: "m1", by: bob, at: T(2) })),
      await t.ingest(slackMessage("1700000000.000100", T(3))),
    ];
    expect(outcomes.map((o) => o.duplicate)).toEqual([false, false, true, false, false]);
    const ledgerRows = outcomes.reduce((n, o) => n + o.awards.length, 0);
    expect(ledgerRows).toBeGreaterThan(0);

    const m = await scrape();
    const discordMessages = { platform: "discord", kind: "message.created" };
    const discordReactions = { platform: "discord", kind: "reaction.added" };
    const slackMessages = { platform: "slack", kind: "message.created" };
    expect(valueOf(m, "guildkeeper_events_received_total", discordMessages)).toBe(3);
    expect(valueOf(m, "guildkeeper_events_processed_total", discordMessages)).toBe(3);
    expect(valueOf(m, "guildkeeper_events_duplicate_total", discordMessages)).toBe(1);
    expect(valueOf(m, "guildkeeper_events_received_total", discordReactions)).toBe(1);
    expect(valueOf(m, "guildkeeper_events_processed_total", discordReactions)).toBe(1);
    // Once a platform and kind has been seen, each of its counters has a series, 0 included.
    expect(valueOf(m, "guildkeeper_events_duplicate_total", discordReactions)).toBe(0);
    expect(valueOf(m, "guildkeeper_events_received_total", slackMessages)).toBe(1);
    expect(valueOf(m, "guildkeeper_events_processed_total", slackMessages)).toBe(1);
    expect(valueOf(m, "guildkeeper_events_failed_total", discordMessages)).toBe(0);
    expect(valueOf(m, "guildkeeper_events_received_total", { platform: "slack", kind: "reaction.added" })).toBeUndefined();
    // One latency observation per processed event.
    expect(valueOf(m, "guildkeeper_event_processing_seconds")).toBe(5);
    expect(valueOf(m, "guildkeeper_ledger_rows_total")).toBe(ledgerRows);

    const types = Object.fromEntries(m.filter((f) => f.name.startsWith("guildkeeper_")).map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      guildkeeper_events_received_total: "counter",
      guildkeeper_events_processed_total: "counter",
      guildkeeper_events_duplicate_total: "counter",
      guildkeeper_event_processing_seconds: "histogram",
      guildkeeper_ledger_rows_total: "counter",
      guildkeeper_outbox_backlog: "gauge",
    });
  });

  it("GIVEN an event whose transaction fails THEN it is counted as received and failed, not processed", async () => {
    await t.ingest(message({ id: "m1", by: ada, at: T(0) }));
    await expect(t.ingest(message({ id: "m2", by: ada, at: T(1), text: "explode" }))).rejects.toThrow("refused");
    const m = await scrape();
    const labels = { platform: "discord", kind: "message.created" };
    expect(valueOf(m, "guildkeeper_events_received_total", labels)).toBe(2);
    expect(valueOf(m, "guildkeeper_events_processed_total", labels)).toBe(1);
    expect(valueOf(m, "guildkeeper_events_failed_total", labels)).toBe(1);
  });

  it("GIVEN rows in the outbox THEN the backlog is read at scrape time by platform and state, delivery outcomes are counted, and a drained platform reads 0", async () => {
    const discord = place("general");
    const slack = { platform: "slack" as const, workspaceId: "T1", channelId: "C1" };
    await t.engine.outbox.enqueue(t.db.kysely, { communityId: "k1", dedupeKey: "metrics:1", operation: "post", to: discord, reply: { text: "one" } });
    await t.engine.outbox.enqueue(t.db.kysely, { communityId: "k1", dedupeKey: "metrics:2", operation: "post", to: discord, reply: { text: "two" } });
    await t.engine.outbox.enqueue(t.db.kysely, { communityId: "k1", dedupeKey: "metrics:3", operation: "post", to: slack, reply: { text: "three" } });
    let m = await scrape();
    expect(valueOf(m, "guildkeeper_outbox_backlog", { platform: "discord", state: "pending" })).toBe(2);
    expect(valueOf(m, "guildkeeper_outbox_backlog", { platform: "slack", state: "pending" })).toBe(1);

    // Discord takes the first post and refuses the second; Slack has no outbox here, so its row waits.
    const outbox = new ScriptedOutbox("discord");
    outbox.answerNext(refused("not-allowed", "Missing Permissions"));
    t.engine.registerOutbox(outbox);
    const report = await t.engine.delivery.deliverDue();
    expect(report).toMatchObject({ sent: 1, refused: 1 });

    m = await scrape();
    expect(valueOf(m, "guildkeeper_outbox_delivered_total", { platform: "discord" })).toBe(1);
    expect(valueOf(m, "guildkeeper_outbox_delivery_failures_total", { platform: "discord", outcome: "refused" })).toBe(1);
    expect(valueOf(m, "guildkeeper_outbox_backlog", { platform: "discord", state: "pending" })).toBe(0);
    expect(valueOf(m, "guildkeeper_outbox_backlog", { platform: "slack", state: "pending" })).toBe(1);
  });

  it("GIVEN a job loop look that ran one job and failed another THEN job runs are counted by job and result, and the heartbeat's age is on the engine's clock", async () => {
    await t.ingest(message({ id: "m1", by: ada, at: T(0) }));
    t.clock.advance(3_600_000);
    // start() arms its first look with a 0 ms timer: one set after it fires after it, then idle()
    // waits for that look; the next one is a minute of real time away.
    t.engine.scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await t.engine.scheduler.idle();
    t.clock.advance(90_000);
    const m = await scrape();
    expect(valueOf(m, "guildkeeper_job_runs_total", { job: "hourly-ok", result: "done" })).toBe(1);
    expect(valueOf(m, "guildkeeper_job_runs_total", { job: "hourly-broken", result: "failed" })).toBe(1);
    expect(valueOf(m, "guildkeeper_job_loop_heartbeat_age_seconds")).toBe(90);
  });

  it("GIVEN a rate limit reported by an adapter THEN it is counted by platform", async () => {
    t.engine.telemetry.rateLimited("slack");
    t.engine.telemetry.rateLimited("slack");
    t.engine.telemetry.rateLimited("discord");
    const m = await scrape();
    expect(valueOf(m, "guildkeeper_rate_limited_total", { platform: "slack" })).toBe(2);
    expect(valueOf(m, "guildkeeper_rate_limited_total", { platform: "discord" })).toBe(1);
  });

  it("GIVEN the default metrics THEN the event-loop delay, heap and process metrics are there, from this registry alone", async () => {
    const m = await scrape();
    const names = new Set(m.map((f) => f.name));
    for (const name of ["nodejs_eventloop_lag_seconds", "nodejs_eventloop_lag_p99_seconds", "nodejs_heap_size_used_bytes", "process_cpu_seconds_total", "process_resident_memory_bytes"]) {
      expect(names, name).toContain(name);
    }
    // Another registry is independent: nothing this engine counted shows there.
    const other = new PrometheusTelemetry({ defaultMetrics: false });
    other.eventReceived("console", "message.created");
    const otherFamilies = parsePrometheusText((await other.scrape()).body);
    expect(valueOf(otherFamilies, "guildkeeper_events_received_total", { platform: "console", kind: "message.created" })).toBe(1);
    expect(otherFamilies.some((f) => f.name.startsWith("nodejs_"))).toBe(false);
  });
});

describe("the strict text-format parser the tests read /metrics with", () => {
  it("GIVEN malformed exposition THEN it refuses it, and GIVEN well-formed THEN it reads it", () => {
    const bad = [
      "metric{a=\"1\"} 1", // no final line feed
      "1metric 1\n",
      'metric{a="1",a="2"} 1\n',
      'metric{a="\\x"} 1\n',
      "metric one\n",
      "# TYPE m counter\nm 1\n# TYPE m counter\n",
      "a 1\nb 1\na 2\n",
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n',
      'm{a="1"} 1\nm{a="1"} 2\n',
    ];
    for (const text of bad) expect(() => parsePrometheusText(text), text).toThrow();
    const good = parsePrometheusText('# HELP h A \\\\ help\\nline.\n# TYPE h histogram\nh_bucket{x="a\\"b",le="0.5"} 1\nh_bucket{x="a\\"b",le="+Inf"} 2\nh_sum{x="a\\"b"} 0.75\nh_count{x="a\\"b"} 2\nu NaN 1700000000000\n');
    expect(good).toEqual([
      { name: "h", help: "A \\ help\nline.", type: "histogram", metrics: [{ buckets: { "0.5": "1", "+Inf": "2" }, count: "2", sum: "0.75", labels: { x: 'a"b' } }] },
      { name: "u", help: "", type: "untyped", metrics: [{ value: "NaN" }] },
    ]);
  });
});

describe.each(dialects)("on %s", (dialect) => {
  it("GIVEN open outbox rows THEN the scrape-time backlog counts them by platform and state, and /readyz's database check passes", async () => {
    const metrics = new PrometheusTelemetry({ defaultMetrics: false });
    const te = await testEngine({ dialect, telemetry: metrics });
    try {
      metrics.observe({ outboxBacklog: () => te.engine.outboxBacklog(), jobLoop: () => te.engine.scheduler.liveness() });
      for (const n of [1, 2, 3]) await te.engine.outbox.enqueue(te.db.kysely, { communityId: "k1", dedupeKey: `backlog:${n}`, operation: "post", to: place("general"), reply: { text: `${n}` } });
      const families = parsePrometheusText((await metrics.scrape()).body);
      expect(valueOf(families, "guildkeeper_outbox_backlog", { platform: "discord", state: "pending" })).toBe(3);
      expect(await databaseProbe(te.db.kysely).check()).toBeUndefined();
    } finally {
      await te.close();
    }
  });
});
