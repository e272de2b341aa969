import { memberText, type Reply } from "../../core/reply.js";

/**
 * A sponsor's shout-out, as the digest (and the sponsor's own schedule) shows it. The strings are
 * what an organizer typed: show them through {@link shoutOutLine} or `memberText`, never raw.
 */
export interface ShoutOut {
  name: string;
  url: string;
  tier: string;
  blurb: string;
}

const MEDAL: Record<string, string> = { gold: "🥇", silver: "🥈", bronze: "🥉" };

/** One line: `🥇 Thanks to our gold sponsor Acme — Tools for builders. https://acme.example` (literal on every platform). */
export function shoutOutLine(s: ShoutOut): string {
  return `${MEDAL[s.tier] ?? "💛"} Thanks to our ${s.tier} sponsor ${memberText(s.name)} — ${memberText(s.blurb)} ${memberText(s.url)}`;
}

/** The post of a sponsor's own scheduled shout-out. */
export function shoutOutReply(s: ShoutOut): Reply {
  return { title: "Our sponsors", text: shoutOutLine(s), tone: "info" };
}
