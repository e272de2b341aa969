import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { connect } from "../../src/db/connect.js";
import { acquireWriterLock, DatabaseInUseError } from "../../src/db/writer-lock.js";
import { backupCli, type CliIo } from "../../src/ops/backup-cli.js";
import { backupSqlite } from "../../src/ops/backup.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";
import { member, message } from "../helpers/events.js";
import { assertTotalsMatchLedger } from "../helpers/invariants.js";
import { baseEnv, makeCheckout, run } from "../startup/checkout.js";

const dirs: string[] = [];
const engines: TestEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-backup-"));
  dirs.push(dir);
  return dir;
}

/** What a database holds, in a few numbers that change with every committed event. */
async function fingerprint(file: string): Promise<string> {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const m = db.prepare("SELECT count(*) AS n FROM messages").get() as { n: number };
    const l = db.prepare("SELECT count(*) AS n, coalesce(sum(amount), 0) AS s FROM ledger").get() as { n: number; s: number };
    const t = db.prepare("SELECT count(*) AS n FROM thanks").get() as { n: number };
    return `${m.n}/${l.n}/${l.s}/${t.n}`;
  } finally {
    db.close();
  }
}

const sha = (file: string) => (fs.existsSync(file) ? createHash("sha256").update(fs.readFileSync(file)).digest("hex") : "absent");

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), tty: false };
  return { cli, out: () => out.join(""), err: () => err.join("") };
};

const PEOPLE = ["ada", "bob", "cy", "dee", "eve"].map((n) => member(n));

describe("npm run backup: an online backup while the engine writes", () => {
  it("GIVEN an engine ingesting events one commit after another WHEN a backup is taken meanwhile THEN the copy opens, passes integrity_check, its ledger equals its totals, and it is the database exactly as it was after one of those commits", async () => {
    const t = await testEngine();
    engines.push(t);
    const start = t.clock.now().getTime();
    const history: string[] = [];
    let n = 0;
    // Each event is awaited, so each is its own commit and commits come in the events' order; after
    // each one the live database's fingerprint is recorded, so the copy can be matched to a commit.
    const next = async () => {
      n++;
      const at = new Date(start + n * 20_000);
      t.clock.set(at);
      const thanked = n % 5 === 0 ? [PEOPLE[(n + 1) % PEOPLE.length]!] : [];
      await t.ingest(message({ id: `m${n}`, by: PEOPLE[n % PEOPLE.length]!, at, text: thanked.length ? `thanks @${thanked[0]!.userId} for this, message ${n}` : `message number ${n} with some words in it`, mentions: thanked }));
      history.push(await fingerprint(t.url));
    };
    for (let i = 0; i < 400; i++) await next();

    const copy = path.join(tmpDir(), "copy.db");
    let steps = 0;
    let done = false;
    // One page per step: the backup crosses hundreds of turns of the event loop, each of which the
    // writer below uses to commit more events.
    const backup = backupSqlite(t.url, copy, { pagesPerStep: 1, onProgress: () => void steps++ }).finally(() => (done = true));
    const before = n;
    while (!done) await next();
    const report = await backup;
    for (let i = 0; i < 20; i++) await next();

    expect(steps).toBeGreaterThan(50);
    expect(n - before).toBeGreaterThan(20); // the engine kept committing while the pages were copied
    expect(report.integrity).toBe("ok");
    expect(report.ledger.points).toBe(report.totalsPoints);

    const k = history.indexOf(await fingerprint(copy));
    expect(k).toBeGreaterThanOrEqual(before - 1);
    expect(k).toBeLessThan(history.length - 20);
    const restored = connect(copy);
    try {
      await assertTotalsMatchLedger(restored.kysely);
      // Every event committed up to the snapshot is there, none after it, nothing half.
      const keys = (await restored.kysely.selectFrom("messages").select("message_key").execute()).map((r) => Number(r.message_key.replace("discord:msg:m", ""))).sort((a, b) => a - b);
      expect(keys).toEqual(Array.from({ length: k + 1 }, (_, i) => i + 1));
      const orphans = await restored.kysely.selectFrom("ledger").select("key").where("source_key", "not in", (eb) => eb.selectFrom("messages").select("message_key")).execute();
      expect(orphans).toEqual([]);
    } finally {
      await restored.close();
    }
    await assertTotalsMatchLedger(t.db.kysely);
  });

  it("GIVEN rows committed only to the WAL (never checkpointed) and the writer lock held by the 'bot' THEN the backup has every row, takes no lock and leaves the live files untouched", async () => {
    const dir = tmpDir();
    const live = path.join(dir, "live.db");
    const lock = acquireWriterLock(live, "guildkeeper");
    const writer = new BetterSqlite3(live);
    try {
      writer.pragma("journal_mode = WAL");
      writer.pragma("wal_autocheckpoint = 0");
      writer.exec("CREATE TABLE ledger (key TEXT PRIMARY KEY, amount INTEGER)");
      const insert = writer.prepare("INSERT INTO ledger VALUES (?, ?)");
      for (let i = 0; i < 50; i++) writer.transaction(() => { for (let j = 0; j < 20; j++) insert.run(`k${i}:${j}`, 1); })();
      expect(fs.statSync(`${live}-wal`).size).toBeGreaterThan(fs.statSync(live).size);
      const files = [live, `${live}-wal`].map(sha);

      const report = await backupSqlite(live, path.join(dir, "copy.db"));

      expect(report).toMatchObject({ integrity: "ok", ledger: { rows: 1000, points: 1000 } });
      expect([live, `${live}-wal`].map(sha)).toEqual(files);
      expect(() => acquireWriterLock(live, "another")).toThrow(DatabaseInUseError);
      // One self-contained file: a rollback journal, nothing beside it.
      expect(fs.readdirSync(dir).filter((f) => f.startsWith("copy.db"))).toEqual(["copy.db"]);
      const copy = new BetterSqlite3(path.join(dir, "copy.db"), { readonly: true });
      expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
      copy.close();
    } finally {
      writer.close();
      lock.release();
    }
  });
});

