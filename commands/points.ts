import { option } from "../src/core/options.js";
import { mention } from "../src/core/reply.js";
import { command } from "../src/engine/commands/context.js";
import { renderRankCard } from "../src/engine/pictures/index.js";
import { pointsForLevel } from "../src/engine/points/levels.js";

/** `/points [member]`: points, level, rank, this week's points and progress to the next level. */
export default command({
  name: "points",
  description: "Show points, level, rank, this week's points and progress to the next level",
  access: "member",
  options: {
    member: option.member({ description: "Whose points (default: yours)" }),
  },
  async run(ctx, { member }) {
    const who = member ?? ctx.actor;
    const s = await ctx.services.leaderboard.standing(ctx.community, who);
    const name = mention({ id: s.memberId, displayName: s.displayName });
    const rank = s.rank ? `#${s.rank}` : "not ranked yet";
    // The console and Slack's notification show only `text`, so the week's figure belongs there too.
    const week = s.weekPoints > 0 ? `${s.weekPoints} points (#${s.weekRank})` : "none yet";
    const filled = Math.round((s.progress.into / s.progress.span) * 10);
    const bar = `${"▰".repeat(filled)}${"▱".repeat(10 - filled)}`;
    return {
      title: `${s.displayName} — level ${s.progress.level}`,
      text: `${name} has ${s.points} points: level ${s.progress.level}, ${s.rank ? `rank ${rank}` : rank}. This week: ${week}. ${s.progress.toNext} more to level ${s.progress.level + 1}.`,
      fields: [
        { name: "Points", value: String(s.points), inline: true },
        { name: "Level", value: String(s.progress.level), inline: true },
        { name: "Rank", value: rank, inline: true },
        { name: `Progress to level ${s.progress.level + 1}`, value: `${bar} ${s.progress.into}/${s.progress.span}` },
        { name: "This week", value: week, inline: true },
      ],
      ephemeral: member === undefined || member.id === ctx.actor.id,
      tone: "info",
      attachments: [
        renderRankCard({
          name: s.displayName,
          level: s.progress.level,
          points: s.points,
          levelFloor: pointsForLevel(s.progress.level),
          nextLevelAt: pointsForLevel(s.progress.level + 1),
          ...(s.rank !== undefined ? { rank: s.rank } : {}),
          ...(s.weekRank !== undefined ? { weekRank: s.weekRank } : {}),
          weekPoints: s.weekPoints,
        }),
      ],
    };
  },
});
