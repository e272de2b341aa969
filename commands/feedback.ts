import { option } from "../src/core/options.js";
import { mention, type Reply } from "../src/core/reply.js";
import { type Command, group, subcommand, UserError } from "../src/engine/commands/context.js";
import { listLine, mineLine } from "../src/engine/feedback/feedback-replies.js";
import { alreadyDecided, type FeedbackRow } from "../src/engine/feedback/feedback.service.js";
import { FeedbackRefusal, TEXT_MAX } from "../src/engine/feedback/feedback-rules.js";

/**
 * `/feedback send|mine` for members, `/feedback list|answer|close` for organizers (the card's
 * Answer and Close buttons do the same): feedback heard and answered (see docs/feedback.md). Every
 * answer is private; what anyone typed is shown as member text, never markup or a mention.
 */

/** Runs `work`, turning feedback's refusals into the private answer. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof FeedbackRefusal) throw new UserError(error.message);
    throw error;
  }
}

const member = (f: FeedbackRow) => mention({ id: f.member_id, displayName: f.member_name });
const answered = (f: FeedbackRow): Reply => ({ text: `Answered feedback #${f.number}: ${member(f)} gets your answer by direct message, and the card shows it.`, ephemeral: true, tone: "success" });
const closed = (f: FeedbackRow): Reply => ({ text: `Closed feedback #${f.number}: ${member(f)} is told, and the card shows it.`, ephemeral: true, tone: "success" });

const number_ = option.integer({ description: "The feedback's number (from /feedback list)", required: true, min: 1 });

const feedback: Command = group({
  name: "feedback",
  description: "Send feedback to the organizers, and see their answers",
  access: "member",
  subcommands: {
    send: subcommand({
      description: "Send feedback to the organizers (they see it's from you)",
      options: { text: option.string({ description: "What you'd like the organizers to know", required: true, maxLength: TEXT_MAX }) },
      async run(ctx, { text }) {
        const { feedback: f } = await answer(() => ctx.services.feedback.send(ctx.community, ctx.actor, ctx.event.key, text));
        return {
          text: `Thanks — your feedback #${f.number} went to the organizers. They see that it's from you. Their answer comes by direct message; /feedback mine shows where it stands.`,
          ephemeral: true,
          tone: "success",
        };
      },
    }),
    mine: subcommand({
      description: "Your feedback: open, answered or closed, with the answers",
      options: {},
      async run(ctx) {
        const mine = await ctx.services.feedback.mine(ctx.community, ctx.actor.id);
        if (mine.length === 0) return { text: "You haven't sent any feedback yet. `/feedback send <text>` sends some to the organizers.", ephemeral: true, tone: "info" };
        return { title: "Your feedback", text: mine.map(mineLine).join("\n"), ephemeral: true, tone: "info" };
      },
    }),
    list: subcommand({
      description: "Open feedback first, then the latest answered or closed (organizers)",
      access: "organizer",
      options: {},
      async run(ctx) {
        const { open, openCount, decided } = await ctx.services.feedback.overview(ctx.community);
        if (openCount === 0 && decided.length === 0) return { text: "No feedback yet.", ephemeral: true, tone: "info" };
        const more = openCount > open.length ? [`… and ${openCount - open.length} more open`] : [];
        const lines = [
          openCount === 0 ? "Open: none." : `Open (${openCount}):`,
          ...open.map((f) => `• ${listLine(f)}`),
          ...more,
          ...(decided.length ? ["Latest answered or closed:", ...decided.map((f) => `• ${listLine(f)}`)] : []),
        ];
        return { title: "Feedback", text: lines.join("\n"), footer: "Answer with the card's buttons, or /feedback answer <number> <text> and /feedback close <number> [reason].", ephemeral: true, tone: "info" };
      },
    }),
    answer: subcommand({
      description: "Answer feedback; the member gets it by direct message (organizers)",
      access: "organizer",
      options: { number: number_, text: option.string({ description: "Your answer", required: true, maxLength: TEXT_MAX }) },
      async run(ctx, { number, text }) {
        const { feedback: f } = await answer(async () => ctx.services.feedback.answer(ctx.community, ctx.actor, (await ctx.services.feedback.numbered(ctx.community, number)).id, ctx.event.key, text));
        return answered(f);
      },
    }),
    close: subcommand({
      description: "Close feedback without an answer; the member is told (organizers)",
      access: "organizer",
      options: { number: number_, reason: option.string({ description: "Why (the member sees it)", maxLength: TEXT_MAX }) },
      async run(ctx, { number, reason }) {
        const { feedback: f } = await answer(async () => ctx.services.feedback.close(ctx.community, ctx.actor, (await ctx.services.feedback.numbered(ctx.community, number)).id, ctx.event.key, reason));
        return closed(f);
      },
    }),
  },
  buttons: {
    // `feedback:answer:<id>`: a dialog asks for the answer.
    answer: {
      access: "organizer",
      async run(ctx, id) {
        const f = id ? await ctx.services.feedback.find(ctx.community, id) : undefined;
        if (!f) throw new UserError("That feedback no longer exists.");
        if (f.state !== "open") throw new UserError(alreadyDecided(f));
        return {
          text: `Answer feedback #${f.number}`,
          ephemeral: true,
          form: {
            id: `feedback:answer:${f.id}`,
            title: `Answer feedback #${f.number}`,
            submitLabel: "Send answer",
            fields: [{ id: "answer", label: "Your answer (sent to the member by DM)", style: "paragraph", required: true, maxLength: TEXT_MAX }],
          },
        };
      },
    },
    // `feedback:close:<id>`: closed at once, without a reason (`/feedback close` takes one).
    close: {
      access: "organizer",
      async run(ctx, id) {
        const { feedback: f } = await answer(() => ctx.services.feedback.close(ctx.community, ctx.actor, id ?? "", ctx.event.key, undefined));
        return closed(f);
      },
    },
  },
  forms: {
    // `feedback:answer:<id>`
    answer: {
      access: "organizer",
      async run(ctx, values, id) {
        const { feedback: f } = await answer(() => ctx.services.feedback.answer(ctx.community, ctx.actor, id ?? "", ctx.event.key, values.answer ?? ""));
        return answered(f);
      },
    },
  },
});
export default feedback;
