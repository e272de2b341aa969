import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { build } from "esbuild";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connect, type Db } from "../../src/db/connect.js";
import { defineJob, type JobContext } from "../../src/jobs/job.js";
import { dialects, openTestDb, POSTGRES_URL, type TestDb } from "../helpers/db.js";
import { community, createEffectsTable, effects, harness, runRows, writeEffect } from "./harness.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const NOW = "2026-12-07T09:00:05Z";

// The child runs as a bundle on plain Node: under tsx it takes about three times as long to start.
// It lives in the worktree's (git-ignored) tmp/ so its bare imports resolve to node_modules.
const bundle = path.join(here, "../../tmp", `crash-child-${process.pid}.mjs`);
beforeAll(async () => {
  await build({ entryPoints: [path.join(here, "crash-child.ts")], outfile: bundle, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "warning" });
});
afterAll(() => {
  fs.rmSync(bundle, { force: true });
  // tmp/ is git-ignored; remove it too if nothing else is in it.
  if (fs.readdirSync(path.dirname(bundle)).length === 0) fs.rmdirSync(path.dirname(bundle));
});

function runChild(url: string, schema: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bundle, url, schema, NOW]);
    child.on("exit", (_code, signal) => resolve(signal));
  });
}

describe.each(dialects)("crash mid-run on %s", (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("GIVEN a process killed inside a run's transaction THEN it leaves no claim and no effect, and the next runner runs the slot once", async () => {
    let url: string;
    let schema = "";
    let open: () => Db;
    if (dialect === "postgres") {
      const t: TestDb = await openTestDb("postgres");
      cleanups.push(() => t.cleanup());
      url = t.url;
      schema = t.schema as string;
      open = () => t.db;
    } else {
      // The dying process has the file to itself, as it would in production.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-crash-"));
      cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      url = path.join(dir, "crash.db");
      open = () => {
        const db = connect(url);
        cleanups.push(() => db.close());
        return db;
      };
    }
    expect(await runChild(url, schema)).toBe("SIGKILL");

    const db = open();
    expect(await runRows(db.kysely)).toEqual([]);
    expect(await effects(db.kysely)).toEqual([]);
    const calls: JobContext[] = [];
    const job = defineJob({ name: "daily-nine", schedule: () => "0 9 * * *", graceMs: 3_600_000, run: async (ctx) => {
      calls.push(ctx);
      await writeEffect(ctx.trx, `ran|${ctx.period.key}`, ctx.communityId, "done");
    } });
    const h = harness(db.kysely, { start: "2026-12-07T09:01:00Z", jobs: [job], communities: () => [community("c1", "UTC")] });
    expect((await h.scheduler.tick()).runs).toMatchObject([{ outcome: "done", attempt: 1 }]);
    expect((await h.scheduler.tick()).runs).toEqual([]);
    expect((await effects(db.kysely)).map((e) => e.id)).toEqual(["ran|2026-12-07T09:00[UTC]"]);
  });
});

describe.skipIf(!POSTGRES_URL)("two runners with two pools on one Postgres database", () => {
  let t: TestDb;
  const pools: Db[] = [];
  afterEach(async () => {
    for (const p of pools.splice(0)) await p.close();
    await t.cleanup();
  });

  it("GIVEN runner A inside a slot's run THEN runner B's claim waits on A's key and, once A commits, finds the slot taken and runs nothing", async () => {
    t = await openTestDb("postgres");
    await createEffectsTable(t.db.kysely);
    const second = connect(t.url, { schema: t.schema });
    const observer = connect(t.url, { schema: t.schema });
    pools.push(second, observer);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inRun = new Promise<void>((resolve) => (entered = resolve));
    const calls: string[] = [];
    const job = (runner: string) =>
      defineJob({
        name: "daily-nine",
        schedule: () => "0 9 * * *",
        graceMs: 3_600_000,
        run: async (ctx) => {
          calls.push(runner);
          await writeEffect(ctx.trx, `${runner}|${ctx.period.key}`, ctx.communityId, "posted");
          entered();
          await gate;
        },
      });
    const communities = () => [community("c1", "UTC")];
    const a = harness(t.db.kysely, { start: NOW, jobs: [job("A")], communities });
    const b = harness(second.kysely, { start: NOW, jobs: [job("B")], communities });

    const ta = a.scheduler.tick();
    await inRun;
    const tb = b.scheduler.tick();
    // Wait until Postgres reports B's backend blocked on a lock, i.e. on A's uncommitted claim.
    const blocked = async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into "job_runs"%'`.execute(observer.kysely);
      return rows[0]?.n ?? 0;
    };
    for (let i = 0; i < 500 && (await blocked()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await blocked()).toBe(1);
    release();
    const [ra, rb] = await Promise.all([ta, tb]);
    expect(ra.runs).toMatchObject([{ outcome: "done" }]);
    expect(rb.runs).toMatchObject([{ outcome: "taken" }]);
    expect(calls).toEqual(["A"]);
    expect((await effects(t.db.kysely)).map((e) => e.id)).toEqual(["A|2026-12-07T09:00[UTC]"]);
    expect(await runRows(t.db.kysely)).toMatchObject([{ state: "done", attempts: 1 }]);
  });
});
