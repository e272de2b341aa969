import { messageAction } from "../src/engine/commands/context.js";
import { reportAnswer } from "./report.js";

/**
 * "Report to moderators" on a message (Discord's Apps menu, Slack's message shortcut): the platform
 * tells us the author and the text, so any message can be reported. One member's reports of one
 * message count once; a member cannot report their own.
 */
export default messageAction({
  id: "report-message",
  name: "Report to moderators",
  description: "Send this message to the moderators' review queue",
  access: "member",
  run: async (ctx, target) => reportAnswer(ctx, await ctx.services.moderation.reportTarget(ctx.community, ctx.actor, target, ctx.now)),
});