describe("npm run backup: refusals", () => {
  it("GIVEN FILE exists THEN it is refused (exit 2) unless --force, which replaces it and the stale -wal beside it", async () => {
    const dir = tmpDir();
    const live = path.join(dir, "live.db");
    const db = new BetterSqlite3(live);
    db.exec("CREATE TABLE ledger (key TEXT, amount INTEGER); INSERT INTO ledger VALUES ('a', 5)");
    db.close();
    const target = path.join(dir, "backup.db");
    fs.writeFileSync(target, "an older backup");
    fs.writeFileSync(`${target}-wal`, "stale");

    const refused = io();
    expect(await backupCli([target], { DATABASE_URL: live }, refused.cli)).toBe(2);
    expect(refused.err()).toContain(`${target} exists already: name a new file, or pass --force to overwrite it.`);
    expect(fs.readFileSync(target, "utf8")).toBe("an older backup");

    const forced = io();
    expect(await backupCli([target, "--force"], { DATABASE_URL: live }, forced.cli)).toBe(0);
    expect(forced.out()).toContain("integrity_check: ok");
    expect(forced.out()).toContain("ledger: 1 rows, 5 points");
    expect(forced.err()).toContain("backup: 100%");
    expect(fs.existsSync(`${target}-wal`)).toBe(false);
  });

  it("GIVEN a Postgres DATABASE_URL THEN it is refused, pointing to pg_dump and pg_restore; without a FILE the usage is shown", async () => {
    const pg = io();
    expect(await backupCli(["out.db"], { DATABASE_URL: "postgres://gk:secret@db.example:5432/gk" }, pg.cli)).toBe(2);
    expect(pg.err()).toContain("pg_dump --format=custom");
    expect(pg.err()).toContain("pg_restore");
    expect(pg.err()).not.toContain("secret");

    const none = io();
    expect(await backupCli([], { DATABASE_URL: "x.db" }, none.cli)).toBe(2);
    expect(none.err()).toContain("usage: npm run backup -- FILE [--force]");

    const missing = io();
    expect(await backupCli([path.join(tmpDir(), "b.db")], { DATABASE_URL: path.join(tmpDir(), "nothing-here.db") }, missing.cli)).toBe(2);
    expect(missing.err()).toContain("there is no SQLite database at");
  });
});

describe("npm run backup as a process, beside the running bot", () => {
  it("GIVEN the bot running on the file (holding its lock) and being talked to WHEN npm run backup runs THEN it exits 0 with the copy's size, integrity and ledger, and the bot keeps running", async () => {
    const checkout = await makeCheckout({ backup: "src/ops/backup.cli.ts" });
    try {
      const dir = checkout.tmp();
      const file = path.join(dir, "gk.db");
      const bot = spawn(process.execPath, [checkout.entry("main")], { cwd: dir, env: baseEnv({ DATABASE_URL: file, CONSOLE_CLOCK_START: "2026-11-26T12:00:00Z" }) });
      let out = "";
      let err = "";
      bot.stdout.on("data", (c) => (out += String(c)));
      bot.stderr.on("data", (c) => (err += String(c)));
      const until = async (test: () => boolean) => {
        while (!test()) {
          if (bot.exitCode !== null) throw new Error(`the bot exited: ${err}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await until(() => err.includes("guildkeeper console"));
      let said = 0;
      const say = (text: string) => {
        said++;
        bot.stdin.write(`${text}\n/wait 90s\n`);
      };
      for (let i = 0; i < 20; i++) say(`hello number ${i}`);
      await until(() => out.includes("hello number 19"));

      let running = true;
      const chatter = (async () => {
        while (running) {
          say(`while backing up ${said}`);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const target = path.join(dir, "backup.db");
      const result = await run(process.execPath, [checkout.entry("backup"), target], { cwd: dir, env: baseEnv({ DATABASE_URL: file }) });
      running = false;
      await chatter;

      expect(result.stderr).toContain("backup: 100%");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`written to ${target}`);
      expect(result.stdout).toContain("integrity_check: ok");
      expect(result.stdout).toMatch(/ledger: \d+ rows, \d+ points; all-time totals equal; members: 1/);
      expect(bot.exitCode).toBeNull();

      bot.stdin.end("/quit\n");
      await new Promise<void>((resolve) => (bot.exitCode !== null ? resolve() : bot.on("close", () => resolve())));
      expect(bot.exitCode).toBe(0);
      const copy = connect(target);
      try {
        await assertTotalsMatchLedger(copy.kysely);
      } finally {
        await copy.close();
      }
    } finally {
      checkout.cleanup();
    }
  });
});
