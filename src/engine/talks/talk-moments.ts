import type { Place } from "../../core/identity.js";
import type { TimerContext } from "../../jobs/index.js";
import type { Logger } from "../../log.js";
import type { Community } from "../communities/community.repo.js";
import { settingPlace } from "../levels/level-up-announcement.js";
import type { OutboxWriter } from "../outbox/index.js";
import type { Attendance } from "./attendance.js";
import { reminderReply, startingReply } from "./talk-replies.js";
import type { TalkMomentPayload } from "./talk-timers.js";
import { recordReminder, rsvpsOf, talkById } from "./talks.repo.js";
import type { TalksService } from "./talks.service.js";

/**
 * What each of a talk's moments says or does when its timer fires, inside the timer's transaction
 * (so the record that it fired, the reminder delivery row and the outbox rows commit together):
 *
 * - a reminder (`1440m`, `15m`): a post where the talk was announced, and a DM to each Going member
 *   who asked for one. Still meaningful until the talk starts; after downtime past that it is
 *   recorded as skipped and says nothing (a 24 h reminder is never sent once the talk has begun).
 * - `start`: "starting now" with the link or channel and the check-in code; skipped once it has ended.
 * - `end`: the speaker's points, and voice attendees still in the channel.
 * - `announce`: a later occurrence of a series is announced a week ahead.
 *
 * A talk that was cancelled, or moved (the timer's start is not the talk's), says nothing.
 */
export async function fireTalkMoment(
  ctx: TimerContext<TalkMomentPayload>,
  deps: { outbox: OutboxWriter; attendance: Attendance; talks: () => TalksService; log: Logger },
): Promise<void> {
  const { trx, payload, now } = ctx;
  const talk = await talkById(trx, payload.talkId);
  if (!talk || talk.status !== "scheduled" || talk.starts_at !== payload.startsAt) return;
  const community: Community = { id: ctx.communityId, name: "", settings: ctx.settings };
  const record = `${payload.moment}@${payload.startsAt}`;
  const start = Date.parse(talk.starts_at);
  const end = Date.parse(talk.ends_at);
  const stale = payload.moment === "start" ? now.getTime() >= end : /^\d+m$/.test(payload.moment) ? now.getTime() >= start : false;
  if (stale) {
    if (await recordReminder(trx, talk.id, record, "skipped", now.toISOString())) ctx.log.info({ talk: talk.id, moment: payload.moment, late: now.getTime() - ctx.scheduledFor.getTime() }, "talks: moment skipped, too late to mean anything");
    return;
  }
  if (!(await recordReminder(trx, talk.id, record, "sent", now.toISOString()))) return;
  const place: Place | undefined = talk.announce_place ? (JSON.parse(talk.announce_place) as Place) : settingPlace(ctx.settings.channels.talks);

  switch (true) {
    case payload.moment === "announce": {
      if (place) await deps.talks().announce(trx, talk, place);
      return;
    }
    case payload.moment === "start": {
      if (place) await deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `talk:${talk.id}:starting:${record}`, operation: "post", to: place, reply: startingReply(talk) });
      return;
    }
    case payload.moment === "end": {
      await deps.attendance.speaker(trx, community, talk, talk.ends_at);
      await deps.attendance.settleVoice(trx, community, talk, now);
      return;
    }
    default: {
      const minutes = Number(payload.moment.slice(0, -1));
      const reply = reminderReply(talk, minutes);
      if (place) await deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `talk:${talk.id}:remind:${record}`, operation: "post", to: place, reply });
      for (const r of await rsvpsOf(trx, talk.id)) {
        if (r.status !== "going" || !r.remind) continue;
        await deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `talk:${talk.id}:remind:${record}:dm:${r.member_id}`, operation: "dm", memberId: r.member_id, reply });
      }
    }
  }
}
