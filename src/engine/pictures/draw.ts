import type { SKRSContext2D } from "@napi-rs/canvas";

/**
 * Small drawing helpers the pictures share: a palette in the spirit of Discord's dark theme (what
 * MEE6 and Amari cards look like), rounded boxes, and text that fits a width.
 */
export const PALETTE = {
  background: "#1e1f22",
  card: "#2b2d31",
  row: "#313338",
  track: "#1a1b1e",
  text: "#f2f3f5",
  muted: "#b5bac1",
  accent: "#5865f2",
  accentLight: "#8b95ff",
  gold: "#f0b232",
  silver: "#c7ccd1",
  bronze: "#d5894f",
} as const;

/** Medal colours for ranks 1–3; other ranks use the row colour. */
export function medal(rank: number): string | undefined {
  return rank === 1 ? PALETTE.gold : rank === 2 ? PALETTE.silver : rank === 3 ? PALETTE.bronze : undefined;
}

export function roundedBox(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number, fill: string | CanvasGradientLike): void {
  ctx.beginPath();
  ctx.roundRect(x, y, Math.max(0, w), h, Math.min(r, h / 2, Math.max(0, w) / 2));
  ctx.fillStyle = fill as string;
  ctx.fill();
}

/** Whatever `createLinearGradient` returns; kept loose so callers need not import the type. */
type CanvasGradientLike = ReturnType<SKRSContext2D["createLinearGradient"]>;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * `text` cut to fit `maxWidth` in the context's current font, with an ellipsis where it was cut.
 * Cuts between grapheme clusters, so an emoji or a letter with its accents is never split, and
 * control characters (a newline in a display name) become spaces.
 */
export function fitText(ctx: SKRSContext2D, text: string, maxWidth: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  if (ctx.measureText(clean).width <= maxWidth) return clean;
  const graphemes = Array.from(segmenter.segment(clean), (s) => s.segment);
  // Binary search for the longest prefix that fits with the ellipsis.
  let lo = 0;
  let hi = graphemes.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.measureText(`${graphemes.slice(0, mid).join("").trimEnd()}…`).width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${graphemes.slice(0, lo).join("").trimEnd()}…`;
}

/** Text cut to at most `max` characters, for alt texts (Slack allows 1000, Discord 1024). */
export function clipText(text: string, max: number): string {
  const graphemes = Array.from(segmenter.segment(text), (s) => s.segment);
  if (text.length <= max) return text;
  let out = "";
  for (const g of graphemes) {
    if (out.length + g.length > max - 1) break;
    out += g;
  }
  return `${out}…`;
}

/** 1234567 → "1,234,567", as the rest of the bot's English text writes numbers. */
export function formatNumber(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
