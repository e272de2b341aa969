import { createRequire } from "node:module";

/**
 * One form for every emoji, so one rule set serves every platform: Slack says `+1` (or
 * `+1::skin-tone-2`), Discord says `👍` (maybe with a skin tone or a variation selector), the
 * console may type either. All become the bare unicode emoji `👍`. Custom emoji, which exist only in
 * one workspace, become `:name:` (Discord's `<:name:123>` too).
 *
 * Slack's shortcodes are iamcal's emoji-data names; emojibase ships that table. Discord (and people
 * typing in the console) use GitHub's and emojibase's names too — `:unicorn:` where Slack says
 * `unicorn_face` — so those are read after iamcal's, which wins where two tables disagree.
 *
 * @example
 * normalizeEmoji("+1::skin-tone-3") // "👍"
 * normalizeEmoji("👍🏽")             // "👍"
 * normalizeEmoji("<:party:1234>")   // ":party:"
 * normalizeEmoji(":unicorn:")       // "🦄"
 */
let byShortcode: Map<string, string> | undefined;

function shortcodes(): Map<string, string> {
  if (!byShortcode) {
    const require = createRequire(import.meta.url);
    byShortcode = new Map();
    for (const source of ["iamcal", "github", "emojibase"]) {
      const table = require(`emojibase-data/en/shortcodes/${source}.json`) as Record<string, string | string[]>;
      for (const [hexcode, names] of Object.entries(table)) {
        const emoji = String.fromCodePoint(...hexcode.split("-").map((h) => Number.parseInt(h, 16)));
        for (const name of Array.isArray(names) ? names : [names]) if (!byShortcode.has(name)) byShortcode.set(name, stripModifiers(emoji));
      }
    }
  }
  return byShortcode;
}

// Skin tones (U+1F3FB–U+1F3FF) and variation selectors (U+FE0E, U+FE0F) don't change which emoji it is.
const MODIFIERS = /[\u{1F3FB}-\u{1F3FF}\u{FE0E}\u{FE0F}]/gu;

function stripModifiers(emoji: string): string {
  return emoji.replace(MODIFIERS, "");
}

export function normalizeEmoji(input: string): string {
  const text = input.trim();
  const custom = /^<a?:([\w~-]+):\d+>$/.exec(text);
  if (custom) return `:${custom[1]}:`;
  // Slack: `name`, `:name:`, `name::skin-tone-2`.
  const name = /^:?([\w+~-]+?)(?:::skin-tone-\d)?:?$/.exec(text)?.[1];
  if (name) return shortcodes().get(name) ?? `:${name}:`;
  return stripModifiers(text);
}
