import type { SKRSContext2D } from "@napi-rs/canvas";
import { canvasModule } from "./canvas.js";
import type { ReplyAttachment } from "../../core/reply.js";
import { pngAttachment } from "./attachment.js";
import { clipText, fitText, formatNumber, medal, PALETTE, roundedBox } from "./draw.js";
import { font } from "./fonts.js";

/**
 * What the rank card shows. `levelFloor` is the all-time points at which `level` began and
 * `nextLevelAt` where the next one begins (null when there is no next level); the bar is the way
 * from one to the other.
 */
export interface RankCardInput {
  name: string;
  level: number;
  points: number;
  levelFloor: number;
  nextLevelAt: number | null;
  rank?: number;
  weekRank?: number;
  weekPoints?: number;
}

const WIDTH = 934;
const HEIGHT = 282;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * A member's rank card in the spirit of MEE6's: a badge with their initial, their name, rank and
 * level, and a bar of the way to the next level, with this week's points underneath. No avatar is
 * fetched: a picture is drawn from what the engine knows, synchronously.
 */
export function renderRankCard(input: RankCardInput): ReplyAttachment {
  const canvas = canvasModule().createCanvas(WIDTH, HEIGHT);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = PALETTE.background;
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  roundedBox(ctx, 20, 20, WIDTH - 40, HEIGHT - 40, 18, PALETTE.card);

  drawBadge(ctx, input);

  const left = 270;
  const right = WIDTH - 50;

  // Rank and level, right-aligned on one line, MEE6-style: small label, big number.
  ctx.textBaseline = "alphabetic";
  ctx.textAlign = "right";
  let x = right;
  x = labelled(ctx, x, 88, "LEVEL", String(input.level), PALETTE.accentLight);
  if (input.rank !== undefined) labelled(ctx, x - 28, 88, "RANK", `#${input.rank}`, medal(input.rank) ?? PALETTE.text);
  else labelled(ctx, x - 28, 88, "RANK", "—", PALETTE.muted);

  // Name.
  ctx.textAlign = "left";
  ctx.fillStyle = PALETTE.text;
  ctx.font = font(34, "bold");
  ctx.fillText(fitText(ctx, input.name, right - left - 220), left, 150);

  // Progress to the next level.
  const span = input.nextLevelAt === null ? 0 : input.nextLevelAt - input.levelFloor;
  const into = Math.max(0, input.points - input.levelFloor);
  const share = span > 0 ? Math.min(1, into / span) : 1;
  ctx.textAlign = "right";
  ctx.font = font(18, "bold");
  ctx.fillStyle = PALETTE.text;
  const progress = input.nextLevelAt === null ? `${formatNumber(input.points)} points` : `${formatNumber(into)} / ${formatNumber(span)} points`;
  ctx.fillText(progress, right, 150);

  const barY = 172;
  const barH = 34;
  roundedBox(ctx, left, barY, right - left, barH, barH / 2, PALETTE.track);
  const fill = ctx.createLinearGradient(left, 0, right, 0);
  fill.addColorStop(0, PALETTE.accent);
  fill.addColorStop(1, PALETTE.accentLight);
  if (share > 0) roundedBox(ctx, left, barY, Math.max(barH, (right - left) * share), barH, barH / 2, fill);

  ctx.textAlign = "left";
  ctx.font = font(16);
  ctx.fillStyle = PALETTE.muted;
  const toNext = input.nextLevelAt === null ? "top level" : `${formatNumber(input.nextLevelAt - input.points)} to level ${input.level + 1}`;
  ctx.fillText(`${formatNumber(input.points)} points in all · ${toNext}`, left, 236);
  ctx.textAlign = "right";
  ctx.fillText(weekLine(input), right, 236);

  return pngAttachment(canvas, "rank-card.png", altText(input, into, span));
}

/** The member's initial in a ringed circle, where MEE6 puts the avatar. */
function drawBadge(ctx: SKRSContext2D, input: RankCardInput): void {
  const cx = 140;
  const cy = HEIGHT / 2;
  ctx.beginPath();
  ctx.arc(cx, cy, 86, 0, Math.PI * 2);
  ctx.fillStyle = PALETTE.accent;
  ctx.fill();
  ctx.beginPath();
  ctx.arc(cx, cy, 78, 0, Math.PI * 2);
  ctx.fillStyle = PALETTE.row;
  ctx.fill();
  const first = segmenter.segment(input.name.trim()).containing(0)?.segment ?? "?";
  ctx.fillStyle = PALETTE.text;
  ctx.font = font(72, "bold");
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(first.toLocaleUpperCase(), cx, cy + 4);
  ctx.textBaseline = "alphabetic";
}

/** Draws "LABEL value" ending at x (right-aligned); returns where it starts. */
function labelled(ctx: SKRSContext2D, x: number, y: number, label: string, value: string, colour: string): number {
  ctx.font = font(44, "bold");
  ctx.fillStyle = colour;
  ctx.fillText(value, x, y);
  const valueWidth = ctx.measureText(value).width;
  ctx.font = font(18, "bold");
  ctx.fillStyle = PALETTE.muted;
  ctx.fillText(label, x - valueWidth - 8, y);
  return x - valueWidth - 8 - ctx.measureText(label).width;
}

function weekLine(input: RankCardInput): string {
  if (!input.weekPoints) return "This week: no points yet";
  return `This week: ${formatNumber(input.weekPoints)} points${input.weekRank !== undefined ? ` · #${input.weekRank}` : ""}`;
}

function altText(input: RankCardInput, into: number, span: number): string {
  const rank = input.rank !== undefined ? `rank #${input.rank}` : "not ranked yet";
  const next = input.nextLevelAt === null ? "" : `, ${into} of ${span} points to level ${input.level + 1}`;
  const week = input.weekPoints ? ` This week ${input.weekPoints} points${input.weekRank !== undefined ? ` (#${input.weekRank})` : ""}.` : "";
  return `Rank card for ${clipText(input.name, 100)}: level ${input.level}, ${input.points} points, ${rank}${next}.${week}`;
}
