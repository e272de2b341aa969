import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { type Kysely, Migrator, sql } from "kysely";
import { ManualClock } from "../src/core/clock.js";
import { connect, type Db } from "../src/db/connect.js";
import { migrateToLatest, migrations } from "../src/db/migrate.js";
import type { Database } from "../src/db/schema.js";
import { currentPeriod } from "../src/engine/calendar.js";
import { defaultSettings } from "../src/engine/communities/settings.js";
import { LeaderboardService } from "../src/engine/leaderboard/leaderboard.service.js";
import { benchStanding, standingRows } from "./standing.js";
import { table } from "./stats.js";

/**
 * `npx tsx bench/standing-standalone.ts [--members 1000000] [--shape month|year] [--postgres URL]`:
 * the standing figures of bench/standing.ts against a totals table of that many members, without
 * replaying a stream through the engine first. The totals are written before the histogram
 * migration, which then fills totals_histogram from them (its time is printed too).
 *
 * Shapes: `month` is what the bench's 28-day stream leaves (everyone 5 points for an introduction,
 * activity skewed towards few members, at most 200 points a day); `year` a busier community after
 * a year — points spread up to ~73 000, so nearly every value is someone's and the all-time
 * histogram has tens of thousands of rows: the histogram's worst case.
 */
const { values: args } = parseArgs({
  options: {
    members: { type: "string", default: "1000000" },
    shape: { type: "string", default: "month" },
    postgres: { type: "string" },
    samples: { type: "string", default: "2000" },
  },
});
const members = Number(args.members);
const shape = args.shape === "year" ? "year" : "month";
const out = (line = "") => process.stdout.write(`${line}\n`);

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clock = new ManualClock("2026-11-26T12:00:00Z");
const settings = defaultSettings();
const week = currentPeriod("week", clock.now(), settings.timezone);
const community = { id: "bench", name: "bench", settings };

/** All-time and this week's points per member, in the chosen shape. */
function pointsOfMembers(): { all: Int32Array; week: Int32Array } {
  const random = rng(1);
  const all = new Int32Array(members);
  const weekPoints = new Int32Array(members);
  if (shape === "month") {
    const events = new Int32Array(members);
    // As the bench's stream: a million activity events, actors skewed as floor(n · r⁶).
    for (let i = 0; i < 1_000_000; i++) events[Math.floor(members * random() ** 6)]!++;
    for (let i = 0; i < members; i++) {
      const introThisWeek = random() < 0.25;
      all[i] = 5 + Math.min(events[i]! * 3, 28 * 200);
      weekPoints[i] = (introThisWeek ? 5 : 0) + Math.min(Math.round((events[i]! * 3) / 4), 7 * 200);
    }
  } else {
    for (let i = 0; i < members; i++) {
      all[i] = 5 + Math.floor(73_000 * random() ** 4);
      weekPoints[i] = random() < 0.3 ? 1 + Math.floor(1400 * random() ** 3) : 0;
    }
  }
  return { all, week: weekPoints };
}

async function fill(db: Kysely<Database>): Promise<void> {
  const { all, week: weekPoints } = pointsOfMembers();
  await db.insertInto("communities").values({ id: community.id, name: community.name, settings: JSON.stringify(settings), created_at: clock.now().toISOString() }).execute();
  const CHUNK = 2000;
  for (let start = 0; start < members; start += CHUNK) {
    const ids = Array.from({ length: Math.min(CHUNK, members - start) }, (_, k) => start + k);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("members")
        .values(ids.map((i) => ({ community_id: community.id, member_id: `discord:bench:${i}`, display_name: `member${i}`, is_bot: 0, first_seen_at: "2026-11-02T00:00:00Z", last_message_award_at: null, activity_day: null, activity_points: 0, thanks_given: 0, points: all[i]! })) as never)
        .execute();
      const totals = ids.flatMap((i) => [
        { community_id: community.id, period: "all", member_id: `discord:bench:${i}`, points: all[i]! },
        ...(weekPoints[i]! > 0 ? [{ community_id: community.id, period: week, member_id: `discord:bench:${i}`, points: weekPoints[i]! }] : []),
      ]);
      for (let k = 0; k < totals.length; k += 1000) await trx.insertInto("totals").values(totals.slice(k, k + 1000)).execute();
    });
  }
}

let db: Db;
let cleanup: () => Promise<void>;
if (args.postgres) {
  const schema = `gk_standing_${process.pid}`;
  const admin = connect(args.postgres);
  await sql`create schema ${sql.id(schema)}`.execute(admin.kysely);
  db = connect(args.postgres, { schema });
  cleanup = async () => {
    await db.close();
    await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.kysely);
    await admin.close();
  };
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-standing-"));
  db = connect(path.join(dir, "standing.db"));
  cleanup = async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

try {
  const earlier = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "20261201_1720_totals_histogram"));
  const { error } = await new Migrator({ db: db.kysely, provider: { getMigrations: async () => earlier } }).migrateToLatest();
  if (error) throw error;
  let t0 = performance.now();
  await fill(db.kysely);
  const filled = (performance.now() - t0) / 1000;
  t0 = performance.now();
  await migrateToLatest(db.kysely);
  const migrated = (performance.now() - t0) / 1000;
  if (!args.postgres) await sql`analyze`.execute(db.kysely);
  else await sql`analyze totals`.execute(db.kysely);

  // The filler's garbage collected now, not during the timings (run with --expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  const leaderboard = new LeaderboardService(db.kysely, clock);
  const samples = Number(args.samples);
  const sample = Array.from({ length: samples }, (_, i) => ({ id: `discord:bench:${Math.floor((i * 7919) % members)}` }));
  const figures = await benchStanding(db.kysely, leaderboard, community, sample);
  out(`Standing at ${members.toLocaleString("en")} members, shape "${shape}", on ${args.postgres ? "Postgres" : "SQLite"} (totals written in ${filled.toFixed(1)} s)`);
  table(out, [["histogram migration (GROUP BY over the totals)", `${migrated.toFixed(1)} s`], ...standingRows(figures)]);
} finally {
  await cleanup();
}
