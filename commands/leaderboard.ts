import { option } from "../src/core/options.js";
import type { Reply } from "../src/core/reply.js";
import { mention } from "../src/core/reply.js";
import type { PeriodKind } from "../src/engine/calendar.js";
import { periodLabel } from "../src/engine/calendar.js";
import { type CommandContext, command } from "../src/engine/commands/context.js";
import { LEADERBOARD_PICTURE_ROWS, renderLeaderboard } from "../src/engine/pictures/index.js";
import { levelFor } from "../src/engine/points/levels.js";

const PERIODS = ["week", "month", "all"] as const;
const DEFAULT_LIMIT = 10;

/** `/leaderboard [week|month|all] [limit]`: the top members; buttons switch the period. */
export default command({
  name: "leaderboard",
  description: "Show the top members this week, this month or of all time",
  access: "member",
  options: {
    period: option.choice({ description: "Which board (default: week)", choices: PERIODS }),
    limit: option.integer({ description: "How many members to show (1–25, default 10)", min: 1, max: 25 }),
  },
  run: (ctx, { period, limit }) => board(ctx, period ?? "week", limit ?? DEFAULT_LIMIT),
  buttons: {
    // Button ids look like `leaderboard:show:month:10`.
    show: {
      run(ctx, arg) {
        const [period, limit] = (arg ?? "").split(":");
        const kind = (PERIODS as readonly string[]).includes(period ?? "") ? (period as PeriodKind) : "week";
        const n = Number(limit);
        return board(ctx, kind, Number.isInteger(n) && n >= 1 && n <= 25 ? n : DEFAULT_LIMIT);
      },
    },
  },
});

async function board(ctx: CommandContext, period: PeriodKind, limit: number): Promise<Reply> {
  const { leaderboard } = ctx.services;
  const rows = await leaderboard.top(ctx.community, period, limit);
  const label = periodLabel(leaderboard.periodKey(ctx.community, period));
  const buttons = PERIODS.map((p) => ({
    id: `leaderboard:show:${p}:${limit}`,
    label: p === "all" ? "All time" : p === "week" ? "This week" : "This month",
    style: p === period ? ("primary" as const) : ("secondary" as const),
    disabled: p === period,
  }));
  if (rows.length === 0) {
    return {
      title: `Leaderboard — ${label}`,
      text: `No points yet for ${label}. Post, reply and help others to get on the board.`,
      buttons,
      tone: "info",
    };
  }
  const ranked = rows.map((r, i) => ({
    rank: i + 1,
    name: mention({ id: r.member_id, displayName: r.display_name }),
    value: r.points,
    // Levels are lifetime standing: a level-3 member with 5 points this week is still level 3.
    note: `level ${levelFor(r.lifetime_points)}`,
  }));
  // Ties share a rank, as in "1, 2, 2, 4".
  for (let i = 1; i < ranked.length; i++) if (ranked[i]!.value === ranked[i - 1]!.value) ranked[i]!.rank = ranked[i - 1]!.rank;
  // The picture draws the top 10 from stored display names, as plain text (never markup).
  const picture = renderLeaderboard({
    title: `Leaderboard — ${label}`,
    subtitle: SUBTITLES[period],
    rows: rows.slice(0, LEADERBOARD_PICTURE_ROWS).map((r, i) => ({ rank: ranked[i]!.rank, name: r.display_name, points: r.points, level: levelFor(r.lifetime_points) })),
  });
  return {
    title: `Leaderboard — ${label}`,
    text: [`Leaderboard — ${label}`, ...ranked.map((r) => `${r.rank}. ${r.name} — ${r.value} points`)].join("\n"),
    ranking: { valueLabel: "points", rows: ranked },
    buttons,
    tone: "info",
    attachments: [picture],
  };
}

const SUBTITLES: Record<PeriodKind, string> = { week: "Points this week · levels from all-time points", month: "Points this month · levels from all-time points", all: "All-time points" };
