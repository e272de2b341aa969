import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import BetterSqlite3 from "better-sqlite3";
import { pino } from "pino";
import { ManualClock } from "../src/core/clock.js";
import { connect } from "../src/db/connect.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { defaultSettings } from "../src/engine/communities/settings.js";
import { DigestService } from "../src/engine/digest/digest.service.js";
import { coveredWeek } from "../src/engine/digest/digest-week.js";
import { OutboxWriter } from "../src/engine/outbox/index.js";
import { renderLeaderboard, renderWeeklyChart } from "../src/engine/pictures/index.js";

/**
 * The digest at scale (issue 12): a synthetic community of `members` members written straight into
 * a fresh SQLite file — members, all-time totals, two weeks of weekly totals (60 % and 55 % active,
 * overlapping), a week of thanks and questions, message counters — then one digest built for the
 * covered week as the job builds it (top 10, movers, newcomers, totals, honors, health), worded
 * and with its top-10 picture drawn.
 *
 * Returns how long the build took and the longest the event loop went without a turn meanwhile
 * (a 1 ms interval timer measures the gaps). `npm run bench` calls it; it edits nothing else.
 */
export interface DigestBenchResult {
  members: number;
  /** Wall time of building one digest. */
  ms: number;
  /** The longest gap between two turns of the event loop during the build. */
  longestStallMs: number;
  /** Writing the synthetic database (not part of the figure). */
  setupMs: number;
}

const COMMUNITY = "bench";
const NOW = new Date("2026-11-30T09:00:30Z");

export async function benchDigest(o: { members?: number; dir?: string } = {}): Promise<DigestBenchResult> {
  const members = o.members ?? 1_000_000;
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-digest-bench-"));
  const file = path.join(dir, "digest.db");
  const setupStart = performance.now();
  const migrated = connect(file);
  await migrateToLatest(migrated.kysely);
  await migrated.close();
  fill(file, members);
  const setupMs = performance.now() - setupStart;

  const db = connect(file);
  try {
    const clock = new ManualClock(NOW);
    const digest = new DigestService({ db: db.kysely, clock, log: pino({ level: "silent" }), outbox: new OutboxWriter(clock), shoutOuts: () => undefined, pictures: () => ({ renderLeaderboard, renderWeeklyChart }) });
    const settings = defaultSettings();
    const community = { id: COMMUNITY, name: "bench", settings };
    const week = coveredWeek(NOW, settings.timezone);

    // The renderer loads its fonts on first use (~90 ms, once per process): a running bot has paid
    // that before its first digest is likely to be drawn, so the figure here is a warm renderer's.
    renderLeaderboard({ title: "warm-up", rows: [{ rank: 1, name: "a", points: 1, level: 0 }] });

    let longestStallMs = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      longestStallMs = Math.max(longestStallMs, now - last);
      last = now;
    }, 1);
    const start = performance.now();
    await db.kysely.transaction().execute(async (trx) => digest.compose(await digest.build(trx, community, week, NOW, { record: trx, slotKey: `digest:${COMMUNITY}:${week.week}` })));
    const ms = performance.now() - start;
    clearInterval(probe);
    longestStallMs = Math.max(longestStallMs, performance.now() - last);
    return { members, ms, longestStallMs, setupMs };
  } finally {
    await db.close();
    if (!o.dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Raw inserts in big transactions: ~300 000 rows/s. Deterministic (a fixed LCG). */
function fill(file: string, members: number): void {
  const raw = new BetterSqlite3(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = OFF");
  let seed = 42;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const week = coveredWeek(NOW, "UTC");
  raw.prepare("insert into communities (id, name, settings, created_at) values (?, ?, ?, ?)").run(COMMUNITY, "bench", JSON.stringify(defaultSettings()), "2026-01-01T00:00:00.000Z");
  const member = raw.prepare("insert into members (community_id, member_id, display_name, is_bot, first_seen_at, points) values (?, ?, ?, 0, ?, ?)");
  const total = raw.prepare("insert into totals (community_id, period, member_id, points) values (?, ?, ?, ?)");
  const thanks = raw.prepare("insert into thanks (key, community_id, source_key, giver_id, receiver_id, at, ended_at, counted, gross, net, ledger_rows) values (?, ?, ?, ?, ?, ?, null, 1, 10, 10, 1)");
  const question = raw.prepare("insert into health_questions (message_key, community_id, member_id, asked_at, first_reply_at) values (?, ?, ?, ?, ?)");
  const weekStart = Date.parse(week.start);
  const span = Date.parse(week.end) - weekStart;
  const batch = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `discord:bench:${i}`;
      // Skewed: low numbers are the busy members.
      const weight = 1 / (1 + i / 1000);
      const thisWeek = rand() < 0.6 ? 1 + Math.floor(rand() * 200 * weight) : 0;
      const lastWeek = rand() < 0.55 ? 1 + Math.floor(rand() * 200 * weight) : 0;
      const isNew = i % 50 === 0;
      const firstSeen = isNew ? new Date(weekStart + Math.floor(rand() * span)).toISOString() : "2026-01-01T00:00:00.000Z";
      const all = thisWeek + (isNew ? 0 : lastWeek + Math.floor(rand() * 500 * weight));
      member.run(COMMUNITY, id, `member ${i}`, firstSeen, all);
      if (all > 0) total.run(COMMUNITY, "all", id, all);
      if (thisWeek > 0) total.run(COMMUNITY, week.period, id, thisWeek);
      if (lastWeek > 0 && !isNew) total.run(COMMUNITY, week.previousPeriod, id, lastWeek);
      if (i % 5 === 0) {
        const at = new Date(weekStart + Math.floor(rand() * span)).toISOString();
        thanks.run(`t:${i}`, COMMUNITY, `m:${i}`, id, `discord:bench:${Math.floor(rand() * rand() * 1000)}`, at);
      }
      if (i % 20 === 0) {
        const asked = weekStart + Math.floor(rand() * span);
        const reply = rand() < 0.8 ? new Date(asked + Math.floor(rand() * 6 * 3_600_000)).toISOString() : null;
        question.run(`q:${i}`, COMMUNITY, id, new Date(asked).toISOString(), reply);
      }
    }
  });
  for (let i = 0; i < members; i += 50_000) batch(i, Math.min(members, i + 50_000));
  raw.prepare("insert into health_weeks (community_id, week, messages, replies) values (?, ?, ?, ?)").run(COMMUNITY, week.week, members * 2, members);
  // Totals written straight in skip the histogram ranks are read from: fill it as its migration does.
  raw.exec(`insert into totals_histogram (community_id, period, width, points, members)
    select community_id, period, 1, points, count(*) from totals where points <> 0 group by community_id, period, points`);
  raw.exec(`insert into totals_histogram (community_id, period, width, points, members)
    select community_id, period, 256, points - ((points % 256) + 256) % 256, count(*) from totals where points <> 0
    group by community_id, period, points - ((points % 256) + 256) % 256`);
  raw.close();
}
