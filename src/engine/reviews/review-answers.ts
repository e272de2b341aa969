import { channelMention, memberText, mention, type Reply, time } from "../../core/reply.js";
import { UserError } from "../commands/context.js";
import type { Community } from "../communities/community.repo.js";
import { listLine } from "./review-card.js";
import { type ReviewSubject, SNIPPET_MAX } from "./review-subject.js";
import type { CancelOutcome, ClaimOutcome, DoneOutcome, ReleaseOutcome, RequestOutcome } from "./reviews.service.js";
import type { ReviewRow } from "./reviews.repo.js";

/**
 * The private answers to `/review …` and the card's buttons: a success says what happened and
 * what comes next; a refusal is a {@link UserError} naming what was wrong and what to do instead.
 */

/** How `link` is described wherever it is refused. */
export const LINK_ACCEPTS = `a pull request's https address (GitHub, GitLab, Bitbucket or any https link) or a short code snippet (up to ${SNIPPET_MAX} characters)`;

export const NO_CHANNEL = "The code-review channel isn't set, so there is nowhere to post the request: an admin sets it with `/config set channels.reviews #channel`.";

const number = (r: Pick<ReviewRow, "number">) => `code review #${r.number}`;
/** The same at the start of a sentence. */
const numberAtStart = (r: Pick<ReviewRow, "number">) => `Code review #${r.number}`;
const requester = (r: ReviewRow) => mention({ id: r.requester_id, displayName: r.requester_name });
const claimer = (r: ReviewRow) => mention({ id: r.claimer_id ?? "", ...(r.claimer_name ? { displayName: r.claimer_name } : {}) });
const points = (n: number) => (n === 1 ? "1 point" : `${n} points`);
const ok = (text: string): Reply => ({ text, ephemeral: true, tone: "success" });
const info = (text: string): Reply => ({ text, ephemeral: true, tone: "info" });

/** The subject as given, or the refusal saying what `link` accepts. */
export function acceptedSubject(given: string, subject: ReviewSubject): Extract<ReviewSubject, { ok: true }> {
  if (subject.ok) return subject;
  const shown = memberText(Array.from(given.trim()).slice(0, 80).join(""));
  switch (subject.problem) {
    case "scheme":
      throw new UserError(`\`${shown}\` is a ${memberText(subject.scheme)} link: only https links are accepted. Give ${LINK_ACCEPTS}.`);
    case "bad-url":
      throw new UserError(`\`${shown}\` is not a valid https link (a host name and no spaces, e.g. https://github.com/owner/repo/pull/12). Give ${LINK_ACCEPTS}.`);
    case "too-long":
      throw new UserError(`That snippet is longer than ${subject.max} characters: put longer code in a gist or a pull request and give its https link. Accepted: ${LINK_ACCEPTS}.`);
  }
}

/** A request number from a button id's argument; a forged or stale id answers that the button is gone. */
export function buttonNumber(arg: string | undefined): number {
  if (!arg || !/^[1-9]\d{0,8}$/.test(arg)) throw new UserError("That button no longer names a code review.");
  return Number(arg);
}

const none = (n: number) => new UserError(`There is no code review #${n}. /review list shows the open and claimed ones.`);

export function requested(community: Community, r: RequestOutcome): Reply {
  if (!r.ok) throw new UserError(NO_CHANNEL);
  const where = community.settings.channels.reviews ? ` in ${channelMention({ id: community.settings.channels.reviews })}` : "";
  if (r.replayed) return info(`That request was already posted as ${number(r.review)}.`);
  return ok(`Posted your request as ${number(r.review)}${where}. A reviewer claims it there and replies in its thread; when they're done, mark it with the card's Done button or /review done ${r.review.number}.`);
}

