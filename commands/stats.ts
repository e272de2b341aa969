import { option } from "../src/core/options.js";
import type { Reply } from "../src/core/reply.js";
import { command } from "../src/engine/commands/context.js";
import { duration, type WeekHealth } from "../src/engine/digest/health.service.js";

const pct = (x: number | undefined) => (x === undefined ? "–" : `${Math.round(x * 100)} %`);

function line(h: WeekHealth): string {
  return [
    `${h.week}: ${h.active} active (${h.newMembers} new, ${h.returning} returning, retention ${pct(h.retention)})`,
    `${h.messages} messages, ${h.replies} thread replies`,
    `${h.answered}/${h.questions} questions answered, median first reply ${h.medianFirstReplyMs === undefined ? "–" : duration(h.medianFirstReplyMs)}`,
    `${h.unanswered24h} unanswered after 24 h`,
  ].join(" · ");
}

/** `/stats [weeks]`: community health over the last full weeks (organizers), with a 12-week chart of active members. */
export default command({
  name: "stats",
  description: "Community health over the last weeks (organizers)",
  access: "organizer",
  options: {
    weeks: option.integer({ description: "How many full weeks to show (1–12, default 4)", min: 1, max: 12 }),
  },
  async run(ctx, { weeks }) {
    const stats = ctx.services.digestStats;
    const figures = await stats.health(ctx.community, weeks ?? 4);
    const chart = await stats.activeChart(ctx.community);
    const reply: Reply = {
      title: "Community health",
      text: ["Community health (active = earned points that week):", ...figures.map(line)].join("\n"),
      fields: figures.map((h) => ({ name: h.week, value: line(h).slice(h.week.length + 2), inline: false })),
      ephemeral: true,
      tone: "info",
    };
    if (chart) reply.attachments = [chart];
    return reply;
  },
});
