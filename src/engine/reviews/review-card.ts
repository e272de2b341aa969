import { memberText, mention, type Reply, time } from "../../core/reply.js";
import type { ReviewRow } from "./reviews.repo.js";
import { labelOf } from "./review-subject.js";

/**
 * What the reviews capability says, the same words on every platform: the card in
 * `channels.reviews` (edited in place on every change, so it always shows where the request
 * stands), the list line, and the DMs. Everything a member typed — the link, the snippet, the
 * description — is {@link memberText}; members are mentions. Buttons are `review:<action>:<number>`.
 */
export const claimButton = (number: number) => `review:claim:${number}`;
export const doneButton = (number: number) => `review:done:${number}`;
export const releaseButton = (number: number) => `review:release:${number}`;

const requesterOf = (r: ReviewRow) => mention({ id: r.requester_id, displayName: r.requester_name });
const claimerOf = (r: ReviewRow) => (r.claimer_id ? mention({ id: r.claimer_id, ...(r.claimer_name ? { displayName: r.claimer_name } : {}) }) : "nobody");
const releasedOf = (r: ReviewRow) => mention({ id: r.released_id ?? "", ...(r.released_name ? { displayName: r.released_name } : {}) });

/** "GitHub pull request https://…" or "Snippet “…”", as member text. */
export function subjectText(r: Pick<ReviewRow, "subject_kind" | "subject">, max = 500): string {
  if (r.subject_kind === "url") return `${labelOf(new URL(r.subject))}: ${memberText(r.subject)}`;
  const chars = Array.from(r.subject.replace(/\s+/g, " "));
  return `Snippet: “${memberText(chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join(""))}”`;
}

export function hoursText(hours: number): string {
  return hours === 1 ? "1 hour" : `${hours} hours`;
}

const pointsText = (n: number) => (n === 1 ? "1 point" : `${n} points`);

/** The state line of the card. */
function stateLines(r: ReviewRow): string[] {
  switch (r.status) {
    case "open": {
      const note =
        r.released_how === "lapsed"
          ? [`⌛ ${releasedOf(r)}'s claim lapsed (not marked done in time): it's open again.`]
          : r.released_how === "released"
            ? [`↩️ ${releasedOf(r)} let it go: it's open again.`]
            : [];
      return [...note, "🟢 Open — press Claim to review it (not your own)."];
    }
    case "claimed":
      return [
        `👀 ${claimerOf(r)} is reviewing — reply in this thread.`,
        `Claimed ${time(new Date(r.claimed_at!), "short")}; released again if not marked done by ${time(new Date(r.claim_until!), "short")}. Only ${requesterOf(r)} can mark it done.`,
      ];
    case "done":
      return [`✅ Done — reviewed by ${claimerOf(r)}${r.points ? ` (+${pointsText(r.points)})` : ""}, marked ${time(new Date(r.closed_at!), "short")}. Thank you!`];
    case "cancelled":
      return [`🚫 Cancelled by ${r.closed_by && r.closed_by !== r.requester_id ? `a moderator (${mention({ id: r.closed_by })})` : requesterOf(r)} ${time(new Date(r.closed_at!), "short")}.`];
  }
}

/** The card of request #n as it now stands. */
export function reviewCard(r: ReviewRow): Reply {
  const lines = [`🔍 Code review #${r.number} requested by ${requesterOf(r)}`, subjectText(r), ...(r.description ? [`“${memberText(r.description)}”`] : []), ...stateLines(r)];
  const buttons =
    r.status === "open"
      ? [{ id: claimButton(r.number), label: "Claim", style: "primary" as const }]
      : r.status === "claimed"
        ? [
            { id: doneButton(r.number), label: "Done (requester)", style: "primary" as const },
            { id: releaseButton(r.number), label: "Release (reviewer)", style: "secondary" as const },
          ]
        : [];
  return {
    title: `Code review #${r.number}`,
    text: lines.join("\n"),
    tone: r.status === "done" ? "success" : r.status === "cancelled" ? "info" : r.status === "claimed" ? "info" : "warning",
    ...(buttons.length ? { buttons } : {}),
  };
}

/** One line of `/review list`. */
export function listLine(r: ReviewRow): string {
  const who = r.status === "claimed" ? `claimed by ${claimerOf(r)}` : "open";
  return `#${r.number} · ${requesterOf(r)} · ${subjectText(r, 80)} · ${who} · asked ${time(new Date(r.created_at), "relative")}`;
}

/** To the reviewer, when the requester marks it done. */
export function thankedDm(r: ReviewRow): Reply {
  const earned = r.points ? ` You earned ${pointsText(r.points)}.` : "";
  return { text: `✅ ${requesterOf(r)} marked code review #${r.number} done — thank you for reviewing!${earned}`, tone: "success" };
}

/** To the claimer whose claim lapsed (`r` as it was, still claimed). */
export function lapsedDm(r: ReviewRow): Reply {
  const claimHours = Math.round((Date.parse(r.claim_until!) - Date.parse(r.claimed_at!)) / 3_600_000);
  return {
    text: `⌛ Your claim on code review #${r.number} (${subjectText(r, 80)}) lapsed: it wasn't marked done within ${hoursText(claimHours)}, so it's open for others again. Still on it? Claim it again with /review claim ${r.number}.`,
    tone: "info",
  };
}

/** To the claimer, when a request they were reviewing is cancelled (by the requester or a moderator). */
export function cancelledDm(r: ReviewRow): Reply {
  const by = r.closed_by && r.closed_by !== r.requester_id ? `A moderator (${mention({ id: r.closed_by })})` : requesterOf(r);
  return { text: `🚫 ${by} cancelled code review #${r.number}, which you had claimed: no need to review it any more.`, tone: "info" };
}
