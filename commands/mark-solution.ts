import { messageAction, UserError } from "../src/engine/commands/context.js";
import { markedAnswer, refusalText } from "../src/engine/knowledge/solution-replies.js";

/**
 * "Mark as solution" on a reply in a question's thread or forum post: the asker or a moderator
 * accepts it; its author earns `knowledge.solutionPoints` and any open bounty. The platform names
 * the message's author and text, so this works on replies the bot saw before it started too. Used
 * again on the accepted answer, it changes nothing: take a mark off with `/solved undo` or by
 * removing the ✅. See docs/knowledge-answers.md.
 */
export default messageAction({
  id: "mark-solution",
  name: "Mark as solution",
  description: "Accept this reply as the answer to your question",
  access: "member",
  async run(ctx, target) {
    const r = await ctx.services.knowledge.mark(ctx.community, {
      causeKey: ctx.event.key,
      at: ctx.event.at,
      actor: ctx.actor,
      answerKey: target.messageKey,
      answerAuthor: target.author,
      answerText: target.text,
      place: target.place,
    });
    if (!r.ok) throw new UserError(refusalText(r.reason));
    return markedAnswer(r);
  },
});
