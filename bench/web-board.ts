import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";
import Fastify from "fastify";
import { pino } from "pino";
import { commands } from "../commands/index.js";
import { ManualClock } from "../src/core/clock.js";
import { connect } from "../src/db/connect.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { currentPeriod } from "../src/engine/calendar.js";
import { defaultSettings, settingsSchema } from "../src/engine/communities/settings.js";
import { Engine } from "../src/engine/engine.js";
import { communityPages } from "../src/http/community/index.js";
import { percentile, table } from "./stats.js";
import { GUILD, syntheticStream } from "./synthetic-community.js";

/**
 * The web leaderboard at a million members (docs/web-leaderboard.md): `GET /c/<slug>` served by
 * fastify on 127.0.0.1 while an ingest loop feeds the real engine, next to a fixed small text
 * route of the same server, measured in turn (A B A B …: one window of each, over and over) so a
 * change in the machine's load meanwhile slows both alike and the ratio stays fair.
 *
 * The database is filled **directly**, for speed: bulk inserts in big transactions into the
 * tables the points capability keeps — `members`, `totals` (all time, this week, this month) and
 * `totals_histogram`, filled from totals as its migration does. A million members through the
 * engine would take the whole budget and measure the engine, not the page. The ingest loop then
 * goes through the engine as a live community would, so the board is read while totals change.
 *
 * The load comes from a worker thread (node:http, a keep-alive agent, `connections` requests in
 * flight), so the client's work is not on the server's event loop. Run alone with
 * `npx tsx bench/web-board.ts [--quick]`; `npm run bench` calls {@link benchWebBoard}.
 */
export interface WebBoardBenchResult {
  members: number;
  /** Requests per second and latency of each route, over all its windows. */
  board: RouteFigures;
  static: RouteFigures;
  /** Events the ingest loop committed per second while the routes were measured, and what it offered. */
  ingestRate: number;
  ingestOffered: number;
  /** Bytes of one board page. */
  pageBytes: number;
  setupMs: number;
  windows: number;
  windowMs: number;
  connections: number;
}

export interface RouteFigures {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
}

const COMMUNITY = "bench";
const SLUG = "bench-board";
/** Thursday of ISO week 48: the seeded week and month are the clock's. */
const NOW = new Date("2026-11-26T12:00:00Z");

