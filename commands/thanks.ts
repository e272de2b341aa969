import { option } from "../src/core/options.js";
import { mention } from "../src/core/reply.js";
import { command, UserError } from "../src/engine/commands/context.js";

/** `/thanks member [reason]`: thank someone; they earn points (within the daily rules). */
export default command({
  name: "thanks",
  description: "Thank a member for their help; they earn points",
  access: "member",
  options: {
    member: option.member({ description: "Who to thank", required: true }),
    reason: option.string({ description: "What for (shown with the thanks)", maxLength: 200 }),
  },
  async run(ctx, { member, reason }) {
    if (member.id === ctx.actor.id) throw new UserError("You can't thank yourself — but thanks for being here.");
    if (member.isBot) throw new UserError("Bots don't collect points; thank a person instead.");
    const outcome = await ctx.services.points.thank(ctx.community, {
      sourceKey: ctx.event.key,
      giver: ctx.actor,
      receiver: member,
      at: ctx.event.at,
      place: ctx.place,
    });
    if (outcome.duplicate) return { text: "That thanks was already counted.", ephemeral: true };
    const refusal = outcome.skipped.find((s) => s.reason !== "duplicate")?.reason;
    const rules = ctx.community.settings.points;
    if (refusal === "thanks-budget") {
      throw new UserError(`You've given your ${rules.thanksPerDay} thanks for today; more tomorrow (${ctx.community.settings.timezone}).`);
    }
    if (refusal === "bot") throw new UserError("Bots don't collect points; thank a person instead.");
    if (refusal === "no-points-channel") throw new UserError("Thanks in this channel don't earn points.");
    if (refusal === "bad-timestamp") throw new UserError("That thanks is stamped more than a few minutes ahead of the bot's clock, so it can't count.");
    const award = outcome.awards.find((a) => a.memberId === member.id);
    const giver = mention(ctx.actor);
    const receiver = mention({ id: member.id, displayName: award?.displayName ?? member.displayName });
    const why = reason ? `: “${reason}”` : "";
    const earned = award ? ` (+${award.amount} points)` : " (they've reached today's points cap)";
    return { text: `${giver} thanked ${receiver}${why}${earned}`, tone: "success" };
  },
});
