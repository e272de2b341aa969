import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../src/db/connect.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { POSTGRES_URL } from "../helpers/db.js";
import { createSchema, dropSchema, migrationNames, recordedMigrations, schemaAfterEachMigration, schemaObjects } from "../db/schema-snapshot.js";
import { baseEnv, type Checkout, makeCheckout, type Run, run } from "./checkout.js";

/**
 * Issue 7.2, the real app: SIGKILL or Ctrl-C (SIGINT) while `node dist/main.mjs` is starting. The
 * kill points are anchored on the moment the database appears on disk, then swept over a few
 * milliseconds (lock, migrations, engine). SIGKILL must leave whole migrations only; SIGINT must
 * be a clean stop (exit 0, migrations whole); either way the next start and migrate succeed.
 */
let checkout: Checkout;
beforeAll(async () => {
  checkout = await makeCheckout();
});
afterAll(() => checkout?.cleanup());

/** Starts the console on `file` and sends `signal` `delayMs` after the database first appears on disk. */
function signalDuringStart(file: string, signal: NodeJS.Signals, delayMs: number): Promise<Run & { sawDatabase: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [checkout.entry("main")], { cwd: path.dirname(file), env: baseEnv({ DATABASE_URL: file }) });
    let stdout = "";
    let stderr = "";
    let sawDatabase = false;
    child.stdout.on("data", (c) => (stdout += String(c)));
    child.stderr.on("data", (c) => (stderr += String(c)));
    // Polled rather than watched: fs.watch may miss a file created between two events.
    const poll = setInterval(() => {
      if (sawDatabase || !(fs.existsSync(file) || fs.existsSync(`${file}-lock`))) return;
      sawDatabase = true;
      clearInterval(poll);
      setTimeout(() => child.kill(signal), delayMs);
    }, 1);
    child.on("close", (code, sig) => {
      clearInterval(poll);
      resolve({ code, signal: sig, stdout, stderr, sawDatabase });
    });
    // Standard input stays open: left alone, the console would wait for input for ever.
  });
}

async function expectWholeMigrations(file: string, expected: string[][], label: string): Promise<void> {
  if (!fs.existsSync(file)) return;
  const db = connect(file);
  const recorded = await recordedMigrations(db.kysely);
  expect(recorded, label).toEqual(migrationNames.slice(0, recorded.length));
  expect(await schemaObjects(db), label).toEqual(expected[recorded.length]);
  await db.close();
}

describe("a signal while the bot starts", () => {
  it("GIVEN SIGKILL or SIGINT at points across the first start THEN migrations are whole, SIGINT exits 0, and the next start and migrate succeed", async () => {
    const expected = await schemaAfterEachMigration("sqlite");
    const points = [0, 5, 25].flatMap((delayMs) => (["SIGKILL", "SIGINT"] as const).map((signal) => ({ delayMs, signal })));
    const files: string[] = [];
    for (let i = 0; i < points.length; i += 3) {
      await Promise.all(
        points.slice(i, i + 3).map(async ({ delayMs, signal }) => {
          const file = path.join(checkout.tmp(), "gk.db");
          files.push(file);
          const label = `${signal} ${delayMs} ms after the database appeared`;
          const result = await signalDuringStart(file, signal, delayMs);
          expect(result.sawDatabase, label).toBe(true);
          if (signal === "SIGKILL") expect(result.signal, label).toBe("SIGKILL");
          // The handlers are in place before the database is touched: Ctrl-C is a clean stop.
          else expect({ code: result.code, signal: result.signal }, `${label}: ${result.stderr}`).toEqual({ code: 0, signal: null });
          await expectWholeMigrations(file, expected, label);
        }),
      );
    }
    // Every interrupted database starts again and migrates.
    const migrations = await Promise.all(files.map((file) => run(process.execPath, [checkout.entry("migrate")], { cwd: path.dirname(file), env: baseEnv({ DATABASE_URL: file }) })));
    for (const migrate of migrations) expect(migrate.code, migrate.stderr).toBe(0);
    for (const [n, file] of files.slice(0, 2).entries()) {
      const restart = await run(process.execPath, [checkout.entry("main")], { cwd: path.dirname(file), env: baseEnv({ DATABASE_URL: file }), input: "hello\n" });
      expect(restart.code, restart.stderr).toBe(0);
      expect(restart.stdout).toContain("+5 ada (post)");
      if (n > 0) continue;
      const npmMigrate = await run("npm", ["run", "--silent", "migrate"], { cwd: path.join(import.meta.dirname, "../.."), env: baseEnv({ DATABASE_URL: file }) });
      expect(npmMigrate.code, npmMigrate.stderr).toBe(0);
      expect(npmMigrate.stdout).toContain("database is up to date");
    }
  }, 120_000);

  it.skipIf(!POSTGRES_URL)("GIVEN Postgres WHEN SIGINT arrives while the first migration waits THEN the bot lets it commit whole, closes and exits 0", async () => {
    const url = POSTGRES_URL!;
    const schema = await createSchema(url);
    const holder = connect(url, { schema });
    try {
      // Hold the bookkeeping table, so the start waits inside its migration transaction (its first
      // read there is of kysely_migration).
      await sql`create table ${sql.id(schema, "kysely_migration")} (name varchar(255) primary key, timestamp varchar(255) not null)`.execute(holder.kysely);
      const released = holder.kysely.transaction().execute(async (trx) => {
        await sql`lock table ${sql.id(schema, "kysely_migration")} in access exclusive mode`.execute(trx);
        const databaseUrl = `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
        const child = spawn(process.execPath, [checkout.entry("main")], { cwd: checkout.tmp(), env: baseEnv({ DATABASE_URL: databaseUrl, LOG_LEVEL: "info" }) });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => (stdout += String(c)));
        child.stderr.on("data", (c) => (stderr += String(c)));
        const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
        // Wait until the bot's migration is blocked on the lock we hold (asked on another connection:
        // inside a transaction, pg_stat_activity is a snapshot).
        for (;;) {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like ${`%"${schema}"."kysely_migration"%`}`.execute(holder.kysely);
          if (rows[0]!.n > 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        child.kill("SIGINT");
        // The bot says it is stopping (or, without a handler, dies of the signal) before we let go.
        await Promise.race([closed, new Promise<void>((resolve) => child.stderr.on("data", () => stderr.includes('"reason":"SIGINT"') && resolve()))]);
        return { closed, out: () => ({ stdout, stderr }) };
      });
      const { closed, out } = await released;
      expect(await closed, out().stderr).toEqual({ code: 0, signal: null });
      expect(out().stdout).toBe("");
      expect(await recordedMigrations(holder.kysely)).toEqual(migrationNames);
      const [all] = (await schemaAfterEachMigration("postgres")).slice(-1);
      expect(await schemaObjects(holder, schema)).toEqual(all);
      expect(await migrateToLatest(holder.kysely)).toEqual([]);
    } finally {
      await holder.close();
      await dropSchema(url, schema);
    }
  }, 60_000);
});
