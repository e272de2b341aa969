import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { sql } from "kysely";
import { startDiscord } from "../src/adapters/discord/index.js";
import { createApp } from "../src/app.js";
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
 * Prints resident memory before, at peak and at the end.
 */
const self = fileURLToPath(import.meta.url);
const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "100000" },
    members: { type: "string", default: "10000" },
    batch: { type: "string", default: "1000" },
    channels: { type: "string", default: "20" },
    fake: { type: "boolean", default: false },
  },
});
const MESSAGES = Number(args.messages);
const MEMBERS = Number(args.members);
const BATCH = Number(args.batch);
const CHANNELS = Number(args.channels);
const GUILD = "1400000000000000001";
const channelId = (i: number) => String(1400000000000001000n + BigInt(i % CHANNELS));
const memberId = (i: number) => String(1400000000010000000n + BigInt(i % MEMBERS));

type FromParent = { type: "batch"; from: number; count: number };
type FromChild = { type: "ready"; restUrl: string } | { type: "sent"; upTo: number };

if (args.fake) await runFake();
else await runBench();

/** The child: a fake Discord that dispatches messages when told. */
async function runFake(): Promise<void> {
  const fake = await FakeDiscord.start({
    botUserId: "1400000000000009999",
    guilds: [{ id: GUILD, name: "Big Server", channels: Array.from({ length: CHANNELS }, (_, i) => ({ id: channelId(i), name: `channel-${i}` })) }],
  });
  process.on("message", (m: FromParent) => {
    for (let i = m.from; i < m.from + m.count; i++) {
      const author = memberId(i * 7919); // spread authors, not in lock-step with channels
      const mentions = i % 10 === 0 ? [memberId(i + 1)] : undefined;
      const content = mentions ? `thanks <@${mentions[0]}> for the pointer on message ${i}!` : `message ${i}: has anyone tried the new build cache? it feels faster`;
      fake.dispatch("MESSAGE_CREATE", fake.build.messageCreate({ channelId: channelId(i), authorId: author, content, ...(mentions ? { mentions } : {}) }));
    }
    process.send!({ type: "sent", upTo: m.from + m.count } satisfies FromChild);
  });
  process.on("disconnect", () => void fake.close().then(() => process.exit(0)));
  process.send!({ type: "ready", restUrl: fake.restUrl } satisfies FromChild);
}

/** The parent: the real adapter and engine, measured. */
async function runBench(): Promise<void> {
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  const out = (line = "") => process.stdout.write(`${line}\n`);
  out(`guildkeeper Discord memory bench — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  out(`${MESSAGES.toLocaleString("en")} messages from ${MEMBERS.toLocaleString("en")} members in ${CHANNELS} channels, batches of ${BATCH.toLocaleString("en")}`);

  const child: ChildProcess = fork(self, ["--fake", "--channels", String(CHANNELS), "--members", String(MEMBERS)], { execArgv: self.endsWith(".ts") ? ["--import", "tsx"] : [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const fromChild = (type: FromChild["type"]) => new Promise<FromChild>((resolve) => child.once("message", (m: FromChild) => m.type === type && resolve(m)));
  const { restUrl } = (await fromChild("ready")) as { restUrl: string };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-discord-bench-"));
  const log = pino({ level: "warn" });
  const app = await createApp({ databaseUrl: path.join(dir, "bench.db"), defaultTimezone: "UTC" }, { clock: systemClock, log });
  const adapter = await startDiscord({ engine: app.engine, commands, log, token: FakeDiscord.TOKEN, apiUrl: restUrl });

  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 25);
  const before = process.memoryUsage();
  out(`connected: RSS ${mb(before.rss)}, heap ${mb(before.heapUsed)}`);

  const stored = async () => Number((await sql<{ n: number }>`select count(*) as n from messages`.execute(app.db.kysely)).rows[0]?.n ?? 0);
  const started = performance.now();
  for (let from = 0; from < MESSAGES; from += BATCH) {
    const count = Math.min(BATCH, MESSAGES - from);
    const sent = fromChild("sent");
    child.send({ type: "batch", from, count } satisfies FromParent);
    await sent;
    // Wait until the adapter has handed the batch to the engine and it is committed.
    while ((await stored()) < from + count) await new Promise((r) => setTimeout(r, 20));
    if ((from / BATCH) % 20 === 0) out(`  ${(from + count).toLocaleString("en")} stored, RSS ${mb(process.memoryUsage.rss())}`);
  }
  await app.engine.drain();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const end = process.memoryUsage();
  peak = Math.max(peak, end.rss, process.resourceUsage().maxRSS * 1024);

  const ledger = Number((await sql<{ n: number }>`select count(*) as n from ledger`.execute(app.db.kysely)).rows[0]?.n ?? 0);
  out();
  out(`stored ${(await stored()).toLocaleString("en")} messages (${ledger.toLocaleString("en")} ledger rows) in ${seconds.toFixed(1)} s — ${Math.round(MESSAGES / seconds).toLocaleString("en")} messages/s`);
  out(`RSS before ${mb(before.rss)} · peak ${mb(peak)} · at the end ${mb(end.rss)} (heap used ${mb(end.heapUsed)})`);
  // With --expose-gc: what is really retained, as opposed to garbage not yet collected.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    const collected = process.memoryUsage();
    out(`after a full GC: RSS ${mb(collected.rss)}, heap used ${mb(collected.heapUsed)}`);
  }

  await adapter.stop();
  await app.close();
  child.disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
}
