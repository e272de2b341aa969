import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { commands } from "../commands/index.js";
import { ManualClock } from "../src/core/clock.js";
import { connect } from "../src/db/connect.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { Engine } from "../src/engine/engine.js";
import { runCeiling } from "./ceiling.js";
import { percentile, RssSampler, table } from "./stats.js";
import { actor, GUILD, syntheticStream, type BenchEvent, type StreamOptions } from "./synthetic-community.js";

/**
 * `npm run bench`: replays a synthetic million-member community through the real engine into
 * SQLite and prints throughput, latency, event-loop delay, replay, leaderboard and memory figures,
 * then the same writes by hand (the ceiling) and the engine's ratio to it. No thresholds are
 * enforced here; the README records the figures and the targets.
 */
const { values: args } = parseArgs({
  options: {
    members: { type: "string", default: "1000000" },
    activity: { type: "string", default: "1000000" },
    rate: { type: "string", default: "2000" },
    "rate-seconds": { type: "string", default: "20" },
    window: { type: "string", default: "2000" },
    quick: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const quick = args.quick;
const members = quick ? 20_000 : Number(args.members);
const activity = quick ? 30_000 : Number(args.activity);
const rate = Number(args.rate);
const rateSeconds = quick ? 3 : Number(args["rate-seconds"]);

const stream = (seed: number, overrides: Partial<StreamOptions> = {}): Iterable<BenchEvent> => ({
  [Symbol.iterator]: () =>
    syntheticStream({ members, activity, seed, start: new Date("2026-11-02T00:00:00Z"), spanMs: 28 * 86_400_000, duplicateRate: 0.02, ...overrides }),
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-bench-"));
const log = pino({ level: "silent" });
const out = (line = "") => process.stdout.write(`${line}\n`);

out(`guildkeeper bench — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()}`);
out(`offered: up to ${Number(args.window).toLocaleString("en")} events in flight at saturation`);
out(`stream: ${members.toLocaleString("en")} members, ${(members + activity).toLocaleString("en")} events (+2 % duplicate deliveries), SQLite file in ${dir}`);
out();

// ---- the engine -------------------------------------------------------------------------------
const engineFile = path.join(dir, "engine.db");
const db = connect(engineFile);
await migrateToLatest(db.kysely);
const clock = new ManualClock("2026-11-30T12:00:00Z");
const engine = new Engine({ db: db.kysely, clock, log, commands });
const rss = new RssSampler();
const loop = monitorEventLoopDelay({ resolution: 10 });

/** Feeds events with up to `window` in flight; resolves when every one has committed. */
async function saturate(events: Iterable<BenchEvent>, window = Number(args.window)): Promise<{ count: number; seconds: number; duplicates: number }> {
  let inflight = 0;
  let count = 0;
  let duplicates = 0;
  let wake: (() => void) | undefined;
  const started = performance.now();
  for (const event of events) {
    count++;
    inflight++;
    void engine.ingest(event).then((outcome) => {
      if (outcome.duplicate) duplicates++;
      inflight--;
      if (wake && inflight < window / 2) {
        wake();
        wake = undefined;
      }
    });
    if (inflight >= window) await new Promise<void>((r) => (wake = r));
  }
  await engine.drain();
  return { count, seconds: (performance.now() - started) / 1000, duplicates };
}

const rowCount = async (t: "ledger" | "totals" | "members") => Number((await db.kysely.selectFrom(t).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

loop.enable();
const first = await saturate(stream(1));
loop.disable();
const beforeGc = process.memoryUsage();
(globalThis as { gc?: () => void }).gc?.();
const afterGc = process.memoryUsage();
const ledgerRows = await rowCount("ledger");
const totalsRows = await rowCount("totals");
const memberRows = await rowCount("members");
const engineRate = first.count / first.seconds;
out("Engine (kysely + group commit) at saturation");
table(out, [
  ["events", first.count.toLocaleString("en")],
  ["time", `${first.seconds.toFixed(1)} s`],
  ["throughput", `${Math.round(engineRate).toLocaleString("en")} events/s`],
  ["event-loop delay p99", `${(loop.percentile(99) / 1e6).toFixed(1)} ms (max ${(loop.max / 1e6).toFixed(1)} ms)`],
  ["JS heap used before / after a full GC", `${(beforeGc.heapUsed / 2 ** 20).toFixed(0)} / ${(afterGc.heapUsed / 2 ** 20).toFixed(0)} MiB (RSS ${(afterGc.rss / 2 ** 20).toFixed(0)} MiB)`],
  ["ledger / totals / members rows", `${ledgerRows.toLocaleString("en")} / ${totalsRows.toLocaleString("en")} / ${memberRows.toLocaleString("en")}`],
]);
out();

// ---- replay: the same stream again must add nothing -------------------------------------------
loop.reset();
loop.enable();
const replay = await saturate(stream(1));
loop.disable();
const added = (await rowCount("ledger")) - ledgerRows;
out("Replay of the same stream");
table(out, [
  ["ledger rows added", String(added)],
  ["rejected as duplicates", `${((replay.duplicates / replay.count) * 100).toFixed(1)} % (the rest re-checked and refused again)`],
  ["replay throughput", `${Math.round(replay.count / replay.seconds).toLocaleString("en")} events/s`],
  ["event-loop delay p99", `${(loop.percentile(99) / 1e6).toFixed(1)} ms`],
]);
out();

// ---- leaderboards and ranks at full size -------------------------------------------------------
const community = await engine.communities.resolve({ platform: "discord", workspaceId: GUILD });
const { leaderboard } = engine.services;
async function timeIt(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  return times;
}
const weekly = await timeIt(2000, () => leaderboard.top(community, "week", 10));
const allTime = await timeIt(2000, () => leaderboard.top(community, "all", 10));
const sampleMembers = Array.from({ length: 1000 }, (_, i) => actor(Math.floor((i * 7919) % members)));
const ranks = await timeIt(sampleMembers.length, (i) => leaderboard.standing(community, sampleMembers[i]!));
const ms = (v: number) => `${v < 1 ? v.toFixed(3) : v.toFixed(1)} ms`;
out(`Leaderboards at ${totalsRows > 0 ? memberRows.toLocaleString("en") : 0} members (through the service, kysely included)`);
table(out, [
  ["top-10 this week p50 / p99", `${ms(percentile(weekly, 50))} / ${ms(percentile(weekly, 99))}`],
  ["top-10 all time p50 / p99", `${ms(percentile(allTime, 50))} / ${ms(percentile(allTime, 99))}`],
  ["a member's standing (points, rank, week rank) p50 / p99", `${ms(percentile(ranks, 50))} / ${ms(percentile(ranks, 99))}`],
]);
out();

// ---- fixed offered rate: enqueue-to-commit latency --------------------------------------------
const latencies: number[] = [];
loop.reset();
loop.enable();
{
  const events = stream(2, { members: 0, activity: rate * rateSeconds, start: new Date("2026-11-30T00:00:00Z"), spanMs: rateSeconds * 1000 })[Symbol.iterator]();
  const started = performance.now();
  let sent = 0;
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(rate * rateSeconds, Math.floor(((performance.now() - started) / 1000) * rate));
      for (; sent < due; sent++) {
        const next = events.next();
        if (next.done) break;
        const t0 = performance.now();
        pending.push(engine.ingest(next.value).then(() => void latencies.push(performance.now() - t0)));
      }
      if (sent >= rate * rateSeconds) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
}
loop.disable();
out(`Fixed offered rate: ${rate.toLocaleString("en")} events/s for ${rateSeconds} s`);
table(out, [
  ["enqueue-to-commit p50 / p99", `${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 99))}`],
  ["event-loop delay p99", `${(loop.percentile(99) / 1e6).toFixed(1)} ms`],
]);
out();
const peakRss = rss.stop();
await db.close();

// ---- the ceiling ------------------------------------------------------------------------------
const ceilingFile = path.join(dir, "ceiling.db");
const ceilingDb = connect(ceilingFile);
await migrateToLatest(ceilingDb.kysely);
const communityId = "bench";
await ceilingDb.kysely.insertInto("communities").values({ id: communityId, name: "bench", settings: "{}", created_at: new Date().toISOString() }).execute();
await ceilingDb.close();
const ceiling = runCeiling(ceilingFile, stream(1), communityId);
await ceiling.stop();
const ceilingRate = ceiling.events / ceiling.seconds;
out("Ceiling: the same writes by hand (raw better-sqlite3, 1000-event transactions, no rules)");
table(out, [
  ["throughput", `${Math.round(ceilingRate).toLocaleString("en")} events/s`],
  ["engine / ceiling", `${(engineRate / ceilingRate).toFixed(2)}`],
]);
out();
out("Memory");
const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
table(out, [
  ["peak RSS (engine phases)", mib(peakRss.rss)],
  ["at that moment: JS heap used / total", `${mib(peakRss.heapUsed)} / ${mib(peakRss.heapTotal)}`],
  ["at that moment: external (incl. SQLite)", mib(peakRss.external)],
]);

if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
