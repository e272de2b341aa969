import { option } from "../src/core/options.js";
import { type Command, type CommandContext, group, subcommand } from "../src/engine/commands/context.js";
import type { Precondition } from "../src/core/precondition.js";
import { ROLE_CHECKS } from "../src/engine/preconditions/roles.js";
import { acceptedSubject, buttonNumber, cancelled, claimed, finished, NO_CHANNEL, released, requested, waitingList } from "../src/engine/reviews/review-answers.js";
import { parseReviewSubject } from "../src/engine/reviews/review-subject.js";

/**
 * `/review request|claim|done|release|cancel|list`: code-review requests (issue 14). A member asks
 * for a review of a pull request or a snippet; the card in `channels.reviews` has Claim, then Done
 * (the requester) and Release (the reviewer) buttons, which do what the subcommands do. See
 * docs/code-reviews.md.
 */

/** How many waiting requests `/review list` shows. */
const LIST_SHOWN = 15;

const reviewsChannelSet: Precondition<CommandContext> = {
  name: "reviews-channel-configured",
  check: (ctx) => (ctx.community.settings.channels.reviews ? undefined : NO_CHANNEL),
};

const number_ = option.integer({ description: "The request's number (code review #n, from /review list)", required: true, min: 1, max: 1_000_000_000 });

const act = (ctx: CommandContext, number: number) => ({ key: ctx.event.key, actor: ctx.actor, number });

const claim = async (ctx: CommandContext, n: number) => claimed(await ctx.services.reviews.claim(ctx.community, act(ctx, n)), n, ctx.community.settings.reviews.points);
const done = async (ctx: CommandContext, n: number) => finished(await ctx.services.reviews.done(ctx.community, act(ctx, n)), n);
const release = async (ctx: CommandContext, n: number) => released(await ctx.services.reviews.release(ctx.community, act(ctx, n)), n);

const review: Command = group({
  name: "review",
  description: "Ask for a code review, claim one, mark it done, list those waiting",
  access: "member",
  subcommands: {
    request: subcommand({
      description: "Ask for a review of a pull request (its https link) or a short snippet",
      requires: [reviewsChannelSet],
      options: {
        link: option.string({ description: "A pull request's https link (GitHub, GitLab, Bitbucket, any https) or a short snippet", required: true, maxLength: 1000 }),
        description: option.string({ description: "What it is and what you'd like looked at", maxLength: 500 }),
      },
      async run(ctx, o) {
        const subject = acceptedSubject(o.link, parseReviewSubject(o.link));
        const outcome = await ctx.services.reviews.request(ctx.community, { key: ctx.event.key, requester: ctx.actor, subject, ...(o.description ? { description: o.description } : {}) });
        return requested(ctx.community, outcome);
      },
    }),
    claim: subcommand({ description: "Review request #n (not your own): reply in its card's thread", options: { number: number_ }, run: (ctx, o) => claim(ctx, o.number) }),
    done: subcommand({ description: "Mark your request #n reviewed: the reviewer earns points", options: { number: number_ }, run: (ctx, o) => done(ctx, o.number) }),
    release: subcommand({ description: "Let go of a request you claimed, so others can take it", options: { number: number_ }, run: (ctx, o) => release(ctx, o.number) }),
    cancel: subcommand({
      description: "Withdraw your request #n (moderators: anyone's)",
      options: { number: number_ },
      async run(ctx, o) {
        const isModerator = ROLE_CHECKS.moderator.holds(ctx.actor, ctx.community.settings);
        return cancelled(await ctx.services.reviews.cancel(ctx.community, { ...act(ctx, o.number), isModerator }), o.number);
      },
    }),
    list: subcommand({
      description: "Open and claimed requests, oldest first",
      options: {},
      async run(ctx) {
        const { reviews, total } = await ctx.services.reviews.waiting(ctx.community, LIST_SHOWN);
        return waitingList(reviews, total);
      },
    }),
  },
  buttons: {
    // `review:claim|done|release:<number>`, on the card.
    claim: { run: (ctx, arg) => claim(ctx, buttonNumber(arg)) },
    done: { run: (ctx, arg) => done(ctx, buttonNumber(arg)) },
    release: { run: (ctx, arg) => release(ctx, buttonNumber(arg)) },
  },
});
export default review;
