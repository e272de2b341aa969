import ical, { ICalEventRepeatingFreq } from "ical-generator";
import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import type { Database } from "../../db/schema.js";
import { occurrences } from "./recurrence.js";
import type { TalkRow } from "./talks.repo.js";

/**
 * The community's upcoming talks as an iCalendar (.ics) document: `npm run talks:ics` prints it, and
 * the HTTP server of a later issue can serve it. A one-off talk is one VEVENT; a series is one
 * VEVENT carrying its RRULE, written in the series' zone (TZID) so calendars keep it at the same
 * local time across DST, with an EXDATE for each cancelled occurrence and an overriding VEVENT
 * (RECURRENCE-ID) for each occurrence that was moved or changed.
 */
export interface CalendarOptions {
  /** Calendar name shown by calendar apps. */
  name: string;
  now: Date;
  /** Ids are made unique across communities with this domain (`<talk>@<domain>`). */
  domain?: string;
}

/** Member-typed text, shown as plain text in the calendar (descriptions, links). */
function describe(talk: TalkRow): string {
  return [talk.description, `Speaker: ${talk.speaker_name}`, talk.where_link ? `Join: ${talk.where_link}` : ""].filter(Boolean).join("\n");
}

export async function talksCalendar(db: Kysely<Database>, communityId: string, o: CalendarOptions): Promise<string> {
  const now = o.now.toISOString();
  const domain = o.domain ?? "guildkeeper.local";
  const calendar = ical({ name: o.name, prodId: { company: "guildkeeper", product: "talks" } });
  const talks = await db.selectFrom("talks").selectAll().where("community_id", "=", communityId).orderBy("starts_at").execute();
  const series = new Map<string, TalkRow[]>();
  for (const talk of talks) {
    if (talk.series_id) series.set(talk.series_id, [...(series.get(talk.series_id) ?? []), talk]);
    else if (talk.status === "scheduled" && talk.ends_at > now) {
      calendar.createEvent({ id: `${talk.id}@${domain}`, start: new Date(talk.starts_at), end: new Date(talk.ends_at), summary: talk.title, description: describe(talk), stamp: new Date(talk.updated_at), sequence: Number(talk.version), ...(talk.where_link ? { url: talk.where_link } : {}) });
    }
  }
  for (const [seriesId, members] of series) {
    if (!members.some((t) => t.status === "scheduled" && t.ends_at > now)) continue;
    const row = await db.selectFrom("talk_series").selectAll().where("id", "=", seriesId).executeTakeFirst();
    if (!row) continue;
    const planned = occurrences(row.rrule, row.timezone);
    const first = planned[0]!;
    const template = members.find((t) => t.occurrence === first.local) ?? members[0]!;
    const rule = /RRULE:([^\n]+)/.exec(row.rrule)![1]!;
    const part = (name: string) => new RegExp(`${name}=([^;]+)`).exec(rule)?.[1];
    const durationMs = Date.parse(template.ends_at) - Date.parse(template.starts_at);
    // ical-generator writes a plain Date's UTC wall time next to the TZID: give it zoned luxon times.
    const zoned = (at: Date) => DateTime.fromJSDate(at, { zone: row.timezone });
    const cancelled = members.filter((t) => t.status === "cancelled" && t.occurrence).map((t) => zoned(planned.find((p) => p.local === t.occurrence)!.at));
    calendar.createEvent({
      id: `${seriesId}@${domain}`,
      start: zoned(first.at),
      end: zoned(new Date(first.at.getTime() + durationMs)),
      timezone: row.timezone,
      summary: template.title,
      description: describe(template),
      stamp: new Date(row.created_at),
      ...(template.where_link ? { url: template.where_link } : {}),
      repeating: {
        freq: part("FREQ") === "MONTHLY" ? ICalEventRepeatingFreq.MONTHLY : ICalEventRepeatingFreq.WEEKLY,
        interval: Number(part("INTERVAL") ?? 1),
        count: Number(part("COUNT") ?? planned.length),
        ...(cancelled.length ? { exclude: cancelled } : {}),
      },
    });
    // Occurrences that no longer match the rule or the template: an override each.
    for (const t of members) {
      if (t.status !== "scheduled" || !t.occurrence) continue;
      const original = planned.find((p) => p.local === t.occurrence);
      if (!original) continue;
      const same = t.starts_at === original.at.toISOString() && Date.parse(t.ends_at) - Date.parse(t.starts_at) === durationMs && t.title === template.title && t.description === template.description && t.where_link === template.where_link;
      if (same) continue;
      calendar.createEvent({ id: `${seriesId}@${domain}`, recurrenceId: zoned(original.at), timezone: row.timezone, start: zoned(new Date(t.starts_at)), end: zoned(new Date(t.ends_at)), summary: t.title, description: describe(t), stamp: new Date(t.updated_at), sequence: Number(t.version) });
    }
  }
  return calendar.toString();
}
