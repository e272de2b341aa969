import type { types } from "@slack/bolt";
import type { Ranking, Reply, ReplyButton, ReplyField } from "../../core/reply.js";
import { clip, mrkdwn, plainText } from "./mrkdwn.js";

/**
 * A neutral `Reply` as a Slack message: Block Kit for the eye, and the top-level `text` that Slack
 * uses for notifications, screen readers and clients without blocks (always set).
 *
 * Layout, top to bottom: a header (title, with a tone emoji), the body, a context line (footer),
 * and an actions block (buttons). The body is the most structured form the reply has — the ranking
 * as a ranked list, else the text followed by its fields — because Slack shows blocks *instead of*
 * `text`, and text that merely lists the fields again is left out of the blocks.
 *
 * Slack refuses a message that breaks a Block Kit limit, so every limit is enforced here.
 */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  headerText: 150,
  buttonsPerActions: 25,
  buttonText: 75,
  actionId: 255,
  contextText: 3000,
  /** Top-level `text`: Slack truncates at 40 000; a notification needs far less. */
  fallbackText: 3000,
} as const;

export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

// Info is the ordinary case and gets no icon; the others are worth a glance.
const TONE_EMOJI: Record<NonNullable<Reply["tone"]>, string> = {
  info: "",
  success: ":white_check_mark:",
  warning: ":warning:",
  error: ":x:",
};

const MEDALS = [":first_place_medal:", ":second_place_medal:", ":third_place_medal:"];

export function renderMessage(reply: Reply, team: string): SlackMessage {
  const md = (text: string) => mrkdwn(text, team);
  const emoji = reply.tone ? TONE_EMOJI[reply.tone] : "";
  const head: types.KnownBlock[] = [];
  if (reply.title) head.push({ type: "header", text: { type: "plain_text", text: clip(`${emoji ? `${emoji} ` : ""}${plainText(reply.title)}`, LIMITS.headerText), emoji: true } });

  const body: types.KnownBlock[] = [];
  if (reply.ranking) body.push(...sections(rankingLines(reply.ranking).map(md).join("\n")));
  else {
    if (reply.text.trim() && !repeatsFields(reply.text, reply.fields ?? [])) {
      // Without a header the tone's icon leads the text instead.
      const withIcon = !reply.title && emoji ? `${emoji} ${reply.text}` : reply.text;
      body.push(...sections(md(withIcon)));
    }
    body.push(...fieldBlocks(reply.fields ?? [], md));
  }

  const tail: types.KnownBlock[] = [];
  if (reply.footer?.trim()) tail.push({ type: "context", elements: [{ type: "mrkdwn", text: clip(md(reply.footer), LIMITS.contextText) }] });
  const actions = actionsBlock(reply.buttons ?? []);
  if (actions) tail.push(actions);

  const room = LIMITS.blocksPerMessage - head.length - tail.length;
  const kept = body.length > room ? [...body.slice(0, room - 1), section("…")] : body;
  const blocks = [...head, ...kept, ...tail];
  // A message needs text or blocks; an empty reply still says something. (The title is rendered as
  // mrkdwn itself: rendering it as plain text first would decode member text back into tokens.)
  const text = clip(reply.text.trim() ? md(reply.text) : reply.title?.trim() ? md(reply.title) : "…", LIMITS.fallbackText);
  return { text, blocks };
}

function section(text: string): types.SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

/** Long text split into sections at line breaks (a single overlong line is cut hard). */
function sections(text: string): types.SectionBlock[] {
  const out: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    for (const piece of chunks(line, LIMITS.sectionText)) {
      const joined = current ? `${current}\n${piece}` : piece;
      if (joined.length > LIMITS.sectionText) {
        out.push(current);
        current = piece;
      } else current = joined;
    }
  }
  if (current.trim()) out.push(current);
  return out.filter((t) => t.trim()).map(section);
}

function chunks(line: string, size: number): string[] {
  if (line.length <= size) return [line];
  const out: string[] = [];
  for (let i = 0; i < line.length; i += size) out.push(line.slice(i, i + size));
  return out;
}

function rankingLines(ranking: Ranking): string[] {
  return ranking.rows.map((row) => {
    const place = MEDALS[row.rank - 1] ?? `*${row.rank}.*`;
    const note = row.note ? ` · _${row.note}_` : "";
    return `${place} ${row.name} — *${row.value}* ${ranking.valueLabel}${note}`;
  });
}

/** True when every field's name and value already appear in the text (e.g. `/config show`). */
function repeatsFields(text: string, fields: readonly ReplyField[]): boolean {
  return fields.length > 0 && fields.every((f) => text.includes(f.name) && text.includes(f.value));
}

/**
 * Inline fields sit two to a row (Slack's `fields`, at most ten per section); a field that is not
 * inline gets a full-width section of its own, in the order the reply gave them.
 */
function fieldBlocks(fields: readonly ReplyField[], md: (s: string) => string): types.SectionBlock[] {
  const blocks: types.SectionBlock[] = [];
  let row: types.MrkdwnElement[] = [];
  const flush = () => {
    if (row.length) blocks.push({ type: "section", fields: row });
    row = [];
  };
  for (const field of fields) {
    const text = `*${md(field.name)}*\n${md(field.value)}`;
    if (!field.inline) {
      flush();
      blocks.push(section(clip(text, LIMITS.sectionText)));
      continue;
    }
    row.push({ type: "mrkdwn", text: clip(text, LIMITS.fieldText) });
    if (row.length === LIMITS.fieldsPerSection) flush();
  }
  flush();
  return blocks;
}

/**
 * Slack buttons cannot be disabled, so a disabled button is left out rather than shown pressable
 * (the leaderboard marks the board on screen that way). The button id is the `action_id`, which is
 * what comes back in `block_actions`.
 */
function actionsBlock(buttons: readonly ReplyButton[]): types.ActionsBlock | undefined {
  const elements: types.Button[] = buttons
    .filter((b) => !b.disabled && b.id.length <= LIMITS.actionId)
    .slice(0, LIMITS.buttonsPerActions)
    .map((b) => ({
      type: "button",
      action_id: b.id,
      text: { type: "plain_text", text: clip(plainText(b.label), LIMITS.buttonText), emoji: true },
      ...(b.style === "primary" || b.style === "danger" ? { style: b.style } : {}),
    }));
  return elements.length ? { type: "actions", elements } : undefined;
}
