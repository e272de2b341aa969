import type { VoicePresenceChanged } from "../../core/events.js";
import type { TimerDefinition } from "../../jobs/index.js";
import { defineCapability } from "../capability.js";
import type { PointsService } from "../points/points.service.js";
import { Attendance } from "./attendance.js";
import { CalendarSync } from "./calendar-sync.js";
import { fireTalkMoment } from "./talk-moments.js";
import { talkMomentTimer } from "./talk-timers.js";
import { ProposalsService } from "./proposals.service.js";
import { TalksService } from "./talks.service.js";

/**
 * Tech talks (issue 11): proposals, scheduling (one-offs and RRULE series), the announcement in
 * `channels.talks` with live RSVP counts and a waitlist, reminders and "starting now" as durable
 * one-off timers, attendance by check-in code or Discord voice presence, and points for speakers
 * and attendees outside the daily cap. Builds on points (listed before it).
 */
export const talksCapability = defineCapability({
  name: "talks",
  setup(kit) {
    const points = (kit.services as { points: PointsService }).points;
    const attendance = new Attendance(points);
    let talks: TalksService | undefined = undefined;
    const timer = talkMomentTimer((ctx) => fireTalkMoment(ctx, { outbox: kit.outbox, attendance, talks: () => talks!, log: kit.log }));
    const proposals = new ProposalsService({ db: kit.db, writes: kit.writes, clock: kit.clock, outbox: kit.outbox });
    talks = new TalksService({ db: kit.db, writes: kit.writes, clock: kit.clock, log: kit.log, outbox: kit.outbox, attendance, proposals, timer: () => timer });
    return {
      services: { talks, talkProposals: proposals, talkCalendar: new CalendarSync({ db: kit.db, clock: kit.clock, writes: kit.writes, outbox: kit.outbox }) },
      timers: [timer as unknown as TimerDefinition<never>],
      events: [
        {
          kinds: ["voice.joined", "voice.left"],
          async handle(scope) {
            await attendance.onVoice(scope.trx, scope.community, scope.event as VoicePresenceChanged);
          },
        },
      ],
    };
  },
});
