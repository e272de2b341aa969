import { DateTime } from "luxon";
import { type Reply, renderTokens } from "../../core/reply.js";

/**
 * Plain-text rendering for the terminal: a reply becomes indented lines after `bot:`. `now` is the
 * console's clock (which `/wait` moves), so "in 2 hours" is relative to the community's time.
 * `pictureLines` say where the reply's pictures were saved, if anywhere.
 */
export function renderReply(reply: Reply, timezone: string, now?: Date, pictureLines: readonly string[] = []): string[] {
  const text = (s: string) =>
    renderTokens(s, {
      member: (_id, name) => `@${name}`,
      channel: (_id, name) => `#${name}`,
      role: (_id, name) => `@${name}`,
      literal: (text) => text,
      time: (at, style) => {
        const dt = DateTime.fromJSDate(at, { zone: timezone });
        return style === "date" ? dt.toFormat("ccc d LLL yyyy") : style === "relative" ? (dt.toRelative(now ? { base: DateTime.fromJSDate(now, { zone: timezone }) } : {}) ?? dt.toISO()!) : dt.toFormat("ccc d LLL yyyy HH:mm ZZZZ");
      },
    });
  const lines: string[] = [];
  if (reply.ranking) {
    if (reply.title) lines.push(text(reply.title));
    for (const row of reply.ranking.rows) {
      lines.push(`${String(row.rank).padStart(2)}. ${text(row.name)} — ${row.value} ${reply.ranking.valueLabel}${row.note ? ` (${row.note})` : ""}`);
    }
  } else {
    // `text` is a complete answer by contract; fields only restructure it for richer platforms.
    lines.push(...text(reply.text).split("\n"));
  }
  if (reply.footer) lines.push(text(reply.footer));
  // Where the reply's pictures were saved (console-pictures.ts); the text above is complete without them.
  lines.push(...pictureLines);
  if (reply.buttons?.length) {
    lines.push(`buttons: ${reply.buttons.map((b, i) => `[${i + 1}] ${b.label}${b.disabled ? " (current)" : ""}`).join("  ")} — /press <n>`);
  }
  const head = reply.ephemeral ? "bot (only you): " : "bot: ";
  return lines.map((line, i) => (i === 0 ? head : " ".repeat(head.length)) + line);
}
