import { option } from "../src/core/options.js";
import { memberText, type Reply } from "../src/core/reply.js";
import { type CommandContext, command, UserError } from "../src/engine/commands/context.js";
import { parseMessageLink } from "../src/engine/moderation/message-links.js";
import type { ReportResult } from "../src/engine/moderation/review-queue.js";

/** `/report link [reason]`: report a message to the moderators by its link ("Copy Message Link"). */
export default command({
  name: "report",
  description: "Report a message to the moderators by its link",
  access: "member",
  options: {
    link: option.string({ description: "The message's link (Copy Message Link / Copy link)", required: true, maxLength: 300 }),
    reason: option.string({ description: "What is wrong with it (only moderators see this)", maxLength: 300 }),
  },
  async run(ctx, { link, reason }) {
    const target = parseMessageLink(link, ctx.place);
    if (!target) {
      throw new UserError(
        `\`${memberText(link)}\` is not a message link. Use the message's own link: on Discord “Copy Message Link” (https://discord.com/channels/…), on Slack “Copy link” (https://….slack.com/archives/…).`,
      );
    }
    return reportAnswer(ctx, await ctx.services.moderation.reportLink(ctx.community, ctx.actor, target.messageKey, target.place, ctx.now, reason));
  },
});

/** The private answer to a report, whichever way it was made. */
export function reportAnswer(_ctx: CommandContext, result: ReportResult): Reply {
  if (result.ok) return { text: "Thanks — the moderators will take a look. Only they see who reported it.", ephemeral: true, tone: "success" };
  const why: Record<typeof result.reason, string> = {
    disabled: "Reporting to moderators is turned off in this community (an admin can turn it on with `/config set moderation.enabled on`).",
    "other-community": "That message is not in this community: you can only report messages posted here.",
    "unknown-message": "I haven't seen that message, so I can't report it (I only know messages posted while I was in the channel).",
    self: "You can't report your own message — delete or edit it instead.",
    bot: "Bots can't report messages.",
    "bot-message": "That message was posted by a bot: only members' messages can be reported.",
    already: "You've already reported that message; a report counts once.",
    decided: "The moderators have already decided about that message.",
  };
  throw new UserError(why[result.reason]);
}
