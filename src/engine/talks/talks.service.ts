import type { Kysely, Transaction } from "kysely";
import { DateTime } from "luxon";
import type { Clock } from "../../core/clock.js";
import type { Actor, MemberRef, Place } from "../../core/identity.js";
import { memberText } from "../../core/reply.js";
import type { Database } from "../../db/schema.js";
import type { TimerDefinition } from "../../jobs/index.js";
import type { Logger } from "../../log.js";
import { type Community, findCommunityByWorkspace } from "../communities/community.repo.js";
import { settingPlace } from "../levels/level-up-announcement.js";
import type { OutboxWriter } from "../outbox/index.js";
import { cleanDisplayName, nameFromId } from "../points/display-name.js";
import type { WriteQueue } from "../write-queue.js";
import type { Attendance } from "./attendance.js";
import type { ProposalsService } from "./proposals.service.js";
import { code, TalkRefusal } from "./talk-codes.js";
import { occurrences, type Repeat, seriesRule } from "./recurrence.js";
import { type Answer, applyAnswer, countRsvps, fillFromWaitlist } from "./rsvp.js";
import { announcementReply, changedDm } from "./talk-replies.js";
import { armTalkTimers, disarmTalkTimers, type TalkMomentPayload } from "./talk-timers.js";
import * as repo from "./talks.repo.js";
import type { RsvpRow, TalkRow } from "./talks.repo.js";

type Trx = Transaction<Database>;

/** What `/talk schedule` (or the proposal form) asks for, already validated. */
export interface ScheduleInput {
  title: string;
  speaker: MemberRef;
  start: Date;
  durationMinutes: number;
  whereChannel?: string;
  whereLink?: string;
  description?: string;
  capacity?: number;
  repeat?: Repeat;
  occurrences?: number;
  proposalId?: string;
}

/** What `/talk edit` may change; `scope` says this occurrence or the rest of its series. */
export interface EditInput {
  title?: string;
  start?: Date;
  durationMinutes?: number;
  whereChannel?: string;
  whereLink?: string;
  description?: string;
  capacity?: number;
  scope: "this" | "series";
}

export { TalkRefusal };

/**
 * Tech talks: scheduling (one-offs and series), the announcement with live RSVP counts, the
 * waitlist, edits and cancellations, proposals. Every decision and what it says (outbox rows) and
 * the timers it arms commit in one write-queue transaction.
 */
