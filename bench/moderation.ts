import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import { commands } from "../commands/index.js";
import { ManualClock } from "../src/core/clock.js";
import { connect } from "../src/db/connect.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { capabilities } from "../src/engine/capabilities.js";
import type { Capability } from "../src/engine/capability.js";
import { Engine } from "../src/engine/engine.js";
import { bannedWords } from "../src/engine/moderation/quality/banned-words.js";
import { scoreMessage } from "../src/engine/moderation/quality/score.js";
import { saturate as saturateEngine } from "./saturate.js";
import type { BenchEvent } from "./synthetic-community.js";

/**
 * Content quality's cost, measured in the same run as everything else: the stream goes through two
 * engines on two SQLite files — one with every capability, one without moderation — in turn, a
 * chunk at a time (A B A B …), so a machine whose load changes slows both alike and the ratio stays
 * fair (the order alternates, A B then B A). Then the scorer alone: microseconds per message over the stream's texts and over the
 * labelled sample's (realistic developer chat, with links and code).
 */
export interface ModerationBench {
  events: number;
  offRate: number;
  onRate: number;
  /** Events per CPU second: less sensitive than wall time to other processes on a shared machine. */
  offCpuRate: number;
  onCpuRate: number;
  /** Messages the moderation engine flagged (the stream's texts are ordinary, so few). */
  flagged: number;
  scorerStreamUs: number;
  scorerSampleUs: number | undefined;
}

async function engineOn(file: string, list: readonly Capability<object>[]): Promise<{ engine: Engine; close(): Promise<void>; db: ReturnType<typeof connect> }> {
  const db = connect(file);
  await migrateToLatest(db.kysely);
  const engine = new Engine({ db: db.kysely, clock: new ManualClock("2026-12-02T00:00:00Z"), log: pino({ level: "silent" }), commands, capabilities: list });
  return { engine, db, close: () => db.close() };
}

/** Wall seconds and this process's CPU seconds (all threads: the checkpointer's work counts too). */
async function saturate(engine: Engine, events: readonly BenchEvent[], window: number): Promise<{ wall: number; cpu: number }> {
  const run = await saturateEngine(engine, events, window);
  return { wall: run.seconds, cpu: run.cpuSeconds };
}

function scorerCost(texts: readonly string[]): number {
  const banned = bannedWords([]);
  const input = { text: "", mentions: 0, repeats: 0, otherChannels: 0, banned };
  // Warm the JIT, then time enough calls to be stable.
  for (let i = 0; i < Math.min(texts.length, 2_000); i++) scoreMessage({ ...input, text: texts[i]! });
  const rounds = Math.max(1, Math.ceil(50_000 / texts.length));
  const started = performance.now();
  for (let r = 0; r < rounds; r++) for (const text of texts) scoreMessage({ ...input, text });
  return ((performance.now() - started) * 1000) / (rounds * texts.length);
}

export async function benchModeration(o: { events: Iterable<BenchEvent>; limit: number; dir: string; window: number; chunk: number; sampleFile?: string }): Promise<ModerationBench> {
  const off = await engineOn(path.join(o.dir, "moderation-off.db"), capabilities.filter((c) => c.name !== "moderation"));
  const on = await engineOn(path.join(o.dir, "moderation-on.db"), capabilities);
  const offTime = { wall: 0, cpu: 0 };
  const onTime = { wall: 0, cpu: 0 };
  const addTo = (total: { wall: number; cpu: number }, t: { wall: number; cpu: number }) => {
    total.wall += t.wall;
    total.cpu += t.cpu;
  };
  let count = 0;
  const texts: string[] = [];
  let chunk: BenchEvent[] = [];
  let round = 0;
  const run = async () => {
    // A B, then B A: whichever goes second in a round finds the page cache and the JIT warmer.
    if (round++ % 2 === 0) {
      addTo(offTime, await saturate(off.engine, chunk, o.window));
      addTo(onTime, await saturate(on.engine, chunk, o.window));
    } else {
      addTo(onTime, await saturate(on.engine, chunk, o.window));
      addTo(offTime, await saturate(off.engine, chunk, o.window));
    }
    chunk = [];
  };
  for (const event of o.events) {
    if (count >= o.limit) break;
    count++;
    chunk.push(event);
    if (event.kind === "message.created" && texts.length < 20_000) texts.push(event.text);
    if (chunk.length === o.chunk) await run();
  }
  await run();
  const flagged = Number((await on.db.kysely.selectFrom("mod_scores").select((eb) => eb.fn.countAll().as("n")).where("flagged", "=", 1).executeTakeFirstOrThrow()).n);
  await off.close();
  await on.close();

  let sample: string[] | undefined;
  if (o.sampleFile && fs.existsSync(o.sampleFile)) {
    sample = fs
      .readFileSync(o.sampleFile, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => String((JSON.parse(l) as { text: unknown }).text));
  }
  return {
    events: count,
    offRate: count / offTime.wall,
    onRate: count / onTime.wall,
    offCpuRate: count / offTime.cpu,
    onCpuRate: count / onTime.cpu,
    flagged,
    scorerStreamUs: scorerCost(texts),
    scorerSampleUs: sample ? scorerCost(sample) : undefined,
  };
}