export async function benchWebBoard(o: { members?: number; windows?: number; windowMs?: number; connections?: number; ingestPerSecond?: number; dir?: string } = {}): Promise<WebBoardBenchResult> {
  const members = o.members ?? 1_000_000;
  const windows = o.windows ?? 12;
  const windowMs = o.windowMs ?? 1500;
  const connections = o.connections ?? 8;
  const ingestPerSecond = o.ingestPerSecond ?? 1000;
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-web-bench-"));
  const file = path.join(dir, "web-board.db");

  const setupStart = performance.now();
  const migrated = connect(file);
  await migrateToLatest(migrated.kysely);
  await migrated.close();
  fill(file, members);
  const setupMs = performance.now() - setupStart;

  const db = connect(file);
  const clock = new ManualClock(NOW);
  const engine = new Engine({ db: db.kysely, clock, log: pino({ level: "silent" }), commands, defaults: { moderation: { ...defaultSettings().moderation, enabled: false } } });
  const app = Fastify();
  app.get("/static", async (_request, reply) => reply.type("text/plain; charset=utf-8").send("ok\n"));
  // The per-IP limit would stop the load generator at once: lifted here, as it is not what is measured.
  await app.register(communityPages({ web: engine.services.web, rateLimit: { max: 1_000_000_000, timeWindowMs: 60_000 } }));
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("the bench server has no port");
  const base = `http://127.0.0.1:${address.port}`;

  const page = await fetch(`${base}/c/${SLUG}`);
  if (page.status !== 200) throw new Error(`GET /c/${SLUG} answered ${page.status}`);
  const pageBytes = (await page.arrayBuffer()).byteLength;

  // The ingest loop: a paced share of a synthetic stream through the engine, for as long as the
  // measurement runs (events are stamped this week, before the clock).
  const events = syntheticStream({ members, activity: 10 * members, seed: 7, start: new Date("2026-11-23T00:00:00Z"), spanMs: 3 * 86_400_000, duplicateRate: 0.02, idBase: 1e12 });
  let ingesting = true;
  let ingested = 0;
  const ingestStart = performance.now();
  const ingestLoop = (async () => {
    const perTick = Math.max(1, Math.round(ingestPerSecond / 100));
    while (ingesting) {
      const tick = performance.now();
      const batch: Promise<unknown>[] = [];
      for (let i = 0; i < perTick; i++) {
        const next = events.next();
        if (next.done) break;
        batch.push(engine.ingest(next.value));
      }
      await Promise.all(batch);
      ingested += batch.length;
      await new Promise((r) => setTimeout(r, Math.max(0, 10 - (performance.now() - tick))));
    }
  })();

  const client = new LoadWorker(base, connections);
  try {
    // Warm both routes (statement cache, JIT) before anything is counted.
    await client.run("/static", 500);
    await client.run(`/c/${SLUG}`, 500);
    const samples = { board: [] as number[], static: [] as number[] };
    const spent = { board: 0, static: 0 };
    for (let w = 0; w < windows; w++) {
      for (const [name, url] of [["board", `/c/${SLUG}`], ["static", "/static"]] as const) {
        const r = await client.run(url, windowMs);
        samples[name].push(...r.latencies);
        spent[name] += r.ms;
      }
    }
    ingesting = false;
    await ingestLoop;
    await engine.drain();
    const ingestRate = ingested / ((performance.now() - ingestStart) / 1000);
    const figures = (name: "board" | "static"): RouteFigures => ({
      rps: samples[name].length / (spent[name] / 1000),
      p50: percentile(samples[name], 50),
      p99: percentile(samples[name], 99),
      requests: samples[name].length,
    });
    return { members, board: figures("board"), static: figures("static"), ingestRate, ingestOffered: ingestPerSecond, pageBytes, setupMs, windows, windowMs, connections };
  } finally {
    ingesting = false;
    await ingestLoop;
    await client.close();
    await app.close();
    await engine.drain();
    await db.close();
    if (!o.dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines for the bench's table. */
export function webBoardLines(r: WebBoardBenchResult): [string, string][] {
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const line = (f: RouteFigures) => `${Math.round(f.rps).toLocaleString("en")} req/s · p50 ${ms(f.p50)} · p99 ${ms(f.p99)} (${f.requests.toLocaleString("en")} requests)`;
  return [
    [`GET /c/<slug> (top 50, ${(r.pageBytes / 1024).toFixed(1)} KiB)`, line(r.board)],
    ["GET /static (fixed text, same server)", line(r.static)],
    ["board / static: throughput · p99", `${(r.board.rps / r.static.rps).toFixed(2)} · ${(r.board.p99 / r.static.p99).toFixed(1)}×`],
    ["ingest loop meanwhile", `${Math.round(r.ingestRate).toLocaleString("en")} events/s through the engine (${r.ingestOffered.toLocaleString("en")} offered)`],
    ["measured", `${r.windows} × ${r.windowMs} ms windows of each, in turn, ${r.connections} keep-alive connections`],
    ["writing the synthetic database", `${(r.setupMs / 1000).toFixed(1)} s (direct inserts, not counted)`],
  ];
}

/** Raw inserts in big transactions, deterministic (a fixed LCG), skewed like the digest bench's. */
function fill(file: string, members: number): void {
  const raw = new BetterSqlite3(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = OFF");
  let seed = 42;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const settings = settingsSchema.parse({ web: { slug: SLUG, leaderboard: true }, moderation: { enabled: false } });
  const week = currentPeriod("week", NOW, settings.timezone);
  const month = currentPeriod("month", NOW, settings.timezone);
  raw.prepare("insert into communities (id, name, settings, created_at) values (?, ?, ?, ?)").run(COMMUNITY, "bench", JSON.stringify(settings), "2026-01-01T00:00:00.000Z");
  // The stream's members (`discord:bench:<i>`) belong to this community.
  raw.prepare("insert into community_workspaces (platform, workspace_id, community_id) values ('discord', ?, ?)").run(GUILD, COMMUNITY);
  const member = raw.prepare("insert into members (community_id, member_id, display_name, is_bot, first_seen_at, points, web_hidden) values (?, ?, ?, 0, '2026-01-01T00:00:00.000Z', ?, ?)");
  const total = raw.prepare("insert into totals (community_id, period, member_id, points) values (?, ?, ?, ?)");
  const batch = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `discord:${GUILD}:${i}`;
      const weight = 1 / (1 + i / 1000);
      const thisWeek = rand() < 0.5 ? 1 + Math.floor(rand() * 200 * weight) : 0;
      const thisMonth = thisWeek + (rand() < 0.6 ? Math.floor(rand() * 600 * weight) : 0);
      const all = thisMonth + Math.floor(rand() * 5000 * weight);
      // One in a hundred has opted out of the web page: the board walks past them.
      member.run(COMMUNITY, id, `member ${i}`, all, i % 100 === 7 ? 1 : 0);
      if (all > 0) total.run(COMMUNITY, "all", id, all);
      if (thisMonth > 0) total.run(COMMUNITY, month, id, thisMonth);
      if (thisWeek > 0) total.run(COMMUNITY, week, id, thisWeek);
    }
  });
  for (let i = 0; i < members; i += 50_000) batch(i, Math.min(members, i + 50_000));
  raw.exec(`insert into totals_histogram (community_id, period, width, points, members)
    select community_id, period, 1, points, count(*) from totals where points <> 0 group by community_id, period, points`);
  raw.exec(`insert into totals_histogram (community_id, period, width, points, members)
    select community_id, period, 256, points - ((points % 256) + 256) % 256, count(*) from totals where points <> 0
    group by community_id, period, points - ((points % 256) + 256) % 256`);
  raw.close();
}

/**
 * The load generator, in a worker thread: `connections` loops over one keep-alive agent, each
 * sending the next request when the last one's body has arrived, for `ms` milliseconds. Plain
 * JavaScript passed as `eval` code, so it runs the same from the sources (tsx) and the bundle.
 */
const WORKER = `
const http = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
const agent = new http.Agent({ keepAlive: true, maxSockets: workerData.connections });
function once(url) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(workerData.base + url, { agent }, (res) => {
      res.on("data", () => {});
      res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(url + " answered " + res.statusCode))));
    });
    req.on("error", reject);
  });
}
parentPort.on("message", async (job) => {
  if (job.stop) { agent.destroy(); parentPort.close(); return; }
  const latencies = [];
  const started = performance.now();
  const until = started + job.ms;
  try {
    await Promise.all(Array.from({ length: workerData.connections }, async () => {
      while (performance.now() < until) latencies.push(await once(job.url));
    }));
    parentPort.postMessage({ latencies, ms: performance.now() - started });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});
`;

class LoadWorker {
  private readonly worker: Worker;

  constructor(base: string, connections: number) {
    this.worker = new Worker(WORKER, { eval: true, workerData: { base, connections } });
  }

  run(url: string, ms: number): Promise<{ latencies: number[]; ms: number }> {
    return new Promise((resolve, reject) => {
      this.worker.once("message", (m: { latencies: number[]; ms: number } | { error: string }) => ("error" in m ? reject(new Error(m.error)) : resolve(m)));
      this.worker.postMessage({ url, ms });
    });
  }

  async close(): Promise<void> {
    this.worker.postMessage({ stop: true });
    await this.worker.terminate();
  }
}

// Run alone (`npx tsx bench/web-board.ts [--quick]`); inside the bundled `npm run bench` the entry is dist/bench.mjs.
if (/[\\/]bench[\\/]web-board\.ts$/.test(process.argv[1] ?? "")) {
  const quick = process.argv.includes("--quick");
  const r = await benchWebBoard(quick ? { members: 20_000, windows: 4, windowMs: 500 } : {});
  process.stdout.write(`Web leaderboard: GET /c/<slug> over ${r.members.toLocaleString("en")} members on SQLite, beside a static route, while the engine ingests\n`);
  table((line) => process.stdout.write(`${line}\n`), webBoardLines(r));
}
