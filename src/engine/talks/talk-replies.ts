import { channelMention, memberText, mention, type Reply, type ReplyButton, time } from "../../core/reply.js";
import type { RsvpCounts } from "./rsvp.js";
import type { ProposalRow, TalkRow } from "./talks.repo.js";

/**
 * What talks say, in one wording for every platform. Member-typed text (titles, descriptions,
 * links) is always {@link memberText}; members and times are tokens, so each reader sees a native
 * mention and the time in their own zone where the platform can.
 */
export function whereText(talk: Pick<TalkRow, "where_channel" | "where_link">): string {
  const parts: string[] = [];
  if (talk.where_channel) parts.push(channelMention({ id: talk.where_channel }));
  if (talk.where_link) parts.push(memberText(talk.where_link));
  return parts.join(" · ") || "to be announced";
}

function minutes(talk: Pick<TalkRow, "starts_at" | "ends_at">): number {
  return Math.round((Date.parse(talk.ends_at) - Date.parse(talk.starts_at)) / 60_000);
}

function countsLine(talk: TalkRow, counts: RsvpCounts): string {
  const going = talk.capacity !== null ? `${counts.going}/${talk.capacity}` : String(counts.going);
  const waitlist = talk.capacity !== null ? ` · Waitlist ${counts.waitlist}` : "";
  return `Going ${going} · Maybe ${counts.maybe} · Can't go ${counts.no}${waitlist}`;
}

export function rsvpButtons(talkId: string): ReplyButton[] {
  return [
    { id: `talk:rsvp:${talkId}:going`, label: "Going", style: "primary" },
    { id: `talk:rsvp:${talkId}:maybe`, label: "Maybe", style: "secondary" },
    { id: `talk:rsvp:${talkId}:no`, label: "Can't go", style: "secondary" },
    { id: `talk:remind:${talkId}`, label: "DM me a reminder", style: "secondary" },
  ];
}

/** The announcement in `channels.talks`, edited in place on every RSVP and change. */
export function announcementReply(talk: TalkRow, counts: RsvpCounts): Reply {
  const start = new Date(talk.starts_at);
  const cancelled = talk.status === "cancelled";
  const lines = [
    `${cancelled ? "❌ Cancelled: " : "🎤 Tech talk: "}${memberText(talk.title)}`,
    `by ${mention({ id: talk.speaker_id, displayName: talk.speaker_name })}`,
    `${time(start, "full")} (${time(start, "relative")}), ${minutes(talk)} min`,
    `Where: ${whereText(talk)}`,
  ];
  if (talk.description) lines.push(memberText(talk.description));
  lines.push(cancelled ? "This talk was cancelled." : countsLine(talk, counts));
  lines.push(`Talk id: ${talk.id}`);
  return {
    title: `${cancelled ? "Cancelled: " : ""}${memberText(talk.title.slice(0, 200))}`,
    text: lines.join("\n"),
    tone: cancelled ? "warning" : "info",
    ...(cancelled ? {} : { buttons: rsvpButtons(talk.id) }),
  };
}

export function reminderReply(talk: TalkRow, minutesBefore: number): Reply {
  const start = new Date(talk.starts_at);
  return {
    text: `⏰ Reminder: ${memberText(talk.title)} by ${mention({ id: talk.speaker_id, displayName: talk.speaker_name })} starts ${time(start, "relative")} (${time(start, "short")}). Where: ${whereText(talk)}`,
    tone: "info",
    footer: `${minutesBefore} min reminder · talk ${talk.id}`,
  };
}

export function startingReply(talk: TalkRow): Reply {
  return {
    text: `▶️ Starting now: ${memberText(talk.title)} by ${mention({ id: talk.speaker_id, displayName: talk.speaker_name })}. Join: ${whereText(talk)}\nCheck in with \`/talk checkin ${talk.checkin_code}\` (until the talk ends) to collect your attendance points.`,
    tone: "success",
  };
}

export function changedDm(talk: TalkRow, what: string): Reply {
  return {
    text: `📣 ${memberText(talk.title)} (${time(new Date(talk.starts_at), "full")}) ${what}. Where: ${whereText(talk)}`,
    tone: talk.status === "cancelled" ? "warning" : "info",
  };
}

export function proposalCard(p: ProposalRow): Reply {
  const open = p.status === "open";
  return {
    title: `Talk proposal: ${memberText(p.title.slice(0, 200))}`,
    text: [
      `💡 Talk proposal from ${mention({ id: p.proposer_id, displayName: p.proposer_name })}: ${memberText(p.title)}`,
      ...(p.description ? [memberText(p.description)] : []),
      open ? "Organizers: schedule it or decline it." : p.status === "scheduled" ? "✅ Scheduled." : "Declined.",
    ].join("\n"),
    tone: open ? "info" : p.status === "scheduled" ? "success" : "warning",
    ...(open
      ? {
          buttons: [
            { id: `talk:proposal-schedule:${p.id}`, label: "Schedule", style: "primary" },
            { id: `talk:proposal-decline:${p.id}`, label: "Decline", style: "danger" },
          ],
        }
      : {}),
  };
}
