import { renderTokens, type TimeStyle } from "../../core/reply.js";

/**
 * Engine text → Slack text. Two flavours, because Block Kit has two kinds of text object:
 *
 * - `mrkdwn(text, team)` for `mrkdwn` objects and the top-level `text`: Slack parses `<…>` as links
 *   and mentions there, so the engine's own `<`, `>` and `&` (usage lines say `/thanks <member>`)
 *   are escaped first, then the engine's tokens become Slack markup — `<@U…>`, `<#C…>`,
 *   `<!subteam^S…>` and `<!date^…>` — so each reader sees a live mention and their own local time.
 * - `plainText(text)` for `plain_text` objects (headers, button labels, modal titles), which show
 *   markup literally: tokens become names and times a fixed UTC string.
 *
 * A member, channel or group from another workspace or platform has no Slack markup here, so it is
 * shown by name.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Undoes Slack's escaping of `&`, `<` and `>` in text a member typed (command arguments). */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

// `{date_short_pretty}` says "Today"/"Yesterday" where it can; each reader's client fills in their zone.
const DATE_FORMATS: Record<TimeStyle, string> = {
  full: "{date_short_pretty} {time}",
  short: "{date_short} {time}",
  date: "{date_short_pretty}",
  relative: "{ago}",
};

/** Shown by clients that cannot render `<!date>` (and in notifications). */
export function utcFallback(at: Date, style: TimeStyle): string {
  const iso = at.toISOString();
  return style === "date" ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The local part of a namespaced id when it belongs to `team` on Slack, e.g. `slack:T1:U2` → `U2`. */
function localIn(team: string, escapedId: string): string | undefined {
  // Ids went through the escaping with the rest of the text; a group id's `&` came out as `&amp;`.
  const id = unescapeSlack(escapedId);
  const prefix = `slack:${team}:`;
  return id.startsWith(prefix) ? id.slice(prefix.length) : undefined;
}

/**
 * Text from members (a literal, a foreign member's or channel's name), already `<>&`-escaped with
 * the rest, made inert against the one thing escaping does not cover: a bare `@here`, `@channel`,
 * `@everyone` or `@name`, which Slack links where a message is sent with `link_names` or
 * `parse: full`. A zero-width space after the `@` keeps it from ever being read as a mention.
 */
function inert(escaped: string): string {
  return escaped.replace(/(^|[^\w])@(?=[\w.-])/g, "$1@\u200b");
}

export function mrkdwn(text: string, team: string): string {
  // Escape before replacing tokens: the markup the tokens turn into must stay markup. Token names
  // were escaped along with the rest of the text, so they are inserted as they are.
  return renderTokens(escapeMrkdwn(text), {
    member: (id, name) => {
      const user = localIn(team, id);
      return user && /^[UW][A-Z0-9]+$/.test(user) ? `<@${user}>` : inert(name);
    },
    channel: (id, name) => {
      const channel = localIn(team, id);
      return channel && /^[CGD][A-Z0-9]+$/.test(channel) ? `<#${channel}>` : inert(`#${name}`);
    },
    role: (id, name) => {
      const group = localIn(team, id);
      // A foreign role named "channel" must not become @channel: the name is made inert with its `@`.
      return group && /^&S[A-Z0-9]+$/.test(group) ? `<!subteam^${group.slice(1)}>` : inert(`@${name}`);
    },
    time: (at, style) => {
      const unix = Math.floor(at.getTime() / 1000);
      return `<!date^${unix}^${DATE_FORMATS[style]}|${utcFallback(at, style)}>`;
    },
    // Escaped with the rest of the text above, so `<!subteam^…>` typed by a member is inert.
    literal: (text) => inert(text),
  });
}

export function plainText(text: string): string {
  return renderTokens(text, {
    member: (_id, name) => name,
    channel: (_id, name) => `#${name}`,
    role: (_id, name) => `@${name}`,
    time: (at, style) => utcFallback(at, style),
    literal: (text) => text,
  });
}

/** Cuts `text` to at most `max` characters (code points kept whole), ending with "…" when cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
