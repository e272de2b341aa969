import { command, UserError } from "../src/engine/commands/context.js";

/**
 * `/unlink`: splits a linked person again, going forward. Each account keeps what it earned
 * (history is never rewritten); if the split would leave one side's balance negative, the other
 * side settles it. See docs/linked-identities.md.
 */
export default command({
  name: "unlink",
  description: "Split your linked Discord and Slack accounts again",
  access: "member",
  options: {},
  async run(ctx) {
    const r = await ctx.services.people.unlink(ctx.community, ctx.actor, ctx.event.key);
    if (!r.ok) throw new UserError("This account isn't linked to another one. /link joins accounts on two platforms.");
    const settled = r.settled > 0 ? ` ${r.settled} points moved between the accounts so that neither balance is negative.` : "";
    return { text: `Unlinked: each account now has the points it earned itself, and its own level and leaderboard row.${settled}`, ephemeral: true, tone: "success" };
  },
});
