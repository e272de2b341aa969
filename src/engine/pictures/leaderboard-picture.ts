import { canvasModule } from "./canvas.js";
import type { ReplyAttachment } from "../../core/reply.js";
import { pngAttachment } from "./attachment.js";
import { clipText, fitText, formatNumber, medal, PALETTE, roundedBox } from "./draw.js";
import { font } from "./fonts.js";

/** What the leaderboard picture shows: a title, an optional subtitle and the ranked rows. */
export interface LeaderboardPictureInput {
  title: string;
  subtitle?: string;
  rows: { rank: number; name: string; points: number; level: number }[];
}

/** At most this many rows are drawn: the picture is "the top 10"; the text reply lists the rest. */
export const LEADERBOARD_PICTURE_ROWS = 10;

const WIDTH = 800;
const PAD = 24;
const HEADER = 104;
const ROW = 56;
const GAP = 8;

/**
 * The top 10 as a dark card, in the manner of MEE6's and Amari's boards: each row a rank badge
 * (gold, silver, bronze for the first three), the member's name, their level, a bar for their
 * points against the leader's, and the points. Names are drawn as plain text (a `<@123>` in a
 * display name is just those characters) and shortened with an ellipsis to fit.
 */
export function renderLeaderboard(input: LeaderboardPictureInput): ReplyAttachment {
  const rows = input.rows.slice(0, LEADERBOARD_PICTURE_ROWS);
  const body = rows.length ? rows.length * (ROW + GAP) - GAP : ROW * 2;
  const height = HEADER + body + PAD;
  const canvas = canvasModule().createCanvas(WIDTH, height);
  const ctx = canvas.getContext("2d");

  ctx.fillStyle = PALETTE.background;
  ctx.fillRect(0, 0, WIDTH, height);
  roundedBox(ctx, 0, 0, 8, height, 0, PALETTE.accent);

  ctx.textBaseline = "alphabetic";
  ctx.fillStyle = PALETTE.text;
  ctx.font = font(30, "bold");
  ctx.fillText(fitText(ctx, input.title, WIDTH - 2 * PAD), PAD, 50);
  if (input.subtitle) {
    ctx.fillStyle = PALETTE.muted;
    ctx.font = font(18);
    ctx.fillText(fitText(ctx, input.subtitle, WIDTH - 2 * PAD), PAD, 80);
  }

  if (!rows.length) {
    roundedBox(ctx, PAD, HEADER, WIDTH - 2 * PAD, body, 12, PALETTE.card);
    ctx.fillStyle = PALETTE.muted;
    ctx.font = font(24, "bold");
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText("No points yet", WIDTH / 2, HEADER + body / 2);
    return pngAttachment(canvas, "leaderboard.png", `${clipText(input.title, 120)}: no points yet.`);
  }

  const best = Math.max(1, ...rows.map((r) => r.points));
  rows.forEach((row, i) => {
    const y = HEADER + i * (ROW + GAP);
    const colour = medal(row.rank);
    roundedBox(ctx, PAD, y, WIDTH - 2 * PAD, ROW, 10, PALETTE.row);

    // Rank badge.
    const cx = PAD + 30;
    const cy = y + ROW / 2;
    ctx.beginPath();
    ctx.arc(cx, cy, 18, 0, Math.PI * 2);
    ctx.fillStyle = colour ?? PALETTE.card;
    ctx.fill();
    ctx.fillStyle = colour ? PALETTE.background : PALETTE.text;
    ctx.font = font(row.rank > 99 ? 13 : 17, "bold");
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(String(row.rank), cx, cy + 1);

    // Name and level.
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    ctx.fillStyle = PALETTE.text;
    ctx.font = font(20, "bold");
    ctx.fillText(fitText(ctx, row.name, 300), PAD + 62, y + 25);
    ctx.fillStyle = PALETTE.muted;
    ctx.font = font(14);
    ctx.fillText(`Level ${row.level}`, PAD + 62, y + 45);

    // Points bar against the leader, and the points.
    const barX = 400;
    const barW = 230;
    roundedBox(ctx, barX, cy - 7, barW, 14, 7, PALETTE.track);
    const fill = ctx.createLinearGradient(barX, 0, barX + barW, 0);
    fill.addColorStop(0, PALETTE.accent);
    fill.addColorStop(1, colour ?? PALETTE.accentLight);
    if (row.points > 0) roundedBox(ctx, barX, cy - 7, Math.max(14, (barW * row.points) / best), 14, 7, fill);
    ctx.fillStyle = PALETTE.text;
    ctx.font = font(18, "bold");
    ctx.textAlign = "right";
    ctx.fillText(fitText(ctx, formatNumber(row.points), 100), WIDTH - PAD - 16, cy - 1);
    ctx.fillStyle = PALETTE.muted;
    ctx.font = font(12);
    ctx.fillText("points", WIDTH - PAD - 16, cy + 16);
  });

  // Each part of the alt text is kept short, so ten rows fit in the platforms' alt text limits.
  const head = `${clipText(input.title, 120)}${input.subtitle ? ` (${clipText(input.subtitle, 120)})` : ""}`;
  const alt = `${head}: ${rows.map((r) => `${r.rank}. ${clipText(r.name, 60)}, ${r.points} points, level ${r.level}`).join("; ")}.`;
  return pngAttachment(canvas, "leaderboard.png", alt);
}
