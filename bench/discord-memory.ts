import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { constants as perf, PerformanceObserver } from "node:perf_hooks";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import { pino } from "pino";
import { sql } from "kysely";
import { startDiscord } from "../src/adapters/discord/index.js";
import { createApp } from "../src/app.js";
import { communityPages } from "../src/http/community/index.js";
import { PrometheusTelemetry } from "../src/http/metrics.js";
import { adapterProbe, databaseProbe, jobLoopProbe } from "../src/http/probes.js";
import { startHttpServer } from "../src/http/server.js";
import { commands } from "../commands/index.js";
import { systemClock } from "../src/core/clock.js";
import { FakeDiscord } from "../test/fakes/discord/fake-discord.js";

/**
 * `node [--expose-gc] --import tsx bench/discord-memory.ts [--messages 100000] [--members 10000] [--batch 1000]`
 *
 * Does the Discord adapter stay small on a big server? The fake Discord (in a child process, so its
 * own bookkeeping of every message is not counted) delivers `messages` MESSAGE_CREATEs from
 * `members` distinct members across 20 channels to the real adapter — discord.js Client with the
 * adapter's bounded caches — and the real engine on SQLite in a temp dir. Messages go out in
 * batches of `batch`, each once the previous one is committed, like a busy server's steady stream
 * (`--batch 100000` sends everything at once: the worst case, the queue included).
 *
 * It runs what a community runs: the adapter, the engine's job loop and outbox delivery
 * (`engine.start()`), and the HTTP server with metrics and the community pages, wired as main.ts
 * wires them, on a free port; the fake's process fetches /metrics and /healthz four times a second
 * each. One message in 2 000 is keyboard mash, so moderation's language detector (loaded on first
 * use) is in the figure too.
 * Prints peak resident memory in MiB against the 256 MiB target, the V8 heap at that moment, and
 * what is live after a full GC (with --expose-gc, as `npm run bench:discord` runs it).
 * `--heap-snapshots DIR` also writes heap snapshots when connected and at the end (open them in
 * Chrome's DevTools); writing one costs memory and time, so the figures of such a run are not the
 * figures.
 */
const self = fileURLToPath(import.meta.url);
const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "100000" },
    members: { type: "string", default: "10000" },
    batch: { type: "string", default: "1000" },
    channels: { type: "string", default: "20" },
    fake: { type: "boolean", default: false },
    // Writes connected.heapsnapshot and end.heapsnapshot (after a full GC) there, to see what is retained.
    "heap-snapshots": { type: "string" },
  },
});
const MESSAGES = Number(args.messages);
const MEMBERS = Number(args.members);
const BATCH = Number(args.batch);
const CHANNELS = Number(args.channels);
const GUILD = "1400000000000000001";
const channelId = (i: number) => String(1400000000000001000n + BigInt(i % CHANNELS));
const memberId = (i: number) => String(1400000000010000000n + BigInt(i % MEMBERS));
/** The 256 MiB a community's process is to stay within (the operations issue). */
const TARGET_MIB = 256;
/** One message in this many is keyboard mash, which asks moderation's language detector. */
const MASH_EVERY = 2_000;

type FromParent = { type: "batch"; from: number; count: number } | { type: "poll"; url: string } | { type: "stop-polling" };
type FromChild = { type: "ready"; restUrl: string } | { type: "sent"; upTo: number } | { type: "answers"; answers: Record<string, number> };

if (args.fake) await runFake();
else await runBench();

/** The child: a fake Discord that dispatches messages when told. */
async function runFake(): Promise<void> {
  const fake = await FakeDiscord.start({
    botUserId: "1400000000000009999",
    guilds: [{ id: GUILD, name: "Big Server", channels: Array.from({ length: CHANNELS }, (_, i) => ({ id: channelId(i), name: `channel-${i}` })) }],
  });
  let poller: NodeJS.Timeout | undefined;
  const answers: Record<string, number> = {};
  const count = (key: string) => void (answers[key] = (answers[key] ?? 0) + 1);
  const get = (url: string) =>
    void fetch(url)
      .then(async (response) => {
        await response.arrayBuffer();
        count(`${new URL(url).pathname} ${response.status}`);
      })
      .catch(() => count(`${new URL(url).pathname} failed`));
  process.on("message", (m: FromParent) => {
    if (m.type === "poll") {
      poller = setInterval(() => {
        get(`${m.url}/metrics`);
        get(`${m.url}/healthz`);
      }, 250);
      return;
    }
    if (m.type === "stop-polling") {
      clearInterval(poller);
      process.send!({ type: "answers", answers } satisfies FromChild);
      return;
    }
    for (let i = m.from; i < m.from + m.count; i++) {
      const author = memberId(i * 7919); // spread authors, not in lock-step with channels
      const mentions = i % 10 === 0 ? [memberId(i + 1)] : undefined;
      const content = mentions
        ? `thanks <@${mentions[0]}> for the pointer on message ${i}!`
        : i % MASH_EVERY === MASH_EVERY - 1
          ? "asdfgh qwerty zxcvb"
          : `message ${i}: has anyone tried the new build cache? it feels faster`;
      fake.dispatch("MESSAGE_CREATE", fake.build.messageCreate({ channelId: channelId(i), authorId: author, content, ...(mentions ? { mentions } : {}) }));
    }
    process.send!({ type: "sent", upTo: m.from + m.count } satisfies FromChild);
  });
  process.on("disconnect", () => void fake.close().then(() => process.exit(0)));
  process.send!({ type: "ready", restUrl: fake.restUrl } satisfies FromChild);
}

