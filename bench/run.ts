import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { pino } from "pino";
import { commands } from "../commands/index.js";
import { ManualClock } from "../src/core/clock.js";
import { connect } from "../src/db/connect.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { periodsOfDay } from "../src/engine/calendar.js";
import { defaultSettings } from "../src/engine/communities/settings.js";
import { Engine } from "../src/engine/engine.js";
import { CEILING_COMMUNITY, CeilingProcess, serveCeiling } from "./ceiling-process.js";
import { saturate as saturateEngine } from "./saturate.js";
import { benchStanding, standingRows } from "./standing.js";
import { LoopDelay, percentile, RssSampler, table } from "./stats.js";
import { StreamModel } from "./stream-model.js";
import { actor, GUILD, syntheticStream, type BenchEvent, type StreamOptions } from "./synthetic-community.js";

/**
 * `npm run bench`: replays a synthetic million-member community through the real engine into
 * SQLite and prints throughput, latency, event-loop delay, replay, leaderboard and memory figures,
 * and the same writes by hand (the ceiling) with the engine's ratio to it. The first pass feeds
 * the engine and the ceiling the same chunks of the stream in turn, so a machine whose load
 * changes slows both alike and the ratio stays fair.
 *
 * The bench checks itself and exits 1 if either check fails: after the first pass the ledger,
 * totals and members rows of a sample of members must equal what the stream implies
 * (stream-model.ts works that out on its own), and a replay of the whole stream must add no
 * ledger row. Figures have no thresholds here; the README records them and the targets.
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
    /** Internal: work out what the first stream implies for the sample, write it to this file, exit. */
    "model-out": { type: "string" },
    /** Internal: be the ceiling's process, writing to this SQLite file (see ceiling-process.ts). */
    "ceiling-child": { type: "string" },
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

// The busiest members (the stream's actors skew towards low numbers) and every 97th one.
const sample = new Set([...Array.from({ length: Math.min(10, members) }, (_, i) => actor(i).id), ...Array.from({ length: Math.ceil(members / 97) }, (_, i) => actor(i * 97).id)]);

if (args["model-out"]) {
  // Run as a child process, so the model's memory does not count in the engine's figures.
  const model = new StreamModel(defaultSettings().points, sample);
  for (const event of stream(1)) model.feed(event);
  fs.writeFileSync(args["model-out"], JSON.stringify(Object.fromEntries(model.sample.map((id) => [id, Object.fromEntries(model.expected(id))]))));
  process.exit(0);
}
if (args["ceiling-child"]) {
  serveCeiling(args["ceiling-child"], CEILING_COMMUNITY, stream(1)[Symbol.iterator]());
  // Serves the parent until it says stop (then exits); nothing below is the ceiling's.
  await new Promise(() => {});
}

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
// After every event of the stream (28 days from 2 Nov, and ~2 % more for the duplicate deliveries):
// the engine refuses events stamped more than a few minutes ahead of its clock.
const clock = new ManualClock("2026-12-02T00:00:00Z");
// Moderation off here: the ceiling is the points path's writes, and moderation's own cost is
// measured against the same engine without it, below (bench/moderation.ts).
const engine = new Engine({ db: db.kysely, clock, log, commands, defaults: { moderation: { ...defaultSettings().moderation, enabled: false } } });
const rss = new RssSampler();
const loop = monitorEventLoopDelay({ resolution: 10 });

/** Feeds events with up to `window` in flight; resolves when every one has committed (saturate.ts). */
const saturate = (events: Iterable<BenchEvent>, window = Number(args.window)) => saturateEngine(engine, events, window);

