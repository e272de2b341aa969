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

/**
 * A sponsor's link as shown: characters that chat markdown would read (`_` `*` `~` `|` and
 * brackets) percent-encoded, so the platform's escaping of member text never puts a backslash
 * inside the link and it still opens. `_` and `~` are unreserved (RFC 3986: encoding them names the
 * same resource); the others are sub-delimiters servers read the same encoded in practice.
 */
export function shownLink(url: string): string {
  return memberText(url.replace(/[_*~|`()[\]<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`));
}

const MEDAL: Record<string, string> = { gold: "🥇", silver: "🥈", bronze: "🥉" };

/** One line: `🥇 Thanks to our gold sponsor Acme — Tools for builders. https://acme.example` (literal on every platform). */
export function shoutOutLine(s: ShoutOut): string {
  return `${MEDAL[s.tier] ?? "💛"} Thanks to our ${s.tier} sponsor ${memberText(s.name)} — ${memberText(s.blurb)} ${shownLink(s.url)}`;
}

/** The post of a sponsor's own scheduled shout-out. */
export function shoutOutReply(s: ShoutOut): Reply {
  return { title: "Our sponsors", text: shoutOutLine(s), tone: "info" };
}
