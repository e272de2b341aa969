import { option } from "../src/core/options.js";
import { mention } from "../src/core/reply.js";
import { command } from "../src/engine/commands/context.js";
import { HONOR_TITLES, type HonorName } from "../src/engine/digest/honors.js";

/** `/badges [member]`: the honors a member was awarded by the weekly digest, newest first. */
export default command({
  name: "badges",
  description: "Show the honors a member was awarded in the weekly digest",
  access: "member",
  options: {
    member: option.member({ description: "Whose honors (default: yours)" }),
  },
  async run(ctx, { member }) {
    const who = member ?? ctx.actor;
    const rows = await ctx.services.digestStats.badges(ctx.community, who.id);
    const name = mention({ id: who.id, displayName: who.displayName });
    const ephemeral = member === undefined || member.id === ctx.actor.id;
    if (rows.length === 0) return { text: `${name} has no honors yet. The weekly digest awards them.`, ephemeral, tone: "info" };
    const lines = rows.map((r) => {
      const t = HONOR_TITLES[r.honor as HonorName];
      return t ? `${t.emoji} ${t.title} — week ${r.week} (${t.value(r.value)})` : `${r.honor} — week ${r.week}`;
    });
    return { title: `Honors of ${who.displayName ?? "a member"}`, text: [`${name}'s honors:`, ...lines].join("\n"), ephemeral, tone: "info" };
  },
});