/** What memory looked like at one moment: the process, and V8's heap. */
interface MemorySample {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** V8's spaces (new, old, code, large objects…): size reserved and used. */
  spaces: { name: string; size: number; used: number }[];
}

function sample(): MemorySample {
  const m = process.memoryUsage();
  const spaces = v8.getHeapSpaceStatistics().map((s) => ({ name: s.space_name, size: s.space_size, used: s.space_used_size }));
  return { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, spaces };
}

/** The parent: the real adapter and engine, measured. */
async function runBench(): Promise<void> {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const out = (line = "") => process.stdout.write(`${line}\n`);
  const describe = (s: MemorySample) =>
    `RSS ${mib(s.rss)} · heap total ${mib(s.heapTotal)}, used ${mib(s.heapUsed)} · external ${mib(s.external)} (array buffers ${mib(s.arrayBuffers)}) · outside the heap ${mib(s.rss - s.heapTotal)}`;
  const spaces = (s: MemorySample) => s.spaces.filter((x) => x.size > 0).map((x) => `${x.name.replace(/_space$/, "")} ${(x.used / 2 ** 20).toFixed(1)}/${(x.size / 2 ** 20).toFixed(1)}`).join(", ");
  out(`guildkeeper Discord memory bench — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  out(`${MESSAGES.toLocaleString("en")} messages from ${MEMBERS.toLocaleString("en")} members in ${CHANNELS} channels, batches of ${BATCH.toLocaleString("en")}; 1 in ${MASH_EVERY.toLocaleString("en")} is keyboard mash`);
  out(`V8 heap limit ${mib(v8.getHeapStatistics().heap_size_limit)}; flags: ${process.execArgv.join(" ") || "none"}`);

  const child: ChildProcess = fork(self, ["--fake", "--channels", String(CHANNELS), "--members", String(MEMBERS)], { execArgv: self.endsWith(".ts") ? ["--import", "tsx"] : [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const fromChild = (type: FromChild["type"]) => new Promise<FromChild>((resolve) => child.once("message", (m: FromChild) => m.type === type && resolve(m)));
  const { restUrl } = (await fromChild("ready")) as { restUrl: string };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-discord-bench-"));
  const log = pino({ level: "warn" });
  // As main.ts with HTTP_PORT set: metrics counted by the engine, then the adapter, the engine's
  // loops (jobs, outbox delivery) and the HTTP server.
  const metrics = new PrometheusTelemetry();
  const app = await createApp({ databaseUrl: path.join(dir, "bench.db"), defaultTimezone: "UTC" }, { clock: systemClock, log, telemetry: metrics });
  metrics.observe({ outboxBacklog: () => app.engine.outboxBacklog(), jobLoop: () => app.engine.scheduler.liveness() });
  const adapter = await startDiscord({ engine: app.engine, commands, log, token: FakeDiscord.TOKEN, apiUrl: restUrl });
  app.engine.start();
  const probes = [databaseProbe(app.db.kysely), jobLoopProbe(() => app.engine.scheduler.liveness()), adapterProbe("discord", () => adapter.connected())];
  const http = await startHttpServer({ port: 0, host: "127.0.0.1", log, health: { probes }, plugins: [communityPages({ web: app.engine.services.web })], metrics });
  // A scraper and a health check, each four times a second, from the fake's process (like
  // Prometheus and a load balancer, they are not the bot's memory).
  child.send({ type: "poll", url: http.url } satisfies FromParent);

  let peak = sample();
  const sampler = setInterval(() => {
    if (process.memoryUsage.rss() > peak.rss) peak = sample();
  }, 25);
  const before = sample();
  out(`connected: ${describe(before)}`);
  const snapshots = args["heap-snapshots"];
  const snapshot = (name: string) => snapshots && out(`  wrote ${v8.writeHeapSnapshot(path.join(snapshots, `${name}.heapsnapshot`))}`);
  snapshot("connected");

  const stored = async () => Number((await sql<{ n: number }>`select count(*) as n from messages`.execute(app.db.kysely)).rows[0]?.n ?? 0);
  // Collections during the run, by kind: how often, and how long they held the main thread.
  const collections = new Map<string, { count: number; ms: number }>();
  const gcKinds: Record<number, string> = { [perf.NODE_PERFORMANCE_GC_MINOR]: "scavenge", [perf.NODE_PERFORMANCE_GC_MAJOR]: "mark-compact", [perf.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental marking", [perf.NODE_PERFORMANCE_GC_WEAKCB]: "weak callbacks" };
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = gcKinds[(entry as unknown as { detail: { kind: number } }).detail.kind] ?? "other";
      const c = collections.get(kind) ?? { count: 0, ms: 0 };
      c.count++;
      c.ms += entry.duration;
      collections.set(kind, c);
    }
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let from = 0; from < MESSAGES; from += BATCH) {
    const count = Math.min(BATCH, MESSAGES - from);
    const sent = fromChild("sent");
    child.send({ type: "batch", from, count } satisfies FromParent);
    await sent;
    // Wait until the adapter has handed the batch to the engine and it is committed.
    while ((await stored()) < from + count) await new Promise((r) => setTimeout(r, 20));
    if ((from / BATCH) % 20 === 0) out(`  ${(from + count).toLocaleString("en")} stored, RSS ${mib(process.memoryUsage.rss())}`);
  }
  await app.engine.drain();
  const seconds = (performance.now() - started) / 1000;
  // CPU time (every thread: GC, the checkpointer) says more than messages/s on a shared machine.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  gcObserver.disconnect();
  clearInterval(sampler);
  const end = sample();
  if (end.rss > peak.rss) peak = end;
  // The kernel's high-water mark also catches a peak between two samples (and one during start).
  const maxRss = Math.max(peak.rss, process.resourceUsage().maxRSS * 1024);

  const ledger = Number((await sql<{ n: number }>`select count(*) as n from ledger`.execute(app.db.kysely)).rows[0]?.n ?? 0);
  const outbox = (await sql<{ state: string; n: number }>`select state, count(*) as n from outbox group by state`.execute(app.db.kysely)).rows;
  out();
  out(`stored ${(await stored()).toLocaleString("en")} messages (${ledger.toLocaleString("en")} ledger rows; outbox ${outbox.map((r) => `${r.n} ${r.state}`).join(", ") || "empty"}) in ${seconds.toFixed(1)} s — ${Math.round(MESSAGES / seconds).toLocaleString("en")} messages/s; CPU ${cpuSeconds.toFixed(1)} s, ${Math.round((cpuSeconds * 1e6) / MESSAGES)} µs a message`);
  out(`collections: ${[...collections].map(([kind, c]) => `${c.count} ${kind} (${Math.round(c.ms)} ms)`).join(", ")}`);
  out(`peak RSS ${mib(maxRss)} — target ≤ ${TARGET_MIB} MiB: ${maxRss <= TARGET_MIB * 2 ** 20 ? "within" : "ABOVE"}`);
  out(`  at the sampled peak: ${describe(peak)}`);
  // No --max-old-space-size: a burst grows the heap for a while instead of ending the process.
  const limit = v8.getHeapStatistics().heap_size_limit;
  out(`  V8's heap limit ${mib(limit)}: ${(limit / peak.heapUsed).toFixed(0)}× the heap used at peak`);
  out(`  heap spaces (used/size MiB): ${spaces(peak)}`);
  out(`connected: ${mib(before.rss)} · at the end: ${describe(end)}`);
  // Loaded on first use (moderation/quality/mash.ts): say whether the mash messages did load it.
  const tinyldLoaded = Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes(`${path.sep}tinyld${path.sep}`));
  out(`moderation's language detector (tinyld): ${tinyldLoaded ? "loaded" : "not loaded"}`);
  // With --expose-gc: what is really retained, as opposed to garbage not yet collected.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    const collected = sample();
    out(`after a full GC: live heap ${mib(collected.heapUsed)} · ${describe(collected)}`);
    out(`  heap spaces (used/size MiB): ${spaces(collected)}`);
  }
  snapshot("end");

  const polled = fromChild("answers");
  child.send({ type: "stop-polling" } satisfies FromParent);
  const { answers } = (await polled) as { answers: Record<string, number> };
  out(`HTTP answers during the run: ${Object.entries(answers).map(([key, n]) => `${n.toLocaleString("en")} × ${key}`).join(", ") || "none"}`);
  await http.stop();
  await adapter.stop();
  await app.close();
  child.disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
}
