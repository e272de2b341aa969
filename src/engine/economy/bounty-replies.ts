import { DateTime } from "luxon";
import { channelKey, type Place } from "../../core/identity.js";
import { channelMention, memberText, mention, type Reply } from "../../core/reply.js";
import type { BountyRow } from "./bounties.repo.js";

/** "Tue 8 Dec 2026, 12:00 (Europe/Berlin)": when a bounty expires, in the community's timezone. */
export function localTime(at: Date | string, timezone: string): string {
  const local = DateTime.fromJSDate(new Date(at), { zone: timezone });
  return `${local.toFormat("ccc d LLL yyyy, HH:mm")} (${timezone})`;
}

/**
 * How a bounty's question is named in a reply: its link where the platform has one; else (the
 * console) the thread's channel, or the message key the member gave.
 */
export function questionText(bounty: Pick<BountyRow, "question_key" | "question_link" | "question_place">): string {
  if (bounty.question_link) return memberText(bounty.question_link);
  if (bounty.question_place) {
    const place = JSON.parse(bounty.question_place) as Place;
    return `a thread in ${channelMention({ id: channelKey(place) })}`;
  }
  return memberText(bounty.question_key);
}

export function points(n: number): string {
  return `${n} point${n === 1 ? "" : "s"}`;
}

/** "40-point", for "the 40-point bounty". */
export const pointAdjective = (n: number) => `${n}-point`;

export const posterOf = (b: BountyRow) => mention({ id: b.poster_id, displayName: b.poster_name });
export const answererOf = (b: BountyRow) => mention({ id: b.answerer_id ?? "", displayName: b.answerer_name ?? undefined });

/** What the answerer is told, in the question's thread (a post) or by DM. */
export function awardedNotice(b: BountyRow, inThread: boolean): Reply {
  const text = inThread
    ? `🏅 ${answererOf(b)} receives the ${pointAdjective(b.amount)} bounty ${posterOf(b)} put on this question. It is marked solved — thank you!`
    : `🏅 You received the ${pointAdjective(b.amount)} bounty ${posterOf(b)} put on ${questionText(b)}: your answer solved it. The points are in your balance.`;
  return { text, tone: "success" };
}

/** What the poster is told by DM when their bounty expired unawarded. */
export function expiredNotice(b: BountyRow, balance: number): Reply {
  return { text: `⌛ Your ${pointAdjective(b.amount)} bounty on ${questionText(b)} expired without an award, so the ${points(b.amount)} are back in your balance (now ${points(balance)}).`, tone: "info" };
}
