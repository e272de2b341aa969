import { defineJob, type JobDefinition } from "../../jobs/index.js";
import type { DigestService } from "./digest.service.js";
import { digestCron } from "./digest-week.js";

/**
 * The weekly digest, per community: `digest.day` at `digest.time` in the community's timezone
 * (default Monday 09:00), off while `digest.enabled` is off or `channels.announcements` is unset.
 * The scheduler records each slot once (`job_runs`), catches a missed one up within
 * `digest.graceHours` (default 24) and skips it past that; the post's outbox key is per community
 * and ISO week, so even a second slot in one week (the day changed) posts nothing twice.
 */
export function weeklyDigestJob(digest: DigestService): JobDefinition {
  return defineJob({
    name: "weekly-digest",
    schedule: (s) => (s.digest.enabled && s.channels.announcements ? digestCron(s.digest.day, s.digest.time) : null),
    graceMs: (s) => s.digest.graceHours * 3_600_000,
    // The heavy reading happens before the run's transaction opens (seconds at a million members,
    // which on SQLite would hold every event's commit back); the run decides and posts.
    prepare: (ctx) => digest.prepareWeekly(ctx),
    run: (ctx) => digest.postWeekly(ctx),
  });
}
