/**
 * What the engine says back, before any platform has shaped it. Each adapter renders a `Reply` in
 * its own way: a Discord embed with components, Slack Block Kit, or plain lines in the console.
 *
 * `text` is always a complete answer on its own (it is the notification text on Slack and the whole
 * message in the console); the rich parts add structure for platforms that can show it.
 *
 * Members and times inside any text are written as tokens (see {@link mention} and {@link time}) so
 * each platform can show a native mention and a time in the reader's own timezone.
 *
 * @example
 * const reply: Reply = {
 *   text: `${mention({ id: "discord:1:2", displayName: "Ada" })} has 120 points`,
 *   fields: [{ name: "Level", value: "2", inline: true }],
 * };
 */
export interface Reply {
  text: string;
  /** Only the person who asked sees it (Discord ephemeral, Slack `chat.postEphemeral`/`response_type`). */
  ephemeral?: boolean;
  /** Colour hint and icon for renderers. */
  tone?: "info" | "success" | "warning" | "error";
  title?: string;
  fields?: ReplyField[];
  ranking?: Ranking;
  buttons?: ReplyButton[];
  footer?: string;
  /**
   * Ask for input in a dialog (a Discord modal, a Slack modal view) instead of posting. Only a
   * direct answer to a command or button can open one; its submission comes back as a `form` event.
   */
  form?: ReplyForm;
  /**
   * Pictures that go with the answer (a leaderboard, a rank card): Discord attachments, Slack
   * uploads, a saved file in the console. They add to `text`, never replace it: `text` stays the
   * complete answer, for screen readers and wherever a picture cannot go (Slack ephemeral answers).
   */
  attachments?: ReplyAttachment[];
}

/**
 * One picture of a {@link Reply}. The bytes are base64 so a reply stays plain JSON and can sit in
 * the durable outbox like any other.
 */
export interface ReplyAttachment {
  /** File name shown by the platform, e.g. "leaderboard.png". */
  name: string;
  contentType: "image/png";
  /** The file's bytes, base64. */
  data: string;
  /** Alt text: what the picture shows, in words (screen readers; Discord's description, Slack's alt text). */
  description: string;
}

/** A dialog to open instead of posting (a Discord modal, a Slack modal view). */
export interface ReplyForm {
  /** `<command>:<action>[:<arg>]`, like a button id; at most 100 characters. */
  id: string;
  title: string;
  fields: FormField[];
  submitLabel?: string;
}

/** One text input of a {@link ReplyForm}. */
export interface FormField {
  /** Key of the value in the submission. */
  id: string;
  label: string;
  style: "short" | "paragraph";
  required: boolean;
  value?: string;
  placeholder?: string;
  maxLength?: number;
}

/** A labelled value (an embed field on Discord, a section field on Slack). */
export interface ReplyField {
  name: string;
  value: string;
  inline?: boolean;
}

/** A ranked table, such as a leaderboard. */
export interface Ranking {
  /** Header for the value column, e.g. "points". */
  valueLabel: string;
  rows: RankingRow[];
}

/** One line of a {@link Ranking}. */
export interface RankingRow {
  rank: number;
  /** Member token or plain name. */
  name: string;
  value: number;
  /** Extra, e.g. "level 4". */
  note?: string;
}

/** A button under a reply; pressing it sends a `button` event with its id. */
export interface ReplyButton {
  /** `<command>:<action>[:<arg>]`; comes back in a `button` event. At most 100 characters (Discord's custom_id limit). */
  id: string;
  label: string;
  style?: "primary" | "secondary" | "danger";
  disabled?: boolean;
}

/** A reply that tells the person what was wrong; always ephemeral. */
export function errorReply(text: string): Reply {
  return { text, ephemeral: true, tone: "error" };
}

// ---- tokens ---------------------------------------------------------------------------------------
// Tokens use characters that no platform's own markup produces (⟦ ⟧). Members *can* type them, so
// anything a member wrote (a reason, a title, a display name, a form field) goes through
// {@link memberText}: it becomes one literal token whose content no renderer reads as a token or as
// markup, and each platform escapes it its own way (Discord markdown and mentions, Slack `<>&`).

