import { messageAction, UserError } from "../src/engine/commands/context.js";
import { authorDialogId, REASON_MAX, TIP_MAX } from "./tip.js";

/**
 * "Tip the author" on a message: `/tip` for whoever wrote it. A dialog asks how much (and what
 * for); its submission is the tip, keyed by that submission, so a replayed submission moves
 * nothing twice. Tipping the same message again later is another tip, as `/tip` would be.
 */
export default messageAction({
  id: "tip-author",
  name: "Tip the author",
  description: "Tip whoever wrote this message points from your balance",
  access: "member",
  run(ctx, target) {
    if (target.author.isBot) throw new UserError("Bots don't collect points; tip a person instead.");
    if (target.author.id === ctx.actor.id) throw new UserError("You can't tip yourself — tip someone whose help you valued.");
    return {
      text: "How many points would you like to tip?",
      ephemeral: true,
      form: {
        id: authorDialogId(target.author.id, target.messageKey),
        title: "Tip the author",
        submitLabel: "Tip",
        fields: [
          { id: "amount", label: "Points, from your balance", style: "short", required: true, placeholder: "e.g. 5", maxLength: String(TIP_MAX).length },
          { id: "reason", label: "What for (they see it)", style: "short", required: false, maxLength: REASON_MAX },
        ],
      },
    };
  },
});
