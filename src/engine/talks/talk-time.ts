import { DateTime } from "luxon";
import { loadOnFirstUse } from "../load-on-first-use.js";
import { parseLocalTime } from "../../core/options.js";
import { memberText } from "../../core/reply.js";

/**
 * Reads a talk's start as an organizer typed it — an ISO date ("2026-12-03 18:00") or natural
 * language ("next thursday 18:00", "in 2 hours", "tomorrow 9am") — in the community's timezone.
 *
 * chrono-node knows time-zone abbreviations, not IANA zones, so the text is parsed against the
 * community's *wall clock* written as if it were UTC, and the wall time it finds is then placed in
 * the zone with luxon (which knows each zone's daylight-saving rules). An offset written in the text
 * ("18:00 UTC", "+01:00") is honoured as given.
 *
 * What the member typed is echoed in the messages through memberText(): it never becomes markup,
 * a mention or a link.
 */
export type StartParse =
  | { ok: true; at: Date; understood: string }
  | { ok: false; reason: "unparseable" | "ambiguous" | "past" | "too-far"; understood?: string; message: string };

/**
 * chrono-node, loaded on the first start typed in words rather than at start: it costs a process
 * ~3.5 MiB of heap (~4 MiB of memory) and is used only by /talk schedule and edit.
 */
const chrono = loadOnFirstUse<typeof import("chrono-node")>("chrono-node");

/** How far ahead a talk may be scheduled. */
const MAX_AHEAD_DAYS = 366 * 2;

export function parseStart(text: string, timezone: string, now: Date): StartParse {
  const typed = text.trim();
  const iso = parseLocalTime(typed, timezone);
  if (iso) return judge(iso, typed, timezone, now);

  const wallNow = DateTime.fromJSDate(now, { zone: timezone });
  // The wall clock as a UTC instant: chrono then reads "tomorrow 9am" in wall-clock terms.
  const reference = new Date(Date.UTC(wallNow.year, wallNow.month - 1, wallNow.day, wallNow.hour, wallNow.minute, wallNow.second));
  const results = chrono().parse(typed, { instant: reference, timezone: 0 }, { forwardDate: true });
  if (results.length === 0) {
    return { ok: false, reason: "unparseable", message: `I couldn't read a date or time in “${memberText(typed)}”. Try “2026-12-03 18:00”, “next thursday 18:00”, “tomorrow 9am” or “in 2 hours” (${timezone}).` };
  }
  const first = results[0]!;
  if (results.length > 1) {
    const all = results.map((r) => `“${memberText(r.text)}”`).join(" and ");
    return { ok: false, reason: "ambiguous", understood: first.text, message: `“${memberText(typed)}” holds more than one time (${all}); give just one, e.g. “next thursday 18:00”.` };
  }
  const start = first.start;
  let at: Date;
  if (start.isCertain("timezoneOffset")) {
    // Written with its own offset ("18:00 UTC") or relative ("in 2 hours"): no wall clock is
    // involved, so read it again against the true instant.
    const again = chrono().parse(typed, { instant: now, timezone: 0 }, { forwardDate: true })[0];
    at = again ? again.start.date() : start.date();
  } else {
    const local = DateTime.fromObject(
      { year: start.get("year")!, month: start.get("month")!, day: start.get("day")!, hour: start.get("hour")!, minute: start.get("minute")! },
      { zone: timezone },
    );
    if (!local.isValid) return { ok: false, reason: "unparseable", message: `“${memberText(typed)}” doesn't name a real time in ${timezone}.` };
    at = local.toJSDate();
  }
  const understood = describe(at, timezone);
  if (!start.isCertain("hour")) {
    return { ok: false, reason: "ambiguous", understood, message: `I read “${memberText(first.text)}” as ${understood.split(" at ")[0]}, but no time of day. Add one, e.g. “${memberText(`${first.text} 18:00`)}”.` };
  }
  const leftover = typed.replace(first.text, "").replace(/\b(at|on|the|from|starting)\b/gi, "").trim();
  if (/[\p{L}\p{N}]/u.test(leftover)) {
    return { ok: false, reason: "ambiguous", understood, message: `I read “${memberText(first.text)}” as ${understood}, but not “${memberText(leftover)}”. Write only the date and time, e.g. “next thursday 18:00”.` };
  }
  return judge(at, typed, timezone, now);
}

function judge(at: Date, typed: string, timezone: string, now: Date): StartParse {
  const understood = describe(at, timezone);
  if (at.getTime() <= now.getTime()) {
    return { ok: false, reason: "past", understood, message: `“${memberText(typed)}” is ${understood}, which has already passed. Give a time in the future.` };
  }
  if (at.getTime() - now.getTime() > MAX_AHEAD_DAYS * 86_400_000) {
    return { ok: false, reason: "too-far", understood, message: `“${memberText(typed)}” is ${understood}: talks can be scheduled at most two years ahead.` };
  }
  return { ok: true, at, understood };
}

/** "Thursday 3 December 2026 at 18:00 (Europe/Berlin)": how the bot understood a time. */
export function describe(at: Date, timezone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  return `${local.toFormat("cccc d LLLL yyyy")} at ${local.toFormat("HH:mm")} (${timezone})`;
}
