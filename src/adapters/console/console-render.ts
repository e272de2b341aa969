import { DateTime } from "luxon";
import { type Reply, renderTokens } from "../../core/reply.js";
import type { PointsOutcome } from "../../engine/points/outcome.js";

/** Plain-text rendering for the terminal: a reply becomes indented lines after `bot:`. */
export function renderReply(reply: Reply, timezone: string): string[] {
  const text = (s: string) =>
    renderTokens(s, {
      member: (_id, name) => `@${name}`,
      channel: (_id, name) => `#${name}`,
      role: (_id, name) => `@${name}`,
      literal: (text) => text,
      time: (at, style) => {
        const dt = DateTime.fromJSDate(at, { zone: timezone });
        return style === "date" ? dt.toFormat("ccc d LLL yyyy") : style === "relative" ? (dt.toRelative() ?? dt.toISO()!) : dt.toFormat("ccc d LLL yyyy HH:mm ZZZZ");
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
  if (reply.buttons?.length) {
    lines.push(`buttons: ${reply.buttons.map((b, i) => `[${i + 1}] ${b.label}${b.disabled ? " (current)" : ""}`).join("  ")} — /press <n>`);
  }
  const head = reply.ephemeral ? "bot (only you): " : "bot: ";
  return lines.map((line, i) => (i === 0 ? head : " ".repeat(head.length)) + line);
}

/** One line per award, refusal and level-up, e.g. `  +5 ada (post) · 15 points`. */
export function renderOutcome(outcome: PointsOutcome): string[] {
  if (outcome.duplicate) return ["  (already counted)"];
  const lines = outcome.awards.map((a) => `  ${a.amount >= 0 ? "+" : ""}${a.amount} ${a.displayName} (${a.reason}) · ${a.total} points`);
  for (const s of outcome.skipped) lines.push(`  no points${s.memberId ? ` for ${s.memberId.split(":").pop()}` : ""}: ${s.reason}`);
  for (const l of outcome.levelUps) lines.push(`  ★ ${l.displayName} reached level ${l.level}`);
  return lines;
}
