/**
 * Durable jobs: recurring jobs on a cron schedule in each community's timezone, and one-off timers,
 * recorded in the database so each slot runs once across restarts and runners. See docs/jobs.md.
 */
export { type CommunitySource, communitiesFromDb, type SchedulerCommunity } from "./community-source.js";
export { CronSchedule, type Period, ScheduleError } from "./cron-schedule.js";
export { defineJob, type JobContext, type JobDefinition, type JobSpec, type PrepareContext } from "./job.js";
export type { RunReport } from "./job-runner.js";
export { defaultRetryPolicy, type RetryPolicy } from "./retry-policy.js";
export { Scheduler, type SchedulerLiveness, type SchedulerOptions, scheduleTimer, type TickReport, type TimerRequest, type TimerTransaction } from "./scheduler.js";
export { defineTimer, type TimerContext, type TimerDefinition, type TimerSpec } from "./timer.js";
export type { TimerReport } from "./timer-runner.js";
export { type ArmResult, cancelTimer, type TimerKey } from "./timers.repo.js";
export { systemWakeTimer, type WakeTimer } from "./wake-timer.js";
