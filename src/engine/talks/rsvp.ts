import type { RsvpRow, RsvpStatus } from "./talks.repo.js";

/**
 * RSVP rules, pure: what one member's answer does to a talk's list. With a capacity, a Going beyond
 * it joins the waitlist; a Going member who drops out frees a place for the first on the waitlist
 * (who asked earliest), who is promoted and told. Pressing the answer you already gave changes nothing.
 */
export type Answer = "going" | "maybe" | "no";

/** What one answer did. */
export interface RsvpChange {
  /** Rows to save (the member's, and any promoted member's). */
  save: RsvpRow[];
  /** Where the member now stands; `unchanged` when they pressed what they had already said. */
  result: RsvpStatus | "unchanged";
  /** Members moved from the waitlist to Going, in order. */
  promoted: RsvpRow[];
}

export interface RsvpCounts {
  going: number;
  maybe: number;
  no: number;
  waitlist: number;
}

export function countRsvps(rows: readonly Pick<RsvpRow, "status">[]): RsvpCounts {
  const counts: RsvpCounts = { going: 0, maybe: 0, no: 0, waitlist: 0 };
  for (const r of rows) counts[r.status]++;
  return counts;
}

export function applyAnswer(
  rows: readonly RsvpRow[],
  capacity: number | null,
  answer: { talkId: string; memberId: string; displayName: string; answer: Answer; at: string },
): RsvpChange {
  const mine = rows.find((r) => r.member_id === answer.memberId);
  const wanted: RsvpStatus = answer.answer;
  if (mine && (mine.status === wanted || (wanted === "going" && mine.status === "waitlist"))) return { save: [], result: "unchanged", promoted: [] };

  const others = rows.filter((r) => r.member_id !== answer.memberId);
  const goingOthers = others.filter((r) => r.status === "going").length;
  let status: RsvpStatus = wanted;
  if (wanted === "going" && capacity !== null && goingOthers >= capacity) status = "waitlist";
  const entersQueue = status === "going" || status === "waitlist";
  const row: RsvpRow = {
    talk_id: answer.talkId,
    member_id: answer.memberId,
    display_name: answer.displayName,
    status,
    // A DM reminder is for Going members who asked for one; dropping out forgets it.
    remind: entersQueue ? (mine?.remind ?? 0) : 0,
    asked_at: entersQueue ? answer.at : (mine?.asked_at ?? answer.at),
    updated_at: answer.at,
  };
  const after = [...others, row];
  const promoted = fillFromWaitlist(after, capacity, answer.at);
  return { save: [row, ...promoted], result: status, promoted };
}

/**
 * Moves members from the waitlist to Going while there is room (after a drop-out, or a capacity
 * raised by an edit), earliest first. Returns the promoted rows, already changed.
 */
export function fillFromWaitlist(rows: RsvpRow[], capacity: number | null, at: string): RsvpRow[] {
  const going = rows.filter((r) => r.status === "going").length;
  const room = capacity === null ? Number.POSITIVE_INFINITY : capacity - going;
  if (room <= 0) return [];
  const waiting = rows.filter((r) => r.status === "waitlist").sort((a, b) => (a.asked_at === b.asked_at ? a.member_id.localeCompare(b.member_id) : a.asked_at < b.asked_at ? -1 : 1));
  const promoted = waiting.slice(0, room === Number.POSITIVE_INFINITY ? waiting.length : room);
  for (const r of promoted) {
    r.status = "going";
    r.updated_at = at;
  }
  return promoted;
}
