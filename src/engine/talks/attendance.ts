import type { Transaction } from "kysely";
import { channelKey, type Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import { settingPlace } from "../levels/level-up-announcement.js";
import type { PointsService } from "../points/points.service.js";
import { attendanceOf, closeVoiceSession, insertVoiceSession, openVoiceSession, openVoiceSessionsIn, recordAttendance, type TalkRow, talksInChannel, voiceSessions } from "./talks.repo.js";

type Trx = Transaction<Database>;

/**
 * Attendance: a check-in code (`/talk checkin CODE`, from the talk's start until it ends), or on
 * Discord, presence in the talk's voice or stage channel for at least `talks.attendanceMinutes`
 * during the talk. Each attendee is recorded once per talk and earns `talks.attendeePoints` once;
 * the speaker earns `talks.speakerPoints` once when the talk ends. Points are ledger rows keyed by
 * talk and member, outside the daily cap (PointsService.adjustIn).
 */
export interface VoiceSession {
  joined_at: string;
  left_at: string | null;
}

/** Minutes of `sessions` inside [from, to]; an open session counts up to `now`. */
export function presenceMinutes(sessions: readonly VoiceSession[], from: string, to: string, now: Date): number {
  const a = Date.parse(from);
  const b = Math.min(Date.parse(to), now.getTime());
  let ms = 0;
  for (const s of sessions) {
    const start = Math.max(Date.parse(s.joined_at), a);
    const end = Math.min(s.left_at ? Date.parse(s.left_at) : now.getTime(), b);
    if (end > start) ms += end - start;
  }
  return ms / 60_000;
}

/** Where a level-up earned at a talk is announced when no announcements channel is set. */
export function talkPlace(community: Community, talk: TalkRow): Place {
  if (talk.announce_place) return JSON.parse(talk.announce_place) as Place;
  return settingPlace(community.settings.channels.talks) ?? { platform: "console", workspaceId: "local", channelId: "general" };
}

export class Attendance {
  constructor(private readonly points: PointsService) {}

  /** Records `memberId` as attending and gives the attendee points once; false if already recorded. */
  async attend(trx: Trx, community: Community, talk: TalkRow, member: { id: string; displayName: string }, via: "checkin" | "voice", at: string): Promise<boolean> {
    if (member.id === talk.speaker_id) return false;
    const first = await recordAttendance(trx, { talk_id: talk.id, member_id: member.id, display_name: member.displayName, via, at });
    if (!first) return false;
    await this.award(trx, community, talk, { key: `talk:${talk.id}:attendee:${member.id}`, member, amount: community.settings.talks.attendeePoints, reason: "talk:attendee", at });
    return true;
  }

  /** The speaker's points, once. */
  async speaker(trx: Trx, community: Community, talk: TalkRow, at: string): Promise<void> {
    const speaker = { id: talk.speaker_id, displayName: talk.speaker_name };
    await this.award(trx, community, talk, { key: `talk:${talk.id}:speaker:${talk.speaker_id}`, member: speaker, amount: community.settings.talks.speakerPoints, reason: "talk:speaker", at });
  }

  /** Points outside the daily cap, once per key; a setting of 0 gives none (and writes no row). */
  private async award(trx: Trx, community: Community, talk: TalkRow, a: { key: string; member: { id: string; displayName: string }; amount: number; reason: string; at: string }): Promise<void> {
    if (a.amount === 0) return;
    await this.points.adjustIn(trx, community, { key: a.key, member: a.member, amount: a.amount, reason: a.reason, sourceKey: `talk:${talk.id}`, at: new Date(a.at), place: talkPlace(community, talk) });
  }

  /**
   * A voice join or leave. Sessions are kept per channel and member; a join while already in the
   * channel, or a leave while not in it, changes nothing (events repeat). After each change the
   * member's time in every talk held in that channel is looked at.
   */
  async onVoice(trx: Trx, community: Community, event: { kind: "voice.joined" | "voice.left"; key: string; at: Date; place: Place; actor: { id: string; displayName: string; isBot: boolean } }): Promise<void> {
    if (event.actor.isBot) return;
    const channel = channelKey(event.place);
    const at = event.at.toISOString();
    const open = await openVoiceSession(trx, channel, event.actor.id);
    if (event.kind === "voice.joined") {
      if (open) return;
      await insertVoiceSession(trx, { key: event.key, community_id: community.id, channel_key: channel, member_id: event.actor.id, display_name: event.actor.displayName, joined_at: at, left_at: null });
      return;
    }
    if (!open) return;
    await closeVoiceSession(trx, open.key, at);
    for (const talk of await talksInChannel(trx, community.id, channel, open.joined_at, at)) {
      await this.judgeVoice(trx, community, talk, event.actor.id, event.actor.displayName, event.at);
    }
  }

  /**
   * Who is in voice on a workspace right now, as the platform says when the bot (re)connects.
   * Joins and leaves missed while the bot was away are reconciled: a member found in a channel with
   * no open session gets one from now; an open session whose member is no longer there is closed at
   * its own start — when they left is unknown, so the missed time earns nothing (never points for
   * time nobody saw).
   */
  async voiceSnapshot(trx: Trx, community: Community, where: Pick<Place, "platform" | "workspaceId">, present: readonly { channelId: string; actor: { id: string; displayName: string; isBot: boolean } }[], at: Date): Promise<{ opened: number; closed: number }> {
    const here = new Set(present.map((p) => `${channelKey({ ...where, channelId: p.channelId })}|${p.actor.id}`));
    let closed = 0;
    for (const s of await openVoiceSessionsIn(trx, community.id, `${where.platform}:${where.workspaceId}:`)) {
      if (here.has(`${s.channel_key}|${s.member_id}`)) continue;
      await closeVoiceSession(trx, s.key, s.joined_at);
      closed++;
    }
    let opened = 0;
    for (const p of present) {
      if (p.actor.isBot) continue;
      const channel = channelKey({ ...where, channelId: p.channelId });
      if (await openVoiceSession(trx, channel, p.actor.id)) continue;
      await insertVoiceSession(trx, { key: `snapshot:${channel}:${p.actor.id}:${at.getTime()}`, community_id: community.id, channel_key: channel, member_id: p.actor.id, display_name: p.actor.displayName, joined_at: at.toISOString(), left_at: null });
      opened++;
    }
    return { opened, closed };
  }

  /** At a talk's end: everyone still in (or who was in) its channel long enough attended. */
  async settleVoice(trx: Trx, community: Community, talk: TalkRow, now: Date): Promise<void> {
    if (!talk.where_channel) return;
    const sessions = await voiceSessions(trx, talk.where_channel, talk.starts_at, talk.ends_at);
    const names = new Map(sessions.map((s) => [s.member_id, s.display_name]));
    for (const [memberId, name] of names) await this.judgeVoice(trx, community, talk, memberId, name, now);
  }

  private async judgeVoice(trx: Trx, community: Community, talk: TalkRow, memberId: string, displayName: string, now: Date): Promise<void> {
    if (!talk.where_channel) return;
    const sessions = await voiceSessions(trx, talk.where_channel, talk.starts_at, talk.ends_at, memberId);
    const minutes = presenceMinutes(sessions, talk.starts_at, talk.ends_at, now);
    if (minutes >= community.settings.talks.attendanceMinutes) {
      const at = new Date(Math.min(now.getTime(), Date.parse(talk.ends_at))).toISOString();
      await this.attend(trx, community, talk, { id: memberId, displayName }, "voice", at);
    }
  }

  list(trx: Trx, talkId: string) {
    return attendanceOf(trx, talkId);
  }
}
