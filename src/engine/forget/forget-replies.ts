import { parseNamespacedId } from "../../core/identity.js";
import { platformName } from "../people/link-codes.js";
import type { ForgetPreview, ForgetResult } from "./forget.service.js";

/** What `/forget-me` and `npm run forget` say: the same words, so an admin tells a member what they get. */

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The confirmation's lines: what goes, what stays, what the bot cannot do. `you` is "you" or "they". */
export function previewLines(p: ForgetPreview, memberId: string, you: "you" | "they" = "you"): string[] {
  const your = you === "you" ? "your" : "their";
  const r = (table: string) => p.rows[table] ?? 0;
  const linked = p.accounts.filter((a) => a !== memberId).map((a) => platformName(parseNamespacedId(a)?.platform ?? a));
  const wrote = [
    r("feedback") && plural(r("feedback"), "piece of feedback", "pieces of feedback"),
    r("code_reviews") && plural(r("code_reviews"), "code review", "code reviews"),
    r("talk_proposals") && plural(r("talk_proposals"), "talk proposal", "talk proposals"),
    r("tips") && plural(r("tips"), "tip and its reason", "tips and their reasons"),
    r("mod_items") && plural(r("mod_items"), "moderation excerpt", "moderation excerpts"),
    p.knowledge && plural(p.knowledge, "knowledge-base entry or question (deleted)", "knowledge-base entries and questions (deleted)"),
  ].filter((x): x is string => typeof x === "string");
  const links = r("member_links") + r("member_link_codes");
  return [
    `• ${your} name, on ${your} profile and wherever it was copied (leaderboards, cards, RSVPs, tips, history)`,
    ...(wrote.length ? [`• what ${you} wrote that the bot kept: ${wrote.join(", ")}`] : []),
    ...(r("messages") ? [`• ${your} id on ${plural(r("messages"), "message", "messages")} recorded for points (the bot keeps no message text)`] : []),
    ...(linked.length ? [`• ${your} linked ${linked.join(" and ")} account${linked.length > 1 ? "s" : ""}, forgotten together with this one${links ? `, and the ${plural(links, "link record", "link records")}` : ""}`] : links ? [`• ${plural(links, "link record", "link records")} (/link)`] : []),
    `${p.points ? `${your === "your" ? "Your" : "Their"} ${p.points} points stay in the totals` : "Points stay in the totals"} as “forgotten member”, so the ledger and everyone else's ranks stay right; nothing there says whose they were.`,
  ];
}

/** The `/forget-me` confirmation text. */
export function confirmText(p: ForgetPreview, memberId: string, communityName: string, platform: string): string {
  return [
    `Forget me in ${communityName}? This erases what the bot keeps about you here:`,
    ...previewLines(p, memberId),
    `It cannot be undone. Messages you posted stay on ${platformName(platform)}: delete them there if you want them gone. If you take part again later, you start as a new member with no points.`,
  ].join("\n");
}

/** After forgetting: how much was done, in words. */
export function doneText(r: ForgetResult, you: "you" | "they" = "you"): string {
  const rows = Object.values(r.rows).reduce((a, b) => a + b, 0) + r.outbox.scrubbed + r.knowledge;
  const who = you === "you" ? "You are" : "They are";
  return `${who} forgotten here: ${plural(rows, "record", "records")} erased or anonymised${r.accounts > 1 ? ` across ${r.accounts} linked accounts` : ""}. Old events of ${you === "you" ? "yours" : "theirs"} that a platform delivers again are ignored; if ${you} take part again, ${you} start as a new member.`;
}
