import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  AttachmentBuilder,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
} from "discord.js";
import { parseNamespacedId } from "../../core/identity.js";
import { plainText, type Reply, type ReplyButton, renderTokens, type TimeStyle, type TokenRenderers } from "../../core/reply.js";

/**
 * A neutral Reply as a Discord message: plain content for a plain answer, an embed when the reply
 * has structure (a title, fields, a ranking, a footer, a tone), and buttons in action rows.
 * Everything is clipped to Discord's limits, so a long leaderboard or a member's long thanks
 * reason shortens instead of making Discord refuse the whole message.
 */
export const LIMITS = {
  content: 2_000,
  title: 256,
  description: 4_096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footer: 2_048,
  embedTotal: 6_000,
  buttonLabel: 80,
  customId: 100,
  buttonsPerRow: 5,
  rows: 5,
  attachments: 10,
  attachmentDescription: 1_024,
} as const;

export const TONE_COLOURS = { info: 0x5865f2, success: 0x57f287, warning: 0xfee75c, error: 0xed4245 } as const;

const BUTTON_STYLES = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, danger: ButtonStyle.Danger } as const;

const TIME_STYLES: Record<TimeStyle, string> = { full: "F", short: "f", date: "D", relative: "R" };

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

export interface RenderedMessage {
  /** Absent when everything is in the embed. */
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  /** The reply's pictures, to send as `files[n]` parts; absent when it has none. */
  files?: RenderedFile[];
}

/** One picture to upload with a message: its bytes, and the file name and alt text Discord shows. */
export interface RenderedFile {
  name: string;
  data: Buffer;
  contentType: string;
  /** Discord's attachment description (alt text), at most 1024 characters. */
  description: string;
}

/** Cuts `text` to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Tokens as Discord markup where they name something in this server (`<@id>`, `<#id>`, `<@&id>`),
 * else by name; times as `<t:unix:F>` so each reader sees their own timezone.
 */
export function discordTokens(guildId: string): TokenRenderers {
  const local = (id: string): string | undefined => {
    const parsed = parseNamespacedId(id);
    return parsed?.platform === "discord" && parsed.workspaceId === guildId ? parsed.localId : undefined;
  };
  return {
    member: (id, name) => {
      const user = local(id);
      return user && /^\d+$/.test(user) ? `<@${user}>` : discordLiteral(name);
    },
    channel: (id, name) => {
      const channel = local(id);
      return channel && /^\d+$/.test(channel) ? `<#${channel}>` : discordLiteral(`#${name}`);
    },
    role: (id, name) => {
      // Role ids carry their `&` (`discord:<guild>:&<role>`), which is also Discord's role markup.
      const role = local(id);
      // A foreign role named "everyone" must not become @everyone: the name is escaped with its `@`.
      return role && /^&\d+$/.test(role) ? `<@${role}>` : discordLiteral(`@${name}`);
    },
    time: (at, style) => `<t:${Math.floor(at.getTime() / 1000)}:${TIME_STYLES[style]}>`,
    literal: (text) => discordLiteral(text),
  };
}

/**
 * Member text shown as typed: markdown escaped — masked links, headings, lists, quotes and subtext
 * too, which escapeMarkdown leaves alone by default — and every `<` (mentions `<@…>`, `<#…>`,
 * `<@&…>`, but also `</command:…>`, `<t:…>`, `<:emoji:…>`) and `@everyone`/`@here` broken with a
 * zero-width space, so nothing pings or turns into markup. `allowed_mentions` is the second fence.
 */