const TOKEN = /⟦(?:m:([^|⟧]+)\|([^⟧]*)|c:([^|⟧]+)\|([^⟧]*)|r:([^|⟧]+)\|([^⟧]*)|t:(-?\d+)(?::([a-z]+))?|l:([^⟧]*))⟧/g;

/** Keeps a name out of token syntax: `|` and the brackets would end or forge a token. */
const tokenSafe = (name: string) => name.replace(/[|⟦⟧]/g, "");

const encodeLiteral = (text: string) => text.replace(/%/g, "%25").replace(/⟦/g, "%5B").replace(/⟧/g, "%5D");
const decodeLiteral = (text: string) => text.replace(/%5B/g, "⟦").replace(/%5D/g, "⟧").replace(/%25/g, "%");

/**
 * Text a member wrote, placed in a reply: rendered literally on every platform, never as a mention,
 * a token or markup.
 *
 * @example
 * `${mention(giver)} thanked ${mention(receiver)}: “${memberText(reason)}”`
 */
export function memberText(text: string): string {
  return text === "" ? "" : `⟦l:${encodeLiteral(text)}⟧`;
}

/** A member mention: rendered natively on the member's own platform and as a name elsewhere. */
export function mention(member: { id: string; displayName?: string }): string {
  const name = tokenSafe(member.displayName ?? member.id.split(":").pop() ?? member.id);
  return `⟦m:${member.id}|${name}⟧`;
}

/** A channel link: native on its own platform, `#name` elsewhere. */
export function channelMention(channel: { id: string; name?: string }): string {
  const name = tokenSafe(channel.name ?? channel.id.split(":").pop() ?? channel.id);
  return `⟦c:${channel.id}|${name}⟧`;
}

/** A role or user group (id `<platform>:<workspace>:&<role>`): native on its platform, `@name` elsewhere. */
export function roleMention(role: { id: string; name?: string }): string {
  const name = tokenSafe(role.name ?? role.id.split(":").pop()?.replace(/^&/, "") ?? role.id);
  return `⟦r:${role.id}|${name}⟧`;
}

/** How a {@link time} token is shown: date and time, short date and time, date only, or "3 hours ago". */
export type TimeStyle = "full" | "short" | "date" | "relative";

/** A moment in time, shown in each reader's timezone where the platform can, else the community's. */
export function time(at: Date, style: TimeStyle = "full"): string {
  return `⟦t:${Math.floor(at.getTime() / 1000)}:${style}⟧`;
}

/**
 * How one platform writes each token. Names passed to `member`, `channel` and `role` come from
 * members too (display names): a renderer that shows them as text escapes them like `literal`.
 */
export interface TokenRenderers {
  member(id: string, displayName: string): string;
  channel(id: string, name: string): string;
  role(id: string, name: string): string;
  time(at: Date, style: TimeStyle): string;
  /** Text a member wrote ({@link memberText}), escaped so it shows exactly as typed. */
  literal(text: string): string;
}

/**
 * Replaces every token in `text` using a platform's renderers, in one pass: what a renderer returns
 * is never scanned again, so a literal's content cannot turn into a token.
 */
export function renderTokens(text: string, render: TokenRenderers): string {
  return text.replace(TOKEN, (...m: (string | undefined)[]) => {
    if (m[1] !== undefined) return render.member(m[1], m[2]!);
    if (m[3] !== undefined) return render.channel(m[3], m[4]!);
    if (m[5] !== undefined) return render.role(m[5], m[6]!);
    if (m[7] !== undefined) return render.time(new Date(Number(m[7]) * 1000), (m[8] as TimeStyle | undefined) ?? "full");
    return render.literal(decodeLiteral(m[9]!));
  });
}

/** Plain rendering, for logs and tests: `@name`, ISO times and member text as typed. */
export function plainText(text: string): string {
  return renderTokens(text, {
    member: (_id, name) => `@${name}`,
    channel: (_id, name) => `#${name}`,
    role: (_id, name) => `@${name}`,
    time: (at) => at.toISOString(),
    literal: (text) => text,
  });
}
