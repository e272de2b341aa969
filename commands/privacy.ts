import { option } from "../src/core/options.js";
import { command } from "../src/engine/commands/context.js";
import type { PrivacyStatus } from "../src/engine/web/privacy.service.js";

/**
 * `/privacy [status|hide|show]`: whether you are on this community's public web leaderboard, and
 * your choice to leave it (docs/web-leaderboard.md). One command with an optional choice rather
 * than subcommands, because Discord cannot run a command that has subcommands without one, and
 * `/privacy` alone must say what is shown. Always answered privately; the choice covers linked
 * accounts and leaves the boards in chat as they are.
 */
export default command({
  name: "privacy",
  description: "See or change whether you are listed on the community's public web leaderboard",
  access: "member",
  options: {
    action: option.choice({ description: "hide: leave the web page, show: be listed again, status (default): what is shown", choices: ["status", "hide", "show"] }),
  },
  async run(ctx, { action }) {
    const { privacy } = ctx.services;
    if (action === "hide" || action === "show") {
      const status = await privacy.setHidden(ctx.community, ctx.actor, action === "hide");
      return { text: changed(status), ephemeral: true, tone: "success" };
    }
    return { text: describe(await privacy.status(ctx.community, ctx.actor)), ephemeral: true, tone: "info" };
  },
});

const WHAT = "your name, points, level, honors and rank card";

function page(status: PrivacyStatus): string {
  return status.slug ? ` (/c/${status.slug})` : "";
}

function describe(status: PrivacyStatus): string {
  if (status.hidden) {
    const off = status.boardOn ? "" : " It is off at the moment anyway.";
    return `You are hidden from this community's public web leaderboard${page(status)}: ${WHAT} are not on it, and the people below you move up.${off} The leaderboards in chat still show you. \`/privacy show\` lists you again.`;
  }
  if (!status.boardOn) return `This community's public web leaderboard is off, so nothing about you is on the web. If an admin turns it on, it shows ${WHAT}; \`/privacy hide\` keeps you off it.`;
  return `You are listed on this community's public web leaderboard${page(status)}: anyone with the address sees ${WHAT}. \`/privacy hide\` takes you off it.`;
}

function changed(status: PrivacyStatus): string {
  if (status.hidden) {
    return `Done: you are off this community's public web leaderboard${page(status)}, with your linked accounts. A copy already loaded or cached may show you for up to a minute. The leaderboards in chat are unchanged. \`/privacy show\` lists you again.`;
  }
  const off = status.boardOn ? "" : " (It is off at the moment: nothing is shown until an admin turns it on.)";
  return `Done: you are listed on this community's public web leaderboard${page(status)} again, with your linked accounts.${off} \`/privacy hide\` takes you off it.`;
}
