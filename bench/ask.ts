import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import BetterSqlite3 from "better-sqlite3";
import { pino } from "pino";
import { commands } from "../commands/index.js";
import { ManualClock } from "../src/core/clock.js";
import { naturalKeys } from "../src/core/events.js";
import { connect } from "../src/db/connect.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { Engine } from "../src/engine/engine.js";
import { KbSearchService } from "../src/engine/knowledge/kb-search.service.js";
import { benchEntry, benchQuery } from "./ask-corpus.js";
import { percentile, table } from "./stats.js";

/**
 * `/ask` at scale (issue 14): `entries` solved questions (bench/ask-corpus.ts, deterministic)
 * written into kb_entries of a fresh SQLite file — the FTS5 triggers index them as they go — then
 * `queries` searches through the repository (KbSearchService.search, what /ask calls) and
 * `commandQueries` whole `/ask` commands through the engine (options validated, the reply built).
 * `npm run bench` calls it; `npx tsx bench/ask.ts` runs it alone.
 */
export interface AskBenchResult {
  entries: number;
  /** Writing and indexing the corpus (not part of the latency figures). */
  setupMs: number;
  repo: { p50: number; p99: number; max: number; n: number; empty: number };
  command: { p50: number; p99: number; max: number; n: number };
}

const GUILD = "bench-guild";

export async function benchAsk(o: { entries?: number; queries?: number; commandQueries?: number; dir?: string } = {}): Promise<AskBenchResult> {
  const entries = o.entries ?? 100_000;
  const queries = o.queries ?? 2_000;
  const commandQueries = o.commandQueries ?? 500;
  const own = o.dir === undefined;
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-ask-bench-"));
  const file = path.join(dir, "ask.db");
  const setupStart = performance.now();
  const db = connect(file);
  try {
    await migrateToLatest(db.kysely);
    const clock = new ManualClock("2026-12-01T12:00:00Z");
    const engine = new Engine({ db: db.kysely, clock, log: pino({ level: "silent" }), commands });
    const community = (await engine.communities.resolve({ platform: "discord", workspaceId: GUILD })).id;
    fill(file, community, entries);
    const setupMs = performance.now() - setupStart;

    const kb = new KbSearchService(db.kysely, () => clock.now().getTime());
    // Warm-up: statement caches and the first pages of the index, as a running bot has them.
    for (let i = 0; i < 50; i++) await kb.search(community, benchQuery(1_000_000 + i, entries));
    const times: number[] = [];
    let empty = 0;
    for (let i = 0; i < queries; i++) {
      const q = benchQuery(i, entries);
      const t0 = performance.now();
      const { hits } = await kb.search(community, q);
      times.push(performance.now() - t0);
      if (hits.length === 0) empty++;
    }
    const ctimes: number[] = [];
    const actor = { id: `discord:${GUILD}:asker`, platform: "discord" as const, workspaceId: GUILD, userId: "asker", displayName: "asker", isBot: false };
    for (let i = 0; i < commandQueries; i++) {
      const t0 = performance.now();
      await engine.command({ kind: "command", key: naturalKeys.discordInteraction(`ask-${i}`), at: clock.now(), place: { platform: "discord", workspaceId: GUILD, channelId: "help" }, actor, name: "ask", options: { query: benchQuery(500_000 + i, entries) } });
      ctimes.push(performance.now() - t0);
    }
    await engine.drain();
    const stats = (xs: number[]) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99), max: Math.max(...xs), n: xs.length });
    return { entries, setupMs, repo: { ...stats(times), empty }, command: stats(ctimes) };
  } finally {
    await db.close();
    if (own) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function fill(file: string, community: string, entries: number): void {
  const raw = new BetterSqlite3(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = OFF");
  const insert = raw.prepare(
    "insert into kb_entries (community_id, question_key, title, question_text, answer_text, question_link, answer_link, answer_key, channel_key, asker_id, answer_author_id, solved_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const batch = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const e = benchEntry(i);
      const q = String(1_300_000_000_000_000_000n + BigInt(i * 2));
      const a = String(1_300_000_000_000_000_001n + BigInt(i * 2));
      const at = new Date(Date.UTC(2023, 0, 1) + i * 60_000).toISOString();
      insert.run(community, `discord:msg:${q}`, e.title, e.question, e.answer, `https://discord.com/channels/${GUILD}/${q}/${q}`, `https://discord.com/channels/${GUILD}/${q}/${a}`, `discord:msg:${a}`, `discord:${GUILD}:help`, `discord:${GUILD}:u${i % 5000}`, `discord:${GUILD}:u${(i * 7) % 5000}`, at);
    }
  });
  for (let i = 0; i < entries; i += 10_000) batch(i, Math.min(entries, i + 10_000));
  raw.close();
}

/** The bench's lines, for `npm run bench` and for running alone. */
export function askLines(r: AskBenchResult): [string, string][] {
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  return [
    ["search (repository): p50 / p99 / max", `${ms(r.repo.p50)} / ${ms(r.repo.p99)} / ${ms(r.repo.max)} over ${r.repo.n.toLocaleString("en")} queries (${r.repo.empty} found nothing); target p99 < 20 ms`],
    ["/ask through the engine: p50 / p99 / max", `${ms(r.command.p50)} / ${ms(r.command.p99)} / ${ms(r.command.max)} over ${r.command.n.toLocaleString("en")} commands`],
    ["writing and indexing the corpus", `${(r.setupMs / 1000).toFixed(1)} s (not counted)`],
  ];
}

// Run alone (`npx tsx bench/ask.ts`); inside the bundled `npm run bench` the entry is dist/bench.mjs.
if (/[\\/]bench[\\/]ask\.ts$/.test(process.argv[1] ?? "")) {
  const r = await benchAsk();
  process.stdout.write(`/ask: ${r.entries.toLocaleString("en")} indexed solved questions on SQLite\n`);
  table((line) => process.stdout.write(`${line}\n`), askLines(r));
}
