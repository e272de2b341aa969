import { option } from "../src/core/options.js";
import { memberText, time } from "../src/core/reply.js";
import { command, UserError } from "../src/engine/commands/context.js";
import { platformName } from "../src/engine/people/link-codes.js";
import type { LinkResult } from "../src/engine/people/people.service.js";

/**
 * `/link`: a one-time code (ten minutes, single use) to spend on the community's other platform;
 * `/link CODE` there joins the two members into one person — one set of points, one level, one
 * leaderboard row, one balance. See docs/linked-identities.md.
 */
export default command({
  name: "link",
  description: "Join your Discord and Slack members into one person: points, level and balance combine",
  access: "member",
  options: {
    code: option.string({ description: "The code /link gave you on the other platform (leave out to get one)", minLength: 4, maxLength: 20 }),
  },
  async run(ctx, { code }) {
    if (code === undefined) {
      const r = await ctx.services.people.createCode(ctx.community, ctx.actor, ctx.event.key);
      if (!r.ok) {
        const why = {
          bot: "Bots can't link accounts.",
          "one-platform": "This community lives on one platform only, so there is nothing to link to. An admin can join a workspace on the other platform with `/config link` first.",
          replayed: "A code was already made for this request. Run /link again for a new one.",
          "rate-limited": `You've asked for several codes in the last hour; try again after ${r.reason === "rate-limited" ? time(r.retryAt, "short") : ""}.`,
        }[r.reason];
        throw new UserError(why);
      }
      const where = r.otherPlatforms.map(platformName).join(" or ");
      return {
        text: `Your link code: \`${r.code}\`. On ${where}, run \`/link ${r.code}\` before ${time(r.expiresAt, "short")} (it works once). Your points, level and balance there and here then count as one person's.`,
        ephemeral: true,
        tone: "info",
      };
    }
    const r = await ctx.services.people.link(ctx.community, ctx.actor, code, ctx.event.key, ctx.place);
    if (!r.ok) throw new UserError(refusal(r, code));
    return {
      text: `Linked: you and ${memberText(r.personName)} are now one person here — points, level, leaderboard row and balance combine. /unlink splits them again.`,
      ephemeral: true,
      tone: "success",
    };
  },
});

function refusal(r: Extract<LinkResult, { ok: false }>, typed: string): string {
  const platform = platformName(r.platform ?? "");
  switch (r.reason) {
    case "bot":
      return "Bots can't link accounts.";
    case "bad-code":
      return `“${memberText(typed)}” isn't a link code: it has 8 letters and digits, like ABCD-EF23. Run /link (without a code) on the other platform to get one.`;
    case "unknown-code":
      return "That code doesn't exist. Run /link on the other platform for a fresh one.";
    case "other-community":
      return "That code is from a community this workspace isn't part of. An admin joins the two workspaces with `/config link` and `/config join` first.";
    case "used":
      return "That code was used already (each works once). Run /link on the other platform for a fresh one.";
    case "expired":
      return "That code has expired (they last 10 minutes). Run /link on the other platform for a fresh one.";
    case "same-platform":
      return `That code was made on ${platform}: use it on the other platform, where your other account is.`;
    case "self-linked":
      return "This account is linked already. Run /unlink first to link it to someone else.";
    case "platform-taken":
      return `That person already has a linked account on ${platform}; they can /unlink it first.`;
  }
}
