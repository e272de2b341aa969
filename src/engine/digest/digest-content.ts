import { memberText, mention, type Reply, time } from "../../core/reply.js";
import type { DigestWeek } from "./digest-week.js";
import type { WeekHealth } from "./health.service.js";
import { healthLine } from "./health.service.js";
import type { Honor } from "./honors.js";
import { HONOR_TITLES } from "./honors.js";
import type { DigestAttachment, ShoutOut } from "./seams.js";
import type { TalkLine } from "./digest.repo.js";
import type { Newcomer } from "./week-scan.repo.js";

/** Everything one digest says, read and decided; {@link digestReply} only words it. */
export interface DigestData {
  week: DigestWeek;
  top: { rank: number; memberId: string; displayName: string; points: number; level: number }[];
  movers: { memberId: string; displayName: string; rank: number; previousRank: number }[];
  newcomers: Newcomer[];
  totals: { points: number; messages: number; active: number };
  talksComing: TalkLine[];
  talksHeld: number;
  honors: Honor[];
  shoutOut: ShoutOut | undefined;
  health: WeekHealth;
}

const who = (m: { memberId: string; displayName: string }) => mention({ id: m.memberId, displayName: m.displayName });
const n = (x: number) => x.toLocaleString("en-US");

/**
 * The digest's words, the same on every platform: `text` is the whole digest (the console, screen
 * readers, Slack's notification), the fields and ranking add structure where a platform can show it.
 * Member-written things (names, talk titles, sponsor blurbs) are mentions or member text, never markup.
 */
export function digestReply(d: DigestData, picture?: DigestAttachment): Reply & { attachments?: DigestAttachment[] } {
  const title = `Weekly digest — ${d.week.label}`;
  const sections: { name: string; lines: string[] }[] = [];
  sections.push({
    name: "Top 10",
    lines: d.top.length ? d.top.map((r) => `${r.rank}. ${who(r)} — ${n(r.points)} points (level ${r.level})`) : ["Nobody earned points this week."],
  });
  if (d.movers.length) sections.push({ name: "Biggest movers", lines: d.movers.map((m) => `↑${m.previousRank - m.rank} ${who(m)} (#${m.previousRank} → #${m.rank})`) });
  if (d.newcomers.length) sections.push({ name: "Newcomers", lines: [d.newcomers.map((m) => `${who(m)} (${n(m.points)} points)`).join(", ")] });
  sections.push({ name: "The week", lines: [`${n(d.totals.points)} points · ${n(d.totals.messages)} messages · ${n(d.totals.active)} active members`] });
  if (d.honors.length) sections.push({ name: "Honors", lines: d.honors.map((h) => `${HONOR_TITLES[h.honor].emoji} ${HONOR_TITLES[h.honor].title}: ${who(h)} (${HONOR_TITLES[h.honor].value(h.value)})`) });
  const talks = d.talksComing.map((t) => `${time(new Date(t.startsAt), "short")} ${memberText(t.title)} — ${mention({ id: t.speakerId, displayName: t.speakerName })}`);
  sections.push({
    name: "Talks",
    lines: [...(talks.length ? talks : ["No talks scheduled this week."]), `${d.talksHeld} talk${d.talksHeld === 1 ? "" : "s"} held last week.`],
  });
  if (d.shoutOut) sections.push({ name: "Thanks to our sponsor", lines: [`${memberText(d.shoutOut.name)} — ${memberText(d.shoutOut.blurb)} ${memberText(d.shoutOut.url)}`] });
  sections.push({ name: "Health", lines: [healthLine(d.health)] });

  const reply: Reply & { attachments?: DigestAttachment[] } = {
    title,
    text: [title, ...sections.flatMap((s) => ["", `${s.name}:`, ...s.lines])].join("\n"),
    fields: sections.filter((s) => s.name !== "Top 10").map((s) => ({ name: s.name, value: s.lines.join("\n").slice(0, 1024), inline: false })),
    ...(d.top.length
      ? { ranking: { valueLabel: "points", rows: d.top.map((r) => ({ rank: r.rank, name: who(r), value: r.points, note: `level ${r.level}` })) } }
      : {}),
    tone: "info",
  };
  if (picture) reply.attachments = [picture];
  return reply;
}
