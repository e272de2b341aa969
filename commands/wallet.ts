import { option } from "../src/core/options.js";
import { mention, type Reply, time } from "../src/core/reply.js";
import { command } from "../src/engine/commands/context.js";
import { levelFor } from "../src/engine/points/levels.js";

/** The one line that tells the two numbers apart (also in docs/economy-tips.md). */
export const TWO_NUMBERS =
  "XP is everything ever earned — it sets levels and ranks, and spending never lowers it; the balance is what can be spent: earned points plus tips received, minus tips given.";

/**
 * `/wallet [member]`: lifetime XP, level and spendable balance; for yourself also this week's tips
 * given against the allowance. Always private: a balance is nobody else's business to broadcast.
 */
export default command({
  name: "wallet",
  description: "Your lifetime XP, level, spendable balance and tips given this week",
  access: "member",
  options: {
    member: option.member({ description: "Whose XP and balance (default: yours)" }),
  },
  async run(ctx, { member }): Promise<Reply> {
    const who = member ?? ctx.actor;
    const own = who.id === ctx.actor.id;
    const s = await ctx.services.wallet.standing(ctx.community, who.id);
    const name = mention(who);
    const level = levelFor(s.xp);
    const fields = [
      { name: "Lifetime XP", value: `${s.xp} (level ${level})`, inline: true },
      { name: "Balance", value: `${s.balance} points`, inline: true },
    ];
    if (!own) return { title: "Wallet", text: `${name}: lifetime XP ${s.xp} (level ${level}) · balance ${s.balance} points.`, fields, footer: TWO_NUMBERS, ephemeral: true, tone: "info" };
    const f = await ctx.services.tips.figures(ctx.community, who.id, ctx.now);
    const week = `${f.givenThisWeek} of ${f.allowance} given (resets ${time(f.resetsAt, "full")})`;
    return {
      title: "Your wallet",
      text: `${name}: lifetime XP ${s.xp} (level ${level}) · balance ${s.balance} points · tips this week: ${week}.`,
      fields: [...fields, { name: "Tips this week", value: week, inline: true }],
      footer: TWO_NUMBERS,
      ephemeral: true,
      tone: "info",
    };
  },
});
