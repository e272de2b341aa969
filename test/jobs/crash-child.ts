// Run by concurrency.test.ts in a child process: starts a run, writes its effect, then dies by
// SIGKILL inside the run's transaction — a crash mid-run, with nothing to clean up after itself.
import { ManualClock } from "../../src/core/clock.js";
import { connect } from "../../src/db/connect.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { defineJob } from "../../src/jobs/job.js";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { community, createEffectsTable, FakeWakeTimer, writeEffect } from "./harness.js";
import { capturingLog } from "../helpers/log-lines.js";

const [url, schema, now] = process.argv.slice(2) as [string, string, string];
const db = connect(url, schema ? { schema } : {});
await migrateToLatest(db.kysely);
await createEffectsTable(db.kysely);
const job = defineJob({
  name: "daily-nine",
  schedule: () => "0 9 * * *",
  graceMs: 3_600_000,
  run: async (ctx) => {
    await writeEffect(ctx.trx, `crashed|${ctx.period.key}`, ctx.communityId, "half-done");
    process.kill(process.pid, "SIGKILL");
    await new Promise(() => {});
  },
});
const scheduler = new Scheduler({ db: db.kysely, clock: new ManualClock(now), log: capturingLog().log, wake: new FakeWakeTimer(), jobs: [job], communities: async () => [community("c1", "UTC")] });
await scheduler.tick();
