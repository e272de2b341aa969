import { canvasModule } from "./canvas.js";
import type { ReplyAttachment } from "../../core/reply.js";
import { pngAttachment } from "./attachment.js";
import { fitText, formatNumber, PALETTE, roundedBox } from "./draw.js";
import { font } from "./fonts.js";

/** A bar per week, oldest first (e.g. `{ label: "W48", value: 132 }`). */
export interface WeeklyChartInput {
  title: string;
  weeks: { label: string; value: number }[];
}

const WIDTH = 800;
const HEIGHT = 400;
const PAD = 28;
const TOP = 80;
const BOTTOM = 48;
const AXIS = 56;

/**
 * A bar chart of the last N weeks (what /stats draws for weekly active members): one bar a week,
 * its value on top, a few gridlines at round numbers. The newest week is drawn in the accent
 * colour so "this week" stands out.
 */
export function renderWeeklyChart(input: WeeklyChartInput): ReplyAttachment {
  const canvas = canvasModule().createCanvas(WIDTH, HEIGHT);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = PALETTE.background;
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  roundedBox(ctx, 0, 0, 8, HEIGHT, 0, PALETTE.accent);

  ctx.fillStyle = PALETTE.text;
  ctx.font = font(26, "bold");
  ctx.textBaseline = "alphabetic";
  ctx.fillText(fitText(ctx, input.title, WIDTH - 2 * PAD), PAD, 48);

  const weeks = input.weeks;
  const plotLeft = PAD + AXIS;
  const plotRight = WIDTH - PAD;
  const plotTop = TOP;
  const plotBottom = HEIGHT - BOTTOM;
  const plotH = plotBottom - plotTop;

  if (!weeks.length) {
    ctx.fillStyle = PALETTE.muted;
    ctx.font = font(24, "bold");
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText("No data yet", WIDTH / 2, (plotTop + plotBottom) / 2);
    return pngAttachment(canvas, "weekly-chart.png", `${input.title}: no data yet.`);
  }

  const max = niceCeiling(Math.max(0, ...weeks.map((w) => w.value)));
  // Gridlines at quarters of a round maximum.
  ctx.font = font(13);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let i = 0; i <= 4; i++) {
    const y = plotBottom - (plotH * i) / 4;
    ctx.fillStyle = i === 0 ? PALETTE.muted : PALETTE.row;
    ctx.fillRect(plotLeft, Math.round(y), plotRight - plotLeft, 1);
    ctx.fillStyle = PALETTE.muted;
    ctx.fillText(formatNumber((max * i) / 4), plotLeft - 10, y);
  }

  const slot = (plotRight - plotLeft) / weeks.length;
  const barW = Math.max(4, Math.min(48, slot * 0.64));
  weeks.forEach((week, i) => {
    const x = plotLeft + slot * i + (slot - barW) / 2;
    const h = max > 0 ? (plotH * Math.max(0, week.value)) / max : 0;
    const newest = i === weeks.length - 1;
    if (h > 0) roundedBox(ctx, x, plotBottom - h, barW, h, Math.min(6, barW / 2), newest ? PALETTE.accent : PALETTE.accentLight);
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    ctx.fillStyle = PALETTE.text;
    ctx.font = font(slot < 40 ? 11 : 14, "bold");
    ctx.fillText(formatNumber(week.value), x + barW / 2, plotBottom - h - 6);
    ctx.fillStyle = PALETTE.muted;
    ctx.font = font(slot < 40 ? 10 : 13);
    ctx.fillText(fitText(ctx, week.label, slot - 2), x + barW / 2, plotBottom + 22);
  });

  const alt = `${input.title}: ${weeks.map((w) => `${w.label} ${w.value}`).join(", ")}.`;
  return pngAttachment(canvas, "weekly-chart.png", alt);
}

/** The smallest "round" number (1, 2, 2.5 or 5 times a power of ten) at or above n; 4 when n is 0. */
function niceCeiling(n: number): number {
  if (n <= 0) return 4;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}
