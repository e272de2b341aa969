import type { Place } from "../../core/identity.js";
import { channelMention, memberText, mention, type Reply, time } from "../../core/reply.js";
import type { ItemRow } from "./moderation.repo.js";
import { messageLink } from "./message-links.js";
import { defangLinks } from "./quality/links.js";
import { isSubjectItem } from "./subject-items.js";

/**
 * The queue card moderators see in `channels.modQueue`, and what it becomes once decided: the same
 * words on every platform. Buttons are `mod:<action>:<item number>`.
 */
export const REASON_LABELS: Record<string, string> = {
  "low-quality": "low quality",
  "banned-word": "banned word",
  "duplicate-spam": "same text in several channels",
  "mention-storm": "mention storm",
  "invite-spam": "invite spam",
  "scam-link": "scam link",
  reported: "reported by members",
  "tip-collusion": "tips back and forth",
};

export interface CardContext {
  item: ItemRow;
  /** The author's display name, when known. */
  authorName?: string;
  decidedByName?: string;
  /** Set on a Remove where the platform does not let the bot delete a member's message (Slack). */
  cannotDelete?: boolean;
}

const EXCERPT = 280;

export function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1)}…` : flat;
}

/**
 * A stored excerpt as moderators see it (card, `/mod queue`): member text, never markup or a
 * mention, and with its links defanged so that a scam link is not one click away.
 */
export function shownExcerpt(excerpt: string, max = EXCERPT): string {
  // A subject item's excerpt has lines (its summary, then the history); a list shows them on one.
  const chars = Array.from(excerpt.replace(/\n/g, " · "));
  const cut = chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : excerpt;
  return memberText(defangLinks(cut));
}

function reasonsOf(item: ItemRow): string {
  return (JSON.parse(item.reasons) as string[]).map((r) => REASON_LABELS[r] ?? r).join(", ");
}

function scoreOf(item: ItemRow): string {
  if (item.q === null) return "not scored";
  return item.z === null ? `q ${item.q.toFixed(2)} (warm-up)` : `q ${item.q.toFixed(2)}, z ${item.z.toFixed(1)}`;
}

export function reviewCard(c: CardContext): Reply {
  if (isSubjectItem(c.item)) return subjectCard(c);
  const { item } = c;
  const place = JSON.parse(item.place) as Place;
  const link = messageLink(item.message_key, place);
  const author = mention({ id: item.member_id, ...(c.authorName ? { displayName: c.authorName } : {}) });
  const channel = channelMention({ id: `${place.platform}:${place.workspaceId}:${place.channelId}` });
  const reports = item.reporters > 0 ? `${item.reporters} report${item.reporters === 1 ? "" : "s"} (weight ${item.report_weight.toFixed(1)})` : "none";
  const lines = [
    `Review #${item.number}: ${reasonsOf(item)}`,
    `${author} in ${channel} · ${scoreOf(item)} · reports: ${reports}`,
    item.excerpt ? `“${shownExcerpt(item.excerpt)}”` : "(the text was not seen by the bot: open the message)",
    ...(link ? [link] : []),
    ...(item.edited_at ? [`✏️ Edited by the author after it was flagged (${time(new Date(item.edited_at), "short")}).`] : []),
  ];
  const decided = item.status !== "open" && item.decided_by !== null && item.decided_at !== null;
  if (decided) {
    const by = mention({ id: item.decided_by!, ...(c.decidedByName ? { displayName: c.decidedByName } : {}) });
    const verb = item.status === "approved" ? "✅ Approved" : "🗑️ Removed";
    const why = item.decision_reason ? `: ${memberText(item.decision_reason)}` : "";
    lines.push(`${verb} by ${by} ${time(new Date(item.decided_at!), "short")}${why}`);
    if (item.status === "removed" && (c.cannotDelete ?? place.platform === "slack")) {
      lines.push(`Slack doesn't let a bot delete members' messages: a workspace admin can delete it${link ? ` here: ${link}` : " in the channel"}. Its points were taken back.`);
    }
  }
  return {
    title: `Review #${item.number}`,
    text: lines.join("\n"),
    tone: decided ? (item.status === "approved" ? "success" : "info") : "warning",
    fields: [
      { name: "Reasons", value: reasonsOf(item), inline: true },
      { name: "Score", value: scoreOf(item), inline: true },
      { name: "Reports", value: reports, inline: true },
    ],
    ...(decided
      ? {}
      : {
          buttons: [
            { id: `mod:approve:${item.number}`, label: "Approve", style: "primary" as const },
            { id: `mod:remove:${item.number}`, label: "Remove", style: "danger" as const },
            { id: `mod:penalise:${item.number}`, label: "Remove and penalise", style: "danger" as const },
          ],
        }),
  };
}

/**
 * The card of an item about no single message (tips between two members): its summary and history
 * line by line, and two decisions — nothing to delete, no points to take back. "Confirm" records
 * that moderators agree; points are corrected, if at all, with `/mod adjust`.
 */
function subjectCard(c: CardContext): Reply {
  const { item } = c;
  const place = JSON.parse(item.place) as Place;
  const channel = channelMention({ id: `${place.platform}:${place.workspaceId}:${place.channelId}` });
  const [summary = "", ...history] = item.excerpt.split("\n");
  const lines = [`Review #${item.number}: ${reasonsOf(item)}`, `${shownExcerpt(summary, 1000)} (last in ${channel})`, ...history.map((line) => `• ${shownExcerpt(line, 300)}`)];
  const decided = item.status !== "open" && item.decided_by !== null && item.decided_at !== null;
  if (decided) {
    const by = mention({ id: item.decided_by!, ...(c.decidedByName ? { displayName: c.decidedByName } : {}) });
    const verb = item.status === "approved" ? "✅ Looks fine, said" : "⚠️ Confirmed by";
    const why = item.decision_reason ? `: ${memberText(item.decision_reason)}` : "";
    lines.push(`${verb} ${by} ${time(new Date(item.decided_at!), "short")}${why}`);
    if (item.status === "removed") lines.push("Nothing was deleted or taken back; correct points with /mod adjust if needed.");
  }
  return {
    title: `Review #${item.number}`,
    text: lines.join("\n"),
    tone: decided ? (item.status === "approved" ? "success" : "info") : "warning",
    fields: [{ name: "Reasons", value: reasonsOf(item), inline: true }],
    ...(decided
      ? {}
      : {
          buttons: [
            { id: `mod:approve:${item.number}`, label: "Looks fine", style: "primary" as const },
            { id: `mod:remove:${item.number}`, label: "Confirm", style: "danger" as const },
          ],
        }),
  };
}
