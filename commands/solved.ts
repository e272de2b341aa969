import type { Place } from "../src/core/identity.js";
import { option } from "../src/core/options.js";
import { memberText, mention } from "../src/core/reply.js";
import { command, UserError } from "../src/engine/commands/context.js";
import { questionHere } from "../src/engine/economy/bounty-question.js";
import { markedAnswer, refusalText, unmarkedAnswer } from "../src/engine/knowledge/solution-replies.js";
import { messageLink, parseMessageLink } from "../src/engine/moderation/message-links.js";

/**
 * `/solved [answer] [undo]`, in the question's thread or forum post: with `answer` (the reply's
 * message link) the asker or a moderator marks that reply as the solution; with `undo` they take the
 * mark off (the points go back, an awarded bounty stays paid); with neither it says whether and by
 * which reply the question is solved. See docs/knowledge-answers.md.
 */
const HOW_TO_LINK = "Give the answer's message link (Discord “Copy Message Link”, Slack “Copy link”), or use “Mark as solution” on the reply.";

export default command({
  name: "solved",
  description: "Mark a reply as this question's solution (its link), or undo the mark",
  access: "member",
  options: {
    answer: option.string({ description: "The answer's message link", maxLength: 300 }),
    undo: option.boolean({ description: "Take the solution mark off this question" }),
  },
  async run(ctx, o) {
    const question = questionHere(ctx.place);
    const knowledge = ctx.services.knowledge;
    // Slack runs no slash command in a thread: there the answer's link names the question (its thread).
    if (!question && !o.answer?.trim()) throw new UserError("Use /solved inside the question's thread or forum post, or give the answer's message link as `answer`.");
    if (o.undo) {
      const answerKey = o.answer?.trim() ? linked(o.answer, ctx.place).messageKey : undefined;
      const questionKey = question?.key ?? (answerKey ? await knowledge.questionSolvedBy(ctx.community, answerKey) : undefined);
      if (!questionKey) throw new UserError(refusalText("not-solved"));
      const r = await knowledge.unmark(ctx.community, { causeKey: ctx.event.key, at: ctx.event.at, actor: ctx.actor, questionKey, ...(answerKey ? { answerKey } : {}) });
      if (!r.ok) throw new UserError(refusalText(r.reason));
      return unmarkedAnswer(r);
    }
    if (!o.answer?.trim() && question) {
      const row = await knowledge.solved(ctx.community, question.key);
      if (!row || row.state !== "accepted") return { text: `This question has no accepted answer yet. ${HOW_TO_LINK}`, ephemeral: true, tone: "info" };
      const link = messageLink(row.answer_key, ctx.place);
      return { text: `This question is solved by ${mention({ id: row.answer_author_id })}'s reply${link ? `: ${link}` : ""}.`, ephemeral: true, tone: "info" };
    }
    const target = linked(o.answer ?? "", ctx.place);
    const r = await knowledge.mark(ctx.community, { causeKey: ctx.event.key, at: ctx.event.at, actor: ctx.actor, answerKey: target.messageKey, ...(question ? { questionKey: question.key } : {}), place: question ? ctx.place : target.place });
    if (!r.ok) throw new UserError(refusalText(r.reason));
    return markedAnswer(r);
  },
});

/** The message an `answer` link names, in this workspace; a clear refusal otherwise. */
function linked(answer: string, place: Place): { messageKey: string; place: Place } {
  const target = parseMessageLink(answer, place);
  if (!target) throw new UserError(`\`${memberText(answer)}\` is not a message link. ${HOW_TO_LINK}`);
  if (target.place.platform !== place.platform || target.place.workspaceId !== place.workspaceId) throw new UserError("That message is in another server or workspace: mark a reply to a question asked here.");
  return target;
}
