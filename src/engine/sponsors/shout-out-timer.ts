import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "../../db/schema.js";
import { CronSchedule, cancelTimer, defineTimer, scheduleTimer, type TimerContext, type TimerDefinition } from "../../jobs/index.js";
import type { Logger } from "../../log.js";
import { settingPlace } from "../levels/level-up-announcement.js";
import type { OutboxWriter } from "../outbox/index.js";
import { quarterOf, weekIndex } from "./calendar.js";
import { shoutOutReply } from "./sponsor-replies.js";
import { insertImpression, type SponsorRow, sponsorById } from "./sponsors.repo.js";

/**
 * A sponsor's own shout-out schedule (`/sponsor schedule <name> <cron>`), apart from the digest:
 * a chain of durable one-off timers (src/jobs), one per slot. Each timer is claimed in the
 * database, so a restart or a second engine fires a slot once; when it fires it records the
 * impression (slot key `sponsor:<id>:<slot>`), writes the post to the outbox in the same
 * transaction, and arms the next slot. A timer whose sponsor was removed or rescheduled says
 * nothing (the change armed the new chain).
 *
 * Why timers rather than a recurring job: a job's schedule is one cron per community, read from
 * its settings; every sponsor may have its own, and a timer chain wakes exactly at each of them
 * without polling every community every few minutes.
 */
export const SHOUT_OUT_TIMER = "sponsor-shout-out";

/** A scheduled shout-out more than this late (downtime) is skipped; the chain goes on. */
export const SHOUT_OUT_GRACE_MS = 6 * 3_600_000;

export const shoutOutPayload = z.object({ sponsorId: z.string(), schedule: z.string(), slot: z.string() });
export type ShoutOutPayload = z.infer<typeof shoutOutPayload>;

const timerKey = (sponsorId: string, slot: string) => `sponsor:${sponsorId}:${slot}`;

/** Arms the sponsor's next slot after `after`, in the community's timezone; returns its instant. */
export async function armNextShoutOut(trx: Kysely<Database>, timer: TimerDefinition<ShoutOutPayload>, sponsor: Pick<SponsorRow, "id" | "community_id" | "schedule">, zone: string, after: Date, now: Date): Promise<Date | undefined> {
  if (!sponsor.schedule) return undefined;
  const next = CronSchedule.parse(sponsor.schedule, zone).nextAfter(after);
  if (!next) return undefined;
  await scheduleTimer(trx, { timer, communityId: sponsor.community_id, key: timerKey(sponsor.id, next.key), at: next.at, payload: { sponsorId: sponsor.id, schedule: sponsor.schedule, slot: next.key } }, now);
  return next.at;
}

/** Cancels the sponsor's pending shout-out timer (a removal, or a new schedule). */
export async function disarmShoutOuts(trx: Kysely<Database>, sponsor: Pick<SponsorRow, "id" | "community_id">, now: Date): Promise<void> {
  const pending = await trx
    .selectFrom("job_timers")
    .select("key")
    .where("timer", "=", SHOUT_OUT_TIMER)
    .where("community_id", "=", sponsor.community_id)
    .where("key", "like", `sponsor:${sponsor.id}:%`)
    .where("state", "=", "pending")
    .execute();
  for (const { key } of pending) await cancelTimer(trx, { timer: SHOUT_OUT_TIMER, communityId: sponsor.community_id, key }, now);
}

/** The timer: posts the shout-out once per slot and arms the next one. */
export function shoutOutTimer(deps: { outbox: OutboxWriter; log: Logger }): TimerDefinition<ShoutOutPayload> {
  const timer: TimerDefinition<ShoutOutPayload> = defineTimer({
    name: SHOUT_OUT_TIMER,
    payload: shoutOutPayload,
    run: (ctx) => fire(ctx, timer, deps),
  });
  return timer;
}

async function fire(ctx: TimerContext<ShoutOutPayload>, timer: TimerDefinition<ShoutOutPayload>, deps: { outbox: OutboxWriter; log: Logger }): Promise<void> {
  const { trx, payload, now, communityId } = ctx;
  const sponsor = await sponsorById(trx, payload.sponsorId);
  if (!sponsor || sponsor.community_id !== communityId || sponsor.status !== "active" || sponsor.schedule !== payload.schedule) return;
  // Whatever happens to this slot, the chain goes on from now (missed slots are not replayed).
  await armNextShoutOut(trx, timer, sponsor, ctx.timezone, new Date(Math.max(now.getTime(), ctx.scheduledFor.getTime())), now);
  const late = now.getTime() - ctx.scheduledFor.getTime();
  if (late > SHOUT_OUT_GRACE_MS) {
    ctx.log.info({ sponsor: sponsor.id, slot: payload.slot, late }, "sponsors: scheduled shout-out skipped, too late");
    return;
  }
  const to = settingPlace(ctx.settings.channels.announcements);
  if (!to) {
    ctx.log.info({ sponsor: sponsor.id, slot: payload.slot }, "sponsors: scheduled shout-out not posted: channels.announcements is not set");
    return;
  }
  const slotKey = timerKey(sponsor.id, payload.slot);
  const at = ctx.scheduledFor;
  const first = await insertImpression(trx, { community_id: communityId, slot_key: slotKey, sponsor_id: sponsor.id, source: "schedule", week: weekIndex(at, ctx.timezone), quarter: quarterOf(at, ctx.timezone), at: at.toISOString() });
  if (!first) return;
  await deps.outbox.enqueue(trx, { communityId, dedupeKey: `sponsor-shout-out:${communityId}:${slotKey}`, operation: "post", to, reply: shoutOutReply(sponsor) });
}