const rowCount = async (t: "ledger" | "totals" | "members") => Number((await db.kysely.selectFrom(t).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

// ---- the first pass, interleaved with the ceiling ---------------------------------------------
const ceilingFile = path.join(dir, "ceiling.db");
{
  const ceilingDb = connect(ceilingFile);
  await migrateToLatest(ceilingDb.kysely);
  await ceilingDb.kysely.insertInto("communities").values({ id: CEILING_COMMUNITY, name: "bench", settings: "{}", created_at: new Date().toISOString() }).execute();
  await ceilingDb.close();
}
// In a process of its own: see ceiling-process.ts.
const ceiling = new CeilingProcess(process.argv[1]!, [...process.argv.slice(2), "--ceiling-child", ceilingFile]);
const CHUNK = 10_000;
const firstLoop = new LoopDelay();
const first = { count: 0, seconds: 0, duplicates: 0 };
{
  // The engine takes the stream as it comes, chunk by chunk; the ceiling's process then writes the
  // same chunk of its own copy of the stream.
  const events = stream(1)[Symbol.iterator]();
  let exhausted = false;
  function* take(n: number): Generator<BenchEvent> {
    for (let i = 0; i < n; i++) {
      const next = events.next();
      if (next.done) return void (exhausted = true);
      yield next.value;
    }
  }
  while (!exhausted) {
    // Sampled during engine chunks only: the ceiling's chunks are not the engine's delay.
    firstLoop.start();
    const pass = await saturate(take(CHUNK));
    firstLoop.stop();
    first.count += pass.count;
    first.seconds += pass.seconds;
    first.duplicates += pass.duplicates;
    if (pass.count > 0) await ceiling.run(pass.count);
  }
}
await ceiling.stop();
const beforeGc = process.memoryUsage();
(globalThis as { gc?: () => void }).gc?.();
const afterGc = process.memoryUsage();
const ledgerRows = await rowCount("ledger");
const totalsRows = await rowCount("totals");
const memberRows = await rowCount("members");
const engineRate = first.count / first.seconds;
const ceilingRate = ceiling.events / ceiling.seconds;
out("Engine (kysely + group commit) at saturation, every capability listed, moderation off (measured on its own below)");
table(out, [
  ["events", first.count.toLocaleString("en")],
  ["time", `${first.seconds.toFixed(1)} s`],
  ["throughput", `${Math.round(engineRate).toLocaleString("en")} events/s`],
  ["event-loop delay p99", `${(firstLoop.histogram.percentile(99) / 1e6).toFixed(1)} ms (max ${(firstLoop.histogram.max / 1e6).toFixed(1)} ms)`],
  ["JS heap used before / after a full GC", `${(beforeGc.heapUsed / 2 ** 20).toFixed(0)} / ${(afterGc.heapUsed / 2 ** 20).toFixed(0)} MiB (RSS ${(afterGc.rss / 2 ** 20).toFixed(0)} MiB)`],
  ["ledger / totals / members rows", `${ledgerRows.toLocaleString("en")} / ${totalsRows.toLocaleString("en")} / ${memberRows.toLocaleString("en")}`],
]);
out();
out(`Ceiling: the same writes by hand (raw better-sqlite3, 1000-event transactions, no rules), in turn with the engine, ${CHUNK.toLocaleString("en")} events at a time`);
table(out, [
  ["throughput", `${Math.round(ceilingRate).toLocaleString("en")} events/s`],
  ["engine / ceiling", `${(engineRate / ceilingRate).toFixed(2)}`],
]);
out();

// ---- self-check: the ledger against what the stream implies -----------------------------------
const failures: string[] = [];
const community = await engine.communities.resolve({ platform: "discord", workspaceId: GUILD });
{
  const modelFile = path.join(dir, "model.json");
  const child = spawnSync(process.execPath, [process.argv[1]!, ...process.argv.slice(2), "--model-out", modelFile], { stdio: "inherit" });
  if (child.status !== 0) throw new Error(`the stream model exited with ${child.status}`);
  const implied = JSON.parse(fs.readFileSync(modelFile, "utf8")) as Record<string, Record<string, number>>;
  const model = { expected: (id: string) => new Map(Object.entries(implied[id] ?? {})) };
  const fromLedger = new Map<string, Map<string, number>>();
  // One pass over the ledger, on a connection of its own (the engine has drained).
  const reader = new BetterSqlite3(engineFile, { readonly: true });
  for (const row of reader.prepare("select member_id, day, amount from ledger where community_id = ?").iterate(community.id) as Iterable<{ member_id: string; day: string; amount: number }>) {
    if (!sample.has(row.member_id)) continue;
    let periods = fromLedger.get(row.member_id);
    if (!periods) fromLedger.set(row.member_id, (periods = new Map()));
    for (const period of periodsOfDay(row.day)) periods.set(period, (periods.get(period) ?? 0) + row.amount);
  }
  // Point lookups: the totals key is (community, period, member), so "all rows of a member" would scan.
  const total = reader.prepare("select points from totals where community_id = ? and period = ? and member_id = ?");
  const points = reader.prepare("select points from members where community_id = ? and member_id = ?");
  const nonZero = (m: Map<string, number>) => [...m].filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const id of sample) {
    const want = JSON.stringify(nonZero(model.expected(id)));
    const ledger = JSON.stringify(nonZero(fromLedger.get(id) ?? new Map()));
    const periods = new Set([...model.expected(id).keys(), ...(fromLedger.get(id)?.keys() ?? [])]);
    const stored = JSON.stringify(nonZero(new Map([...periods].map((p) => [p, (total.get(community.id, p, id) as { points: number } | undefined)?.points ?? 0]))));
    const all = (points.get(community.id, id) as { points: number } | undefined)?.points ?? 0;
    if (ledger !== want) failures.push(`${id}: the stream implies ${want}, the ledger says ${ledger}`);
    if (stored !== ledger) failures.push(`${id}: the ledger says ${ledger}, totals say ${stored}`);
    if (all !== (model.expected(id).get("all") ?? 0)) failures.push(`${id}: the stream implies ${model.expected(id).get("all") ?? 0} points, members.points says ${all}`);
  }
  reader.close();
}
out("Self-check after the first pass");
table(out, [["sampled members whose ledger, totals and points equal what the stream implies", `${sample.size - new Set(failures.map((f) => f.split(":").slice(0, 3).join(":"))).size} of ${sample.size}`]]);
for (const failure of failures.slice(0, 10)) out(`  MISMATCH ${failure}`);
out();

// ---- replay: the same stream again must add nothing -------------------------------------------
loop.reset();
loop.enable();
const replay = await saturate(stream(1));
loop.disable();
const added = (await rowCount("ledger")) - ledgerRows;
if (added !== 0) failures.push(`a replay of the stream added ${added} ledger rows`);
out("Replay of the same stream");
table(out, [
  ["ledger rows added", String(added)],
  ["rejected as duplicates", `${((replay.duplicates / replay.count) * 100).toFixed(1)} % (the rest re-checked and refused again)`],
  ["replay throughput", `${Math.round(replay.count / replay.seconds).toLocaleString("en")} events/s`],
  ["event-loop delay p99", `${(loop.percentile(99) / 1e6).toFixed(1)} ms`],
]);
out();

// ---- leaderboards and ranks at full size -------------------------------------------------------
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
// The standing /points shows, and beside it the same by COUNT as before totals_histogram (bench/standing.ts).
const standing = await benchStanding(db.kysely, leaderboard, community, sampleMembers);
const ms = (v: number) => `${v < 1 ? v.toFixed(3) : v.toFixed(1)} ms`;
out(`Leaderboards at ${totalsRows > 0 ? memberRows.toLocaleString("en") : 0} members (through the service, kysely included)`);
table(out, [
  ["top-10 this week p50 / p99", `${ms(percentile(weekly, 50))} / ${ms(percentile(weekly, 99))}`],
  ["top-10 all time p50 / p99", `${ms(percentile(allTime, 50))} / ${ms(percentile(allTime, 99))}`],
  ...standingRows(standing),
]);
out();

// ---- fixed offered rate: enqueue-to-commit latency --------------------------------------------
const latencies: number[] = [];
loop.reset();
loop.enable();
{
  // After the first stream (which ends ~2 % past its 28 days), with message ids of its own.
  const events = stream(2, { members: 0, activity: rate * rateSeconds, start: new Date("2026-12-01T00:00:00Z"), spanMs: rateSeconds * 1000, idBase: 1e9 })[Symbol.iterator]();
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

out("Memory");
const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
table(out, [
  ["peak RSS (engine phases)", mib(peakRss.rss)],
  ["at that moment: JS heap used / total", `${mib(peakRss.heapUsed)} / ${mib(peakRss.heapTotal)}`],
  ["at that moment: external (incl. SQLite)", mib(peakRss.external)],
]);

// ---- moderation on vs off (bench/moderation.ts) ------------------------------------------------
{
  const { benchModeration } = await import("./moderation.js");
  const m = await benchModeration({ events: stream(1), limit: quick ? Number.POSITIVE_INFINITY : 300_000, dir, window: Number(args.window), chunk: 2_000, sampleFile: path.join(process.cwd(), "data", "quality-sample.jsonl") });
  out(`Moderation on vs off: the first ${m.events.toLocaleString("en")} events of the stream through two engines, in turn, 2,000 at a time`);
  table(out, [
    ["throughput off / on", `${Math.round(m.offRate).toLocaleString("en")} / ${Math.round(m.onRate).toLocaleString("en")} events/s (${m.flagged} flagged)`],
    ["on / off (wall time)", (m.onRate / m.offRate).toFixed(2)],
    ["on / off (CPU time: events per CPU second)", `${(m.onCpuRate / m.offCpuRate).toFixed(2)} (${Math.round(m.offCpuRate).toLocaleString("en")} / ${Math.round(m.onCpuRate).toLocaleString("en")})`],
    ["scorer per message: stream texts / labelled sample", `${m.scorerStreamUs.toFixed(1)} µs / ${m.scorerSampleUs === undefined ? "—" : `${m.scorerSampleUs.toFixed(1)} µs`}`],
  ]);
  out();
}

// ---- the weekly digest at a million members (bench/digest.ts) ---------------------------------
{
  const { benchDigest } = await import("./digest.js");
  const size = quick ? 20_000 : 1_000_000;
  const d = await benchDigest({ members: size, dir });
  out(`Weekly digest: one digest built for a community of ${size.toLocaleString("en")} members (top 10, movers, newcomers, totals, honors, health, words and picture)`);
  table(out, [
    ["build time", `${Math.round(d.ms).toLocaleString("en")} ms (writing the synthetic database took ${(d.setupMs / 1000).toFixed(0)} s, not counted)`],
    ["longest event-loop stall meanwhile", `${d.longestStallMs.toFixed(0)} ms (target < 100 ms)`],
  ]);
  out();
}

// ---- /ask over 100 000 solved questions (bench/ask.ts) -------------------------------------------
{
  const { benchAsk, askLines } = await import("./ask.js");
  const a = await benchAsk({ entries: quick ? 20_000 : 100_000, dir });
  out(`/ask: search over ${a.entries.toLocaleString("en")} indexed solved questions on SQLite (FTS5)`);
  table(out, askLines(a));
  out();
}

// ---- the web leaderboard at a million members (bench/web-board.ts) ------------------------------
{
  const { benchWebBoard, webBoardLines } = await import("./web-board.js");
  const w = await benchWebBoard(quick ? { members: 20_000, windows: 4, windowMs: 500, dir } : { dir });
  out(`Web leaderboard: GET /c/<slug> over ${w.members.toLocaleString("en")} members on SQLite, in turn with a static route of the same server, while the engine ingests`);
  table(out, webBoardLines(w));
  out();
}

if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
out();
if (failures.length > 0) {
  out(`FAILED: ${failures.length} check(s) failed (see above)`);
  process.exitCode = 1;
} else out("Checks passed: the sampled ledger equals what the stream implies, and the replay added nothing.");
