import { command, UserError } from "../src/engine/commands/context.js";
import { confirmText, doneText } from "../src/engine/forget/forget-replies.js";

/** How long the confirmation's button works: long enough to read it, short enough not to be pressed by accident days later. */
const CONFIRM_WINDOW_MS = 10 * 60_000;

/**
 * `/forget-me`: a member asks the bot to erase their personal data in this community (names, what
 * they wrote, links; their ledger rows stay under a pseudonym). Nothing happens until they press
 * "Forget me" on the private confirmation, within ten minutes. The button always forgets whoever
 * presses it, never an id it carries: the id only says when the confirmation was shown. See
 * docs/forget-me.md.
 */
export default command({
  name: "forget-me",
  description: "Erase your personal data in this community (asks you to confirm first)",
  access: "member",
  options: {},
  async run(ctx) {
    if (ctx.actor.isBot) throw new UserError("Bots can't be forgotten this way.");
    const preview = await ctx.services.forget.preview(ctx.community, ctx.actor.id);
    return {
      title: "Forget me?",
      text: confirmText(preview, ctx.actor.id, ctx.community.name, ctx.actor.platform),
      buttons: [
        { id: `forget-me:confirm:${ctx.now.getTime()}`, label: "Forget me", style: "danger" },
        { id: "forget-me:cancel", label: "Keep me", style: "secondary" },
      ],
      ephemeral: true,
      tone: "warning",
    };
  },
  buttons: {
    // `forget-me:confirm:<ms>`: when the confirmation was shown.
    confirm: {
      async run(ctx, shownAt) {
        if (ctx.actor.isBot) throw new UserError("Bots can't be forgotten this way.");
        const age = ctx.now.getTime() - Number(shownAt);
        if (!(age >= -60_000 && age <= CONFIRM_WINDOW_MS)) throw new UserError("That confirmation has expired: nothing was forgotten. Run /forget-me again if you still want to.");
        const result = await ctx.services.forget.forget(ctx.community, ctx.actor.id);
        return { text: doneText(result), ephemeral: true, tone: "success" };
      },
    },
    cancel: {
      run: () => ({ text: "Nothing was forgotten.", ephemeral: true, tone: "info" }),
    },
  },
});