export function claimed(r: ClaimOutcome, n: number, reviewPoints: number): Reply {
  if (!r.ok) {
    if (r.reason === "none") throw none(n);
    if (r.reason === "bot") throw new UserError("Bots don't review code.");
    const v = r.review;
    const why: Record<typeof r.reason, string> = {
      own: `That's your own request: someone else has to claim ${number(v)}.`,
      taken: `${claimer(v)} is already reviewing ${number(v)}${v.claim_until ? ` (until ${time(new Date(v.claim_until), "short")} unless it's done sooner)` : ""}.`,
      done: `${numberAtStart(v)} is done already: ${claimer(v)} reviewed it.`,
      cancelled: `${numberAtStart(v)} was cancelled by the requester.`,
    };
    throw new UserError(why[r.reason]);
  }
  const v = r.review;
  if (r.replayed) return info(`You're already reviewing ${number(v)}: reply in the card's thread. Released if not marked done by ${time(new Date(v.claim_until!), "short")}.`);
  const earn = reviewPoints > 0 ? `You earn ${points(reviewPoints)} when ${requester(v)} marks it done.` : `${requester(v)} marks it done when you're finished.`;
  return ok(`You're reviewing ${number(v)} — reply in the card's thread. ${earn} If it isn't marked done by ${time(new Date(v.claim_until!), "short")}, it is released for others; let it go sooner with /review release ${v.number}.`);
}

export function finished(r: DoneOutcome, n: number): Reply {
  if (!r.ok) {
    if (r.reason === "none") throw none(n);
    const v = r.review;
    const why: Record<typeof r.reason, string> = {
      "not-requester": `Only ${requester(v)}, who asked for ${number(v)}, can mark it done.`,
      unclaimed: `Nobody has claimed ${number(v)} yet, so there is no reviewer to thank. No longer needed? /review cancel ${v.number}.`,
      cancelled: `${numberAtStart(v)} was cancelled.`,
    };
    throw new UserError(why[r.reason]);
  }
  const v = r.review;
  if (r.replayed) return info(`${numberAtStart(v)} is already done: ${claimer(v)} reviewed it.`);
  const earned = v.points ? ` earns ${points(v.points)} and` : "";
  return ok(`Marked ${number(v)} done: ${claimer(v)}${earned} has been told. Thank you!`);
}

export function released(r: ReleaseOutcome, n: number): Reply {
  if (!r.ok) {
    if (r.reason === "none") throw none(n);
    const v = r.review;
    const why: Record<typeof r.reason, string> = {
      "not-claimer": `${claimer(v)} is reviewing ${number(v)}, not you: only the reviewer can release it.`,
      unclaimed: `Nobody has claimed ${number(v)}.`,
      done: `${numberAtStart(v)} is done already.`,
      cancelled: `${numberAtStart(v)} was cancelled.`,
    };
    throw new UserError(why[r.reason]);
  }
  return ok(`You let go of ${number(r.review)}: it's open for others again.`);
}

export function cancelled(r: CancelOutcome, n: number): Reply {
  if (!r.ok) {
    if (r.reason === "none") throw none(n);
    const v = r.review;
    if (r.reason === "done") throw new UserError(`${numberAtStart(v)} is done already, so it can't be cancelled.`);
    throw new UserError(`Only ${requester(v)}, who asked for ${number(v)}, or a moderator can cancel it.`);
  }
  if (r.replayed) return info(`${numberAtStart(r.review)} was already cancelled.`);
  return ok(`Cancelled ${number(r.review)}${r.review.claimer_id ? `; ${claimer(r.review)}, who had claimed it, is told` : ""}.`);
}

/** `/review list`: open and claimed requests, oldest first. */
export function waitingList(reviews: ReviewRow[], total: number): Reply {
  if (reviews.length === 0) return info("No code reviews are waiting. Ask for one with /review request <link>.");
  const head = total > reviews.length ? [`The ${reviews.length} oldest of ${total} waiting:`] : [];
  return { title: "Code reviews waiting", text: [...head, ...reviews.map((r) => `• ${listLine(r)}`)].join("\n"), footer: "Claim one with /review claim <number> or the card's Claim button.", ephemeral: true, tone: "info" };
}
