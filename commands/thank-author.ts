import { messageAction } from "../src/engine/commands/context.js";
import { thank } from "./thanks.js";

/**
 * "Thank the author" on a message: `/thanks` for whoever wrote it, without typing their name. Keyed
 * by the message and the one thanking, so using it twice on one message counts once.
 */
export default messageAction({
  id: "thank-author",
  name: "Thank the author",
  description: "Thank whoever wrote this message; they earn points",
  access: "member",
  run: (ctx, target) => thank(ctx, target.author, undefined, `${target.messageKey}:thanked-by:${ctx.actor.id}`),
});
