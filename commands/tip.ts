import { z } from "zod";
import { parseNamespacedId } from "../src/core/identity.js";
import { option } from "../src/core/options.js";
import { memberText, mention, type Reply, time } from "../src/core/reply.js";
import { type CommandContext, command, UserError } from "../src/engine/commands/context.js";
import type { GiverFigures, TipOutcome } from "../src/engine/economy/tips.service.js";
import type { MemberRef } from "../src/core/identity.js";

/** Largest single tip (any balance is far below it; it keeps typed numbers sane). */
export const TIP_MAX = 1_000_000;
export const REASON_MAX = 200;

/**
 * `/tip member amount [reason]`: points from your balance to a member. They get the author share
 * (`economy.authorShare`, default 90 %, rounded down), the community pool the rest. Within your
 * balance, your weekly giving allowance and the per-pair weekly cap. See docs/economy-tips.md.
 *
 * "Tip the author" (tip-author.ts) opens this command's `author` dialog for the amount and reason.
 */
export default command({
  name: "tip",
  description: "Tip a member points from your balance; they get the author share",
  access: "member",
  options: {
    member: option.member({ description: "Who to tip", required: true }),
    amount: option.integer({ description: "How many points, from your balance", required: true, min: 1, max: TIP_MAX }),
    reason: option.string({ description: "What for (they see it)", maxLength: REASON_MAX }),
  },
  run: (ctx, { member, amount, reason }) => tip(ctx, member, amount, reason),
  forms: {
    author: { run: (ctx, values, arg) => tipFromDialog(ctx, values, arg) },
  },
});

/** The `author` dialog's id: the author and (if it fits Discord's 100 characters) the message. */
export function authorDialogId(authorId: string, messageKey: string): string {
  const full = `tip:author:${authorId} ${messageKey}`;
  return full.length <= 100 ? full : `tip:author:${authorId}`;
}

const amountText = z.string().trim().regex(/^\d{1,7}$/).transform(Number).pipe(z.number().int().min(1).max(TIP_MAX));

/**
 * "Tip the author"'s dialog, submitted. The author comes back in the dialog's id, which a client
 * could alter: it must still be a member id of this workspace, and the tipper pays as with /tip —
 * a forged id can do no more than `/tip` to that member could.
 */
async function tipFromDialog(ctx: CommandContext, values: Record<string, string>, arg: string | undefined): Promise<Reply> {
  const [authorId = "", messageKey] = (arg ?? "").split(" ");
  const author = parseNamespacedId(authorId);
  const valid = option.member({ description: "author" }).schema({ timezone: ctx.community.settings.timezone, now: ctx.now }).safeParse({ id: authorId });
  if (!valid.success || !author || author.platform !== ctx.place.platform || author.workspaceId !== ctx.place.workspaceId) {
    throw new UserError("That dialog no longer names the message's author. Use “Tip the author” on the message again.");
  }
  const typed = values.amount ?? "";
  const amount = amountText.safeParse(typed);
  if (!amount.success) throw new UserError(`“${memberText(typed.trim())}” is not an amount: give a whole number of points from 1 to ${TIP_MAX}.`);
  const reason = (values.reason ?? "").trim();
  if (reason.length > REASON_MAX || /[\r\n]/.test(reason)) throw new UserError(`That reason can't be used: give at most ${REASON_MAX} characters on one line, or leave it empty.`);
  return tip(ctx, { id: authorId }, amount.data, reason || undefined, messageKey);
}

/** Tips `receiver` from the one asking, keyed by the interaction; the answer is the tipper's. */
export async function tip(ctx: CommandContext, receiver: MemberRef & { isBot?: boolean }, amount: number, reason: string | undefined, sourceMessageKey?: string): Promise<Reply> {
  const outcome = await ctx.services.tips.tip(ctx.community, {
    key: ctx.event.key,
    giver: ctx.actor,
    receiver,
    amount,
    ...(reason ? { reason } : {}),
    ...(sourceMessageKey ? { sourceMessageKey } : {}),
    place: ctx.place,
    now: ctx.now,
  });
  return tipAnswer(outcome, receiver, amount);
}

/** The tipper's answer: what moved and their new figures, or why nothing did. Always private. */
export function tipAnswer(outcome: TipOutcome, receiver: MemberRef, amount: number): Reply {
  if (outcome.status === "refused") throw new UserError(refusalText(outcome, receiver, amount));
  const t = outcome.tip;
  const who = mention({ id: t.receiver_id, displayName: t.receiver_name });
  const why = t.reason ? ` (“${memberText(t.reason)}”)` : "";
  const pool = t.pool_share > 0 ? `, the community pool ${t.pool_share}` : "";
  const moved = outcome.status === "replayed" ? `That tip was already counted: ${who} got ${t.author_share} of your ${t.amount} points${pool}.` : `You tipped ${who} ${t.amount} points${why}: they get ${t.author_share}${pool}.`;
  return { title: outcome.status === "replayed" ? "Already counted" : "Tip sent", text: `${moved} ${figuresLine(outcome.giver)}`, ephemeral: true, tone: outcome.status === "replayed" ? "info" : "success" };
}

/** "Your balance: 40 points · tips left this week: 40 of 50 (resets …)." */
export function figuresLine(f: GiverFigures): string {
  return `Your balance: ${f.balance} points · tips left this week: ${f.left} of ${f.allowance} (resets ${time(f.resetsAt, "full")}).`;
}

function refusalText(outcome: Extract<TipOutcome, { status: "refused" }>, receiver: MemberRef, amount: number): string {
  const r = outcome.refusal;
  const resets = outcome.giver ? ` It resets ${time(outcome.giver.resetsAt, "full")} (${time(outcome.giver.resetsAt, "relative")}).` : "";
  switch (r.reason) {
    case "self":
      return "You can't tip yourself — tip someone whose help you valued.";
    case "same-person":
      return "That's you on another platform (your accounts are linked): tip someone else.";
    case "bot":
      return "Bots don't collect points; tip a person instead.";
    case "too-small":
      return `A tip of ${amount} would give them nothing once the community pool takes its share (they get ${r.share} %, rounded down): tip at least ${r.minimum}.`;
    case "balance":
      return `You have ${r.balance} points to spend, not enough for a tip of ${amount}. Tip at most ${r.balance}, or earn more by taking part.`;
    case "allowance":
      return r.left === 0
        ? `You've given your whole allowance of ${r.allowance} points in tips this week.${resets}`
        : `You can give ${r.left} more points in tips this week (your allowance is ${r.allowance}), so not ${amount}.${resets}`;
    case "pair-cap":
      return r.left === 0
        ? `You've tipped ${mention(receiver)} the most one member may tip another in a week (${r.cap} points).${resets}`
        : `You can tip ${mention(receiver)} ${r.left} more points this week (at most ${r.cap} to one member a week), so not ${amount}.${resets}`;
  }
}