export function discordLiteral(text: string): string {
  return escapeMarkdown(text, { maskedLink: true, heading: true, bulletedList: true, numberedList: true })
    .replace(/^(\s*)(>|-#)/gm, "$1\\$2")
    .replace(/</g, "<\u200b")
    .replace(/@(everyone|here)/gi, "@\u200b$1");
}

function hasStructure(reply: Reply): boolean {
  return Boolean(reply.title || reply.fields?.length || reply.ranking || reply.footer || reply.tone);
}

const MEDALS = ["🥇", "🥈", "🥉"];

function rankingLines(reply: Reply, text: (s: string) => string): string {
  const ranking = reply.ranking!;
  return ranking.rows
    .map((row) => {
      const place = MEDALS[row.rank - 1] ?? `**${row.rank}.**`;
      return `${place} ${text(row.name)} — **${row.value}** ${ranking.valueLabel}${row.note ? ` · ${text(row.note)}` : ""}`;
    })
    .join("\n");
}

function embedSize(embed: APIEmbed): number {
  const fields = (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + fields;
}

function embedOf(reply: Reply, text: (s: string) => string): APIEmbed {
  const fields: APIEmbedField[] = (reply.fields ?? []).slice(0, LIMITS.fields).map((f) => ({
    // Discord refuses empty names and values; a zero-width space keeps the layout.
    name: clip(text(f.name), LIMITS.fieldName) || "\u200b",
    value: clip(text(f.value), LIMITS.fieldValue) || "\u200b",
    ...(f.inline ? { inline: true } : {}),
  }));
  const description = reply.ranking ? rankingLines(reply, text) : text(reply.text);
  const embed: APIEmbed = {
    ...(reply.title ? { title: clip(text(reply.title), LIMITS.title) } : {}),
    ...(description ? { description: clip(description, LIMITS.description) } : {}),
    ...(fields.length ? { fields } : {}),
    // Footers show no markdown and no mentions: names and text as they are.
    ...(reply.footer ? { footer: { text: clip(plainText(reply.footer), LIMITS.footer) } } : {}),
    color: TONE_COLOURS[reply.tone ?? "info"],
  };
  // All of an embed's text counts towards 6000: drop fields from the end, then shorten the text.
  while (embedSize(embed) > LIMITS.embedTotal && embed.fields?.length) embed.fields.pop();
  const over = embedSize(embed) - LIMITS.embedTotal;
  if (over > 0 && embed.description) embed.description = clip(embed.description, embed.description.length - over);
  return embed;
}

function buttonRows(buttons: readonly ReplyButton[], warn: (problem: string) => void): ButtonRow[] {
  const usable = buttons.filter((b) => {
    // A custom_id over 100 characters makes Discord refuse the whole message; the button cannot
    // be shortened (its id is what comes back), so it is left out.
    const ok = b.id.length >= 1 && b.id.length <= LIMITS.customId;
    if (!ok) warn(`button "${b.label}" left out: its id is ${b.id.length} characters (Discord allows 1–${LIMITS.customId})`);
    return ok;
  });
  const rows: ButtonRow[] = [];
  for (let i = 0; i < usable.length && rows.length < LIMITS.rows; i += LIMITS.buttonsPerRow) {
    rows.push({
      type: ComponentType.ActionRow,
      components: usable.slice(i, i + LIMITS.buttonsPerRow).map((b) => ({
        type: ComponentType.Button,
        style: BUTTON_STYLES[b.style ?? "secondary"],
        // Labels show no markdown and no mentions either.
        label: clip(plainText(b.label), LIMITS.buttonLabel) || "…",
        custom_id: b.id,
        ...(b.disabled ? { disabled: true } : {}),
      })),
    });
  }
  return rows;
}

/**
 * A reply's pictures as files. Names are reduced to the characters an `attachment://` reference
 * may hold, and made unique, because Discord tells a message's files apart by name.
 */
function filesOf(reply: Reply): RenderedFile[] | undefined {
  if (!reply.attachments?.length) return undefined;
  const seen = new Set<string>();
  return reply.attachments.slice(0, LIMITS.attachments).map((a, i) => {
    let name = a.name.replace(/[^A-Za-z0-9_.-]/g, "_") || `picture-${i}.png`;
    if (seen.has(name)) name = `${i}-${name}`;
    seen.add(name);
    return { name, data: Buffer.from(a.data, "base64"), contentType: a.contentType, description: clip(a.description, LIMITS.attachmentDescription) };
  });
}

export function renderReply(reply: Reply, guildId: string, warn: (problem: string) => void = () => {}): RenderedMessage {
  const tokens = discordTokens(guildId);
  const text = (s: string) => renderTokens(s, tokens);
  const components = buttonRows(reply.buttons ?? [], warn);
  const files = filesOf(reply);
  if (!hasStructure(reply)) return { content: clip(text(reply.text), LIMITS.content) || "\u200b", embeds: [], components, ...(files ? { files } : {}) };
  const embed = embedOf(reply, text);
  // The first picture shows inside the embed (under its text) rather than above it, as MEE6's
  // cards do; any others stay plain attachments.
  if (files) embed.image = { url: `attachment://${files[0]!.name}` };
  return { embeds: [embed], components, ...(files ? { files } : {}) };
}

/**
 * The files part of a message for discord.js (interaction replies, follow-ups, edits), and for an
 * edit `attachments: []`, so the new pictures replace the old ones instead of piling up.
 */
export function discordFiles(message: RenderedMessage, replacing: boolean): { files?: AttachmentBuilder[]; attachments?: [] } {
  const files = message.files?.map((f) => new AttachmentBuilder(f.data, { name: f.name, description: f.description }));
  return { ...(files ? { files } : {}), ...(replacing ? { attachments: [] } : {}) };
}
