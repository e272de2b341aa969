import { option } from "../src/core/options.js";
import { memberText, mention, type Reply } from "../src/core/reply.js";
import { type CommandContext, group, subcommand, UserError } from "../src/engine/commands/context.js";
import type { AwardOutcome, PostOutcome } from "../src/engine/economy/bounties.service.js";
import { type BountyQuestion, questionOf } from "../src/engine/economy/bounty-question.js";
import { answererOf, localTime, pointAdjective, points, posterOf, questionText } from "../src/engine/economy/bounty-replies.js";
import { ROLE_CHECKS } from "../src/engine/preconditions/roles.js";

/**
 * `/bounty post|award|list`: points on a question (Stack Overflow's bounties). The question is the
 * thread or forum post the command is used in, or a message link given as `question`. Posting
 * escrows the points from the poster's spendable balance; the poster or a moderator awards them to
 * the answerer; unawarded after `economy.bountyDays` they are refunded. See docs/economy-bounties.md.
 */
/** How many open bounties `/bounty list` shows. */
const LIST_SHOWN = 10;

const questionOption = option.string({ description: "The question's message link (default: the thread or forum post you are in)", maxLength: 300 });

const HOW_TO_NAME = "Use it inside the question's thread or forum post, or give the question's message link as `question` (Discord “Copy Message Link”, Slack “Copy link”).";

/** The question a command names, or the private answer saying how to name one. */
function question(ctx: CommandContext, given: string | undefined): BountyQuestion {
  const q = questionOf(given, ctx.place);
  if (q === "not-a-link") throw new UserError(`\`${memberText(given ?? "")}\` is not a message link. ${HOW_TO_NAME}`);
  if (q === "elsewhere") throw new UserError("That message is in another server or workspace: a bounty can only be put on a question asked here.");
  if (!q) throw new UserError(`Which question? ${HOW_TO_NAME}`);
  return q;
}

function posted(ctx: CommandContext, r: PostOutcome): Reply {
  if (!r.ok) {
    const zone = ctx.community.settings.timezone;
    const why: Record<(typeof r)["reason"], () => string> = {
      "below-min": () => `A bounty is at least ${points(ctx.community.settings.economy.minBounty)} here (economy.minBounty).`,
      short: () => `You can't put that much on it: your spendable balance is ${points(r.reason === "short" ? r.balance : 0)}.`,
      open: () => (r.reason === "open" ? `That question already has an open bounty of ${points(r.bounty.amount)} from ${posterOf(r.bounty)} (until ${localTime(r.bounty.expires_at, zone)}).` : ""),
      solved: () => (r.reason === "solved" ? `That question is solved: its bounty of ${points(r.bounty.amount)} went to ${answererOf(r.bounty)}.` : ""),
    };
    throw new UserError(why[r.reason]());
  }
  const b = r.bounty;
  const until = localTime(b.expires_at, ctx.community.settings.timezone);
  if (r.replayed) return { text: `That bounty was already posted: ${points(b.amount)} on ${questionText(b)}, open until ${until}.`, ephemeral: true, tone: "info" };
  return {
    text: `💰 ${posterOf(b)} put a bounty of ${points(b.amount)} on ${b.question_place ? "this question" : questionText(b)}. The poster or a moderator awards it to the best answer with /bounty award; unawarded, it is refunded on ${until}.`,
    footer: `${b.poster_name}'s spendable balance is now ${points(r.balance)}.`,
    tone: "success",
  };
}

function awarded(r: AwardOutcome): Reply {
  if (!r.ok) {
    const why: Record<(typeof r)["reason"], string> = {
      none: "That question has no open bounty. See /bounty list for the open ones.",
      awarded: r.reason === "awarded" ? `That bounty was already awarded, to ${answererOf(r.bounty)}.` : "",
      expired: r.reason === "expired" ? `That bounty expired and its ${points(r.bounty.amount)} went back to ${posterOf(r.bounty)}.` : "",
      "not-allowed": r.reason === "not-allowed" ? `Only ${posterOf(r.bounty)}, who posted this bounty, or a moderator can award it.` : "",
      self: "The poster can't be awarded their own bounty: pick the member whose answer solved it.",
      bot: "Bots don't collect points: pick the member whose answer solved it.",
    };
    throw new UserError(why[r.reason]);
  }
  const b = r.bounty;
  if (r.replayed) return { text: `That award was already made: ${points(b.amount)} to ${answererOf(b)}.`, ephemeral: true, tone: "info" };
  return { text: `Awarded the ${pointAdjective(b.amount)} bounty on ${questionText(b)} to ${answererOf(b)}; the question is marked solved and they have been told.`, ephemeral: true, tone: "success" };
}

const bounty = group({
  name: "bounty",
  description: "Put points on a question, award them to the answer, list open bounties",
  access: "member",
  subcommands: {
    post: subcommand({
      description: "Put points from your balance on a question (this thread, or a message link)",
      options: {
        amount: option.integer({ description: "How many points (at least economy.minBounty)", required: true, min: 1, max: 1_000_000 }),
        question: questionOption,
      },
      async run(ctx, o) {
        const q = question(ctx, o.question);
        return posted(ctx, await ctx.services.bounties.post(ctx.community, { key: ctx.event.key, poster: ctx.actor, question: q, amount: o.amount }));
      },
    }),
    award: subcommand({
      description: "Pay a question's bounty to the member whose answer solved it",
      options: {
        member: option.member({ description: "Whose answer solved it", required: true }),
        question: questionOption,
      },
      async run(ctx, o) {
        const q = question(ctx, o.question);
        const isModerator = ROLE_CHECKS.moderator.holds(ctx.actor, ctx.community.settings);
        return awarded(await ctx.services.bounties.award(ctx.community, { key: ctx.event.key, actor: ctx.actor, isModerator, questionKey: q.key, answerer: o.member }));
      },
    }),
    list: subcommand({
      description: "Open bounties, largest first",
      options: {},
      async run(ctx) {
        const { bounties, total } = await ctx.services.bounties.open(ctx.community, LIST_SHOWN);
        if (bounties.length === 0) return { text: "There are no open bounties. Put one on a question with /bounty post <amount> in its thread.", ephemeral: true, tone: "info" };
        const zone = ctx.community.settings.timezone;
        const lines = bounties.map((b) => `• ${points(b.amount)} — ${questionText(b)} by ${mention({ id: b.poster_id, displayName: b.poster_name })} · expires ${localTime(b.expires_at, zone)}`);
        const head = total > bounties.length ? [`The ${bounties.length} largest of ${total} open bounties:`] : [];
        return { title: "Open bounties", text: [...head, ...lines].join("\n"), ephemeral: true, tone: "info" };
      },
    }),
  },
});
export default bounty;
