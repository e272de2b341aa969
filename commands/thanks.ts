import type { MemberRef } from "../src/core/identity.js";
import { option } from "../src/core/options.js";
import { memberText, mention, type Reply } from "../src/core/reply.js";
import { type CommandContext, command, UserError } from "../src/engine/commands/context.js";

/**
 * `/thanks member [reason]`: thank someone; they earn points (within the daily rules).
 *
 * With `points.thanksReceived` at 0 the thanks is still posted — thanking is worth doing on its
 * own — and says that it earns nothing here, rather than blaming a cap.
 */
export default command({
  name: "thanks",
  description: "Thank a member for their help; they earn points",
  access: "member",
  options: {
    member: option.member({ description: "Who to thank", required: true }),
    reason: option.string({ description: "What for (shown with the thanks)", maxLength: 200 }),
  },
  run: (ctx, { member, reason }) => thank(ctx, member, reason, ctx.event.key),
});

/**
 * Thanks `member` from the one asking, keyed by `sourceKey` (the command, or the message a
 * "Thank the author" was used on): the same source thanks the same member once.
 */
export async function thank(ctx: CommandContext, member: MemberRef & { isBot?: boolean }, reason: string | undefined, sourceKey: string): Promise<Reply> {
  if (member.id === ctx.actor.id) throw new UserError("You can't thank yourself — but thanks for being here.");
  if (member.isBot) throw new UserError("Bots don't collect points; thank a person instead.");
  const outcome = await ctx.services.points.thank(ctx.community, {
    sourceKey,
    giver: ctx.actor,
    receiver: member,
    at: ctx.event.at,
    place: ctx.place,
  });
  if (outcome.duplicate) return { text: "That thanks was already counted.", ephemeral: true };
  const reasons = outcome.skipped.map((s) => String(s.reason));
  const refusal = reasons.find((r) => Object.hasOwn(REFUSALS, r));
  if (refusal) throw new UserError(REFUSALS[refusal]!(ctx));

  const award = outcome.awards.find((a) => a.memberId === member.id && a.amount > 0);
  const giver = mention(ctx.actor);
  const receiver = mention({ id: member.id, displayName: award?.displayName ?? member.displayName });
  const why = reason ? `: “${memberText(reason)}”` : "";
  const earned = award
    ? ` (+${award.amount} points)`
    : reasons.includes("daily-cap")
      ? " (they've reached today's points cap)"
      : ctx.community.settings.points.thanksReceived === 0
        ? " (thanks earn no points in this community)"
        : " (no points this time)";
  return { text: `${giver} thanked ${receiver}${why}${earned}`, tone: "success" };
}

/**
 * Why a thanks was refused outright (nothing counted), by skip reason. Keyed by plain strings so a
 * reason the points engine no longer reports simply never matches.
 */
const REFUSALS: Record<string, (ctx: CommandContext) => string> = {
  "thanks-budget": (ctx) => `You've given your ${ctx.community.settings.points.thanksPerDay} thanks for today; more tomorrow (${ctx.community.settings.timezone}).`,
  bot: () => "Bots don't collect points; thank a person instead.",
  self: () => "You can't thank yourself — but thanks for being here.",
  "no-points-channel": () => "Thanks in this channel don't earn points.",
  "bad-timestamp": () => "That thanks is stamped more than a few minutes ahead of the bot's clock, so it can't count.",
};
