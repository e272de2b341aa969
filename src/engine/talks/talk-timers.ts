import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "../../db/schema.js";
import { cancelTimer, defineTimer, scheduleTimer, type TimerContext, type TimerDefinition } from "../../jobs/index.js";
import type { Settings } from "../communities/settings.js";
import type { TalkRow } from "./talks.repo.js";

/**
 * Each talk's moments are one-off durable timers (src/jobs): the reminders (`<minutes>m`, default
 * 1440m and 15m before), `start` ("starting now", check-in opens), `end` (points for the speaker
 * and voice attendees) and, for later occurrences of a series, `announce`. The timer is claimed in
 * the database, so a restart or a second engine fires it once; its key holds the talk's start, so
 * a moved talk arms new timers and the old ones (cancelled, or found stale when they fire) say nothing.
 */
export const TALK_TIMER = "talk-moment";

export const talkMomentPayload = z.object({ talkId: z.string(), moment: z.string(), startsAt: z.string() });
export type TalkMomentPayload = z.infer<typeof talkMomentPayload>;

/** How far ahead of its start a later occurrence of a series is announced. */
export const ANNOUNCE_LEAD_MS = 7 * 86_400_000;

/** The moments of a talk and when each falls; reminders already past when armed are left out. */
export function talkMoments(talk: Pick<TalkRow, "starts_at" | "ends_at">, settings: Settings, now: Date, announce: boolean): { moment: string; at: Date }[] {
  const start = Date.parse(talk.starts_at);
  const moments: { moment: string; at: Date }[] = [];
  if (announce) moments.push({ moment: "announce", at: new Date(Math.max(start - ANNOUNCE_LEAD_MS, now.getTime())) });
  for (const minutes of settings.talks.reminderMinutes) {
    const at = start - minutes * 60_000;
    if (at > now.getTime()) moments.push({ moment: `${minutes}m`, at: new Date(at) });
  }
  moments.push({ moment: "start", at: new Date(start) }, { moment: "end", at: new Date(Date.parse(talk.ends_at)) });
  return moments;
}

const timerKey = (talkId: string, moment: string, startsAt: string) => `talk:${talkId}:${moment}:${startsAt}`;

export async function armTalkTimers(trx: Kysely<Database>, timer: TimerDefinition<TalkMomentPayload>, talk: TalkRow, settings: Settings, now: Date, announce = false): Promise<void> {
  for (const { moment, at } of talkMoments(talk, settings, now, announce)) {
    await scheduleTimer(trx, { timer, communityId: talk.community_id, key: timerKey(talk.id, moment, talk.starts_at), at, payload: { talkId: talk.id, moment, startsAt: talk.starts_at } }, now);
  }
}

/** Cancels every pending timer of the talk (whatever reminder offsets were set when it was armed). */
export async function disarmTalkTimers(trx: Kysely<Database>, talk: Pick<TalkRow, "id" | "community_id">, now: Date): Promise<void> {
  const pending = await trx
    .selectFrom("job_timers")
    .select("key")
    .where("timer", "=", TALK_TIMER)
    .where("community_id", "=", talk.community_id)
    .where("key", "like", `talk:${talk.id}:%`)
    .where("state", "=", "pending")
    .execute();
  for (const { key } of pending) await cancelTimer(trx, { timer: TALK_TIMER, communityId: talk.community_id, key }, now);
}

/** The timer definition; `fire` decides what a moment says (see TalkMoments in talk-moments.ts). */
export function talkMomentTimer(fire: (ctx: TimerContext<TalkMomentPayload>) => Promise<void>): TimerDefinition<TalkMomentPayload> {
  return defineTimer({ name: TALK_TIMER, payload: talkMomentPayload, run: fire });
}