export class TalksService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      writes: WriteQueue;
      clock: Clock;
      log: Logger;
      outbox: OutboxWriter;
      attendance: Attendance;
      proposals: ProposalsService;
      timer: () => TimerDefinition<TalkMomentPayload>;
    },
  ) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  /** Schedules a talk (or a series: every occurrence is stored, each with its own timers). */
  schedule(community: Community, actor: Actor, input: ScheduleInput): Promise<TalkRow[]> {
    const place = settingPlace(community.settings.channels.talks);
    if (!place) throw new TalkRefusal("The talks channel isn't set: an admin can set it with `/config set channels.talks #channel`.");
    return this.deps.writes.submit(async (trx) => {
      const now = this.now();
      const tz = community.settings.timezone;
      let seriesId: string | null = null;
      let starts: { at: Date; local: string | null }[] = [{ at: input.start, local: null }];
      if (input.repeat) {
        seriesId = `S${code(7)}`;
        const rule = seriesRule(input.start, tz, input.repeat, input.occurrences ?? 6);
        await repo.insertSeries(trx, { id: seriesId, community_id: community.id, rrule: rule, timezone: tz, created_at: now.toISOString() });
        starts = occurrences(rule, tz).map((o) => ({ at: o.at, local: o.local }));
      }
      if (input.proposalId && !(await repo.decideProposal(trx, input.proposalId, "scheduled"))) throw new TalkRefusal("That proposal was already scheduled or declined.");
      const talks: TalkRow[] = [];
      for (const [i, s] of starts.entries()) {
        const talk: TalkRow = {
          id: code(6),
          community_id: community.id,
          series_id: seriesId,
          occurrence: s.local,
          title: input.title,
          description: input.description ?? "",
          speaker_id: input.speaker.id,
          speaker_name: cleanDisplayName(input.speaker.displayName ?? "", nameFromId(input.speaker.id)),
          starts_at: s.at.toISOString(),
          ends_at: new Date(s.at.getTime() + input.durationMinutes * 60_000).toISOString(),
          where_channel: input.whereChannel ?? null,
          where_link: input.whereLink ?? null,
          capacity: input.capacity ?? null,
          status: "scheduled",
          announce_place: null,
          announce_key: null,
          version: 0,
          checkin_code: code(6),
          created_by: actor.id,
          proposal_id: input.proposalId ?? null,
          scheduled_event_id: null,
          scheduled_event_version: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        };
        await repo.insertTalk(trx, talk);
        // The first is announced now; later occurrences a week ahead of their start (a timer).
        if (i === 0) talks.push(await this.announce(trx, talk, place));
        else talks.push(talk);
        await armTalkTimers(trx, this.deps.timer(), talk, community.settings, now, i > 0);
      }
      if (input.proposalId) await this.deps.proposals.scheduled(trx, community, input.proposalId, talks[0]!);
      return talks;
    });
  }

  /** Posts the announcement (once) and remembers where, so edits can name it. */
  async announce(trx: Trx, talk: TalkRow, place: Place): Promise<TalkRow> {
    if (talk.announce_key) return talk;
    const key = `talk:${talk.id}:announcement`;
    // A later occurrence of a series is announced a week ahead, and may have answers by then.
    const counts = countRsvps(await repo.rsvpsOf(trx, talk.id));
    await this.deps.outbox.enqueue(trx, { communityId: talk.community_id, dedupeKey: key, operation: "post", to: place, reply: announcementReply(talk, counts) });
    const placeJson = JSON.stringify(place);
    await repo.updateTalk(trx, talk.id, { announce_place: placeJson, announce_key: key });
    return { ...talk, announce_place: placeJson, announce_key: key };
  }

  /** Edits the announcement in place to show the talk as it now is. */
  private async refresh(trx: Trx, talkId: string): Promise<TalkRow> {
    const version = await repo.bumpVersion(trx, talkId, this.now().toISOString());
    const talk = (await repo.talkById(trx, talkId))!;
    if (talk.announce_key) {
      const counts = countRsvps(await repo.rsvpsOf(trx, talkId));
      await this.deps.outbox.enqueue(trx, { communityId: talk.community_id, dedupeKey: `talk:${talk.id}:edit:${version}`, operation: "edit", of: talk.announce_key, reply: announcementReply(talk, counts) });
    }
    return talk;
  }

  async find(community: Community, id: string): Promise<TalkRow> {
    const talk = await repo.findTalk(this.deps.db, community.id, id.trim().toUpperCase());
    if (!talk) throw noSuchTalk(id);
    return talk;
  }

  /** A member's answer to a talk; returns what it did, for the private reply. */
  rsvp(community: Community, actor: Actor, talkId: string, answer: Answer): Promise<{ result: RsvpRow["status"] | "unchanged"; talk: TalkRow }> {
    return this.deps.writes.submit(async (trx) => {
      const talk = await this.open(trx, community, talkId);
      const now = this.now().toISOString();
      const change = applyAnswer(await repo.rsvpsOf(trx, talk.id), talk.capacity, { talkId: talk.id, memberId: actor.id, displayName: cleanDisplayName(actor.displayName, actor.userId), answer, at: now });
      for (const row of change.save) await repo.saveRsvp(trx, row);
      for (const p of change.promoted) await this.tellPromoted(trx, talk, p.member_id, now);
      if (change.result !== "unchanged") await this.refresh(trx, talk.id);
      return { result: change.result, talk };
    });
  }

  /** Turns the DM reminder on or off for a member who is Going (or waitlisted). */
  toggleRemind(community: Community, actor: Actor, talkId: string): Promise<"on" | "off" | "not-going"> {
    return this.deps.writes.submit(async (trx) => {
      const talk = await this.open(trx, community, talkId);
      const mine = (await repo.rsvpsOf(trx, talk.id)).find((r) => r.member_id === actor.id);
      if (!mine || (mine.status !== "going" && mine.status !== "waitlist")) return "not-going";
      const remind = mine.remind ? 0 : 1;
      await repo.saveRsvp(trx, { ...mine, remind, updated_at: this.now().toISOString() });
      return remind ? "on" : "off";
    });
  }

  /**
   * The talk, if it can still be answered or changed. `typed`: the id as a member typed it (`/talk
   * edit|cancel`), so a wrong one is answered as {@link find} does; a button's id names a talk that
   * existed, so without it the talk "no longer exists".
   */
  private async open(trx: Trx, community: Community, talkId: string, typed?: string): Promise<TalkRow> {
    const talk = await repo.findTalk(trx, community.id, talkId);
    if (!talk) throw typed !== undefined ? noSuchTalk(typed) : new TalkRefusal("That talk no longer exists.");
    if (talk.status === "cancelled") throw new TalkRefusal("That talk was cancelled.");
    if (Date.parse(talk.ends_at) <= this.now().getTime()) throw new TalkRefusal("That talk is over.");
    return talk;
  }

  /** Only an organizer (checked by the command) or the talk's speaker may change it. */
  private mayChange(actor: Actor, talk: TalkRow, isOrganizer: boolean): void {
    if (!isOrganizer && actor.id !== talk.speaker_id) throw new TalkRefusal("Only organizers or the talk's speaker can change it.");
  }

  /** Cancels a talk (or the rest of its series): the announcement says so, Going members get a DM, timers are disarmed. */
  cancel(community: Community, actor: Actor, talkId: string, scope: "this" | "series", isOrganizer: boolean): Promise<TalkRow[]> {
    return this.deps.writes.submit(async (trx) => {
      const first = await this.open(trx, community, talkId.trim().toUpperCase(), talkId);
      this.mayChange(actor, first, isOrganizer);
      const targets = scope === "series" && first.series_id ? (await repo.seriesTalks(trx, first.series_id, first.starts_at)).filter((t) => t.status === "scheduled") : [first];
      const now = this.now();
      const done: TalkRow[] = [];
      for (const talk of targets) {
        await repo.updateTalk(trx, talk.id, { status: "cancelled" });
        await disarmTalkTimers(trx, talk, now);
        const updated = await this.refresh(trx, talk.id);
        await this.dmGoing(trx, updated, "was cancelled");
        done.push(updated);
      }
      return done;
    });
  }

  /** Edits a talk (or every later occurrence of its series); a new start re-arms its timers. */
  edit(community: Community, actor: Actor, talkId: string, input: EditInput, isOrganizer: boolean): Promise<TalkRow[]> {
    // An edit that changes nothing would still tell everyone going that the talk "was changed".
    if (!Object.entries(input).some(([key, value]) => key !== "scope" && value !== undefined)) {
      return Promise.reject(new TalkRefusal(`Nothing to change: give at least one of ${EDITABLE.map((f) => `\`${f}\``).join(", ")} (e.g. \`/talk edit id:${memberText(talkId)} title:…\`).`));
    }
    return this.deps.writes.submit(async (trx) => {
      const first = await this.open(trx, community, talkId.trim().toUpperCase(), talkId);
      this.mayChange(actor, first, isOrganizer);
      const series = input.scope === "series" && first.series_id;
      const targets = series ? (await repo.seriesTalks(trx, first.series_id!, first.starts_at)).filter((t) => t.status === "scheduled") : [first];
      // For a series, a new start moves every occurrence by the same shift of local time.
      const tz = community.settings.timezone;
      const shiftMs = input.start ? wallMs(input.start, tz) - wallMs(first.starts_at, tz) : 0;
      const now = this.now();
      const done: TalkRow[] = [];
      for (const talk of targets) {
        const startMs = talk.id === first.id && input.start ? input.start.getTime() : shiftMs ? shiftedLocal(talk.starts_at, shiftMs, tz) : Date.parse(talk.starts_at);
        const duration = input.durationMinutes !== undefined ? input.durationMinutes * 60_000 : Date.parse(talk.ends_at) - Date.parse(talk.starts_at);
        const changes: Partial<TalkRow> = {
          ...(input.title !== undefined ? { title: input.title } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.whereChannel !== undefined ? { where_channel: input.whereChannel } : {}),
          ...(input.whereLink !== undefined ? { where_link: input.whereLink } : {}),
          ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
          starts_at: new Date(startMs).toISOString(),
          ends_at: new Date(startMs + duration).toISOString(),
        };
        // Only a start that moves must lie ahead: a talk under way may still be renamed or described.
        if (changes.starts_at !== talk.starts_at && startMs <= now.getTime()) throw new TalkRefusal("The new start has already passed.");
        await repo.updateTalk(trx, talk.id, changes);
        const moved = changes.starts_at !== talk.starts_at || changes.ends_at !== talk.ends_at;
        if (moved) {
          await disarmTalkTimers(trx, talk, now);
          await armTalkTimers(trx, this.deps.timer(), { ...talk, ...changes } as TalkRow, community.settings, now, !talk.announce_key);
        }
        if (input.capacity !== undefined) {
          const rows = await repo.rsvpsOf(trx, talk.id);
          for (const p of fillFromWaitlist(rows, input.capacity, now.toISOString())) {
            await repo.saveRsvp(trx, p);
            await this.tellPromoted(trx, { ...talk, ...changes }, p.member_id, now.toISOString());
          }
        }
        const updated = await this.refresh(trx, talk.id);
        await this.dmGoing(trx, updated, "was changed");
        done.push(updated);
      }
      return done;
    });
  }

  /** A member moved from the waitlist to Going (someone dropped out, or the capacity was raised). */
  private async tellPromoted(trx: Trx, talk: TalkRow, memberId: string, at: string): Promise<void> {
    await this.deps.outbox.enqueue(trx, { communityId: talk.community_id, dedupeKey: `talk:${talk.id}:promoted:${memberId}:${at}`, operation: "dm", memberId, reply: changedDm(talk, "has a place for you now: you moved from the waitlist to Going") });
  }

  private async dmGoing(trx: Trx, talk: TalkRow, what: string): Promise<void> {
    for (const r of await repo.rsvpsOf(trx, talk.id)) {
      if (r.status !== "going") continue;
      await this.deps.outbox.enqueue(trx, { communityId: talk.community_id, dedupeKey: `talk:${talk.id}:v${talk.version}:dm:${r.member_id}`, operation: "dm", memberId: r.member_id, reply: changedDm(talk, what) });
    }
  }

  list(community: Community): Promise<TalkRow[]> {
    return repo.upcomingTalks(this.deps.db, community.id, this.now().toISOString());
  }

  /** `/talk checkin CODE`: valid from the talk's start until it ends. */
  checkin(community: Community, actor: Actor, typed: string): Promise<{ talk: TalkRow; first: boolean }> {
    return this.deps.writes.submit(async (trx) => {
      const now = this.now().toISOString();
      const codeTyped = typed.trim().toUpperCase();
      const talk = await trx
        .selectFrom("talks")
        .selectAll()
        .where("community_id", "=", community.id)
        .where("checkin_code", "=", codeTyped)
        .where("status", "=", "scheduled")
        .orderBy("starts_at", "desc")
        .executeTakeFirst();
      if (!talk) throw new TalkRefusal(`\`${memberText(typed)}\` isn't a check-in code of any talk here. The code is posted when a talk starts.`);
      if (now < talk.starts_at) throw new TalkRefusal(`Check-in for ${memberText(talk.title)} opens when it starts.`);
      if (now >= talk.ends_at) throw new TalkRefusal(`${memberText(talk.title)} has ended; check-in closed with it.`);
      if (actor.id === talk.speaker_id) throw new TalkRefusal("You're the speaker — you get the speaker's points when the talk ends.");
      const first = await this.deps.attendance.attend(trx, community, talk, { id: actor.id, displayName: cleanDisplayName(actor.displayName, actor.userId) }, "checkin", now);
      return { talk, first };
    });
  }

  /** Reconciles voice presence on a workspace after the bot (re)connected (see Attendance.voiceSnapshot). */
  async voiceSnapshot(where: Pick<Place, "platform" | "workspaceId">, present: Parameters<Attendance["voiceSnapshot"]>[3]): Promise<{ opened: number; closed: number }> {
    const community = await findCommunityByWorkspace(this.deps.db, where.platform, where.workspaceId);
    if (!community) return { opened: 0, closed: 0 };
    return this.deps.writes.submit((trx) => this.deps.attendance.voiceSnapshot(trx, community, where, present, this.now()));
  }

  /** Who said what, and who attended (for `/talk info` and `/talk attendance`). */
  async people(talkId: string): Promise<{ rsvps: RsvpRow[]; attendance: Database["talk_attendance"][] }> {
    return { rsvps: await repo.rsvpsOf(this.deps.db, talkId), attendance: await repo.attendanceOf(this.deps.db, talkId) };
  }

  async series(id: string): Promise<Database["talk_series"] | undefined> {
    return repo.findSeries(this.deps.db, id);
  }

}

/** What `/talk edit` can change: its options, named as the member sees them. */
const EDITABLE = ["title", "start", "duration", "where", "link", "capacity", "description"] as const;

/** The answer to an id that names no talk of this community. */
function noSuchTalk(typed: string): TalkRefusal {
  return new TalkRefusal(`There's no talk with id \`${memberText(typed)}\` here; \`/talk list\` shows upcoming talks and their ids.`);
}

/** A time's local wall clock, written as if it were UTC (so wall-clock differences can be added). */
function wallMs(at: string | Date, timezone: string): number {
  const l = DateTime.fromJSDate(new Date(at), { zone: timezone });
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);
}

/** Moves a start by `wallShiftMs` of *local* time, so a series moved to 19:00 stays at 19:00 local across DST. */
function shiftedLocal(startsAt: string, wallShiftMs: number, timezone: string): number {
  const w = DateTime.fromMillis(wallMs(startsAt, timezone) + wallShiftMs, { zone: "UTC" });
  return DateTime.fromObject({ year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute }, { zone: timezone }).toMillis();
}
