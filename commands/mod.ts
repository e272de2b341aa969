import { option } from "../src/core/options.js";
import { channelMention, memberText, mention, type Reply, time } from "../src/core/reply.js";
import type { Place } from "../src/core/identity.js";
import { type CommandContext, group, subcommand, UserError } from "../src/engine/commands/context.js";
import type { DecisionAction, DecisionResult } from "../src/engine/moderation/decisions.js";
import { REASON_LABELS, shownExcerpt } from "../src/engine/moderation/review-card.js";
import { isSubjectItem } from "../src/engine/moderation/subject-items.js";

/**
 * `/mod queue|approve|remove|warn|adjust|history`: the moderators' side of content quality, and the
 * buttons of the queue cards (`mod:approve:<n>`, `mod:remove:<n>`, `mod:penalise:<n>`). Moderators
 * only — a member who presses a card's button is refused by the same check.
 */
/** How many open items `/mod queue` lists (oldest first). */
const QUEUE_SHOWN = 15;

const ACTION_WORDS: Record<DecisionAction, string> = { approve: "Approved", remove: "Removed", penalise: "Removed (with penalty)" };

const mod = group({
  name: "mod",
  description: "Review flagged and reported messages, warn members, adjust points",
  access: "moderator",
  subcommands: {
    queue: subcommand({
      description: "List the open items of the review queue",
      options: {},
      async run(ctx) {
        // One more than is shown, to know whether there are more: the count must not claim 15 when there are 40.
        const found = await ctx.services.moderation.openItems(ctx.community, QUEUE_SHOWN + 1);
        const items = found.slice(0, QUEUE_SHOWN);
        if (items.length === 0) return { text: "The review queue is empty.", ephemeral: true, tone: "success" };
        const lines = items.map((item) => {
          const place = JSON.parse(item.place) as Place;
          const reasons = (JSON.parse(item.reasons) as string[]).map((r) => REASON_LABELS[r] ?? r).join(", ");
          const excerpt = item.excerpt ? ` — “${shownExcerpt(item.excerpt, 80)}”` : "";
          return `#${item.number} ${reasons} · ${mention({ id: item.member_id })} in ${channelMention({ id: `${place.platform}:${place.workspaceId}:${place.channelId}` })}${excerpt}`;
        });
        return { title: "Review queue", text: [found.length > QUEUE_SHOWN ? `The ${QUEUE_SHOWN} oldest open items (there are more; decide these first):` : `Open items (${items.length}):`, ...lines, "Decide with /mod approve <n> or /mod remove <n> [reason]."].join("\n"), ephemeral: true, tone: "info" };
      },
    }),
    approve: subcommand({
      description: "Approve a queue item: the message stays, the flag is cleared",
      options: { id: option.integer({ description: "The item's number (Review #n)", required: true, min: 1, max: 1_000_000_000 }) },
      run: async (ctx, { id }) => answer(ctx, "approve", await ctx.services.moderation.decide(ctx.community, ctx.actor, id, "approve", ctx.now)),
    }),
    remove: subcommand({
      description: "Remove a queue item's message and take back its points",
      options: {
        id: option.integer({ description: "The item's number (Review #n)", required: true, min: 1, max: 1_000_000_000 }),
        reason: option.string({ description: "Why (shown on the card and in the audit log)", maxLength: 300 }),
        penalise: option.boolean({ description: "Also take the configured penalty (moderation.penalty)" }),
      },
      async run(ctx, { id, reason, penalise }) {
        const action = penalise ? "penalise" : "remove";
        return answer(ctx, action, await ctx.services.moderation.decide(ctx.community, ctx.actor, id, action, ctx.now, reason));
      },
    }),
    warn: subcommand({
      description: "Warn a member privately; the warning goes in the audit log",
      options: {
        member: option.member({ description: "Who to warn", required: true }),
        reason: option.string({ description: "What for (the member reads this)", required: true, maxLength: 300 }),
      },
      async run(ctx, { member, reason }) {
        if (member.isBot) throw new UserError("Bots can't be warned.");
        if (member.id === ctx.actor.id) throw new UserError("You can't warn yourself.");
        const text = `A moderator of ${memberText(ctx.community.name)} warned you: “${memberText(reason)}”`;
        const first = await ctx.services.moderation.warn(ctx.community, { actor: ctx.actor, member, reason, key: ctx.event.key, now: ctx.now, text });
        return { text: first ? `Warned ${mention(member)}: “${memberText(reason)}” (sent privately, recorded in /mod history).` : "That warning was already recorded.", ephemeral: true, tone: "success" };
      },
    }),
    adjust: subcommand({
      description: "Add or take points from a member, with a reason",
      options: {
        member: option.member({ description: "Whose points", required: true }),
        points: option.integer({ description: "How many: positive to add, negative to take (-1000 to 1000)", required: true, min: -1000, max: 1000 }),
        reason: option.string({ description: "Why (recorded in the audit log)", required: true, maxLength: 300 }),
      },
      async run(ctx, { member, points, reason }) {
        if (points === 0) throw new UserError("`points` must not be 0: give a positive number to add or a negative one to take.");
        if (member.isBot) throw new UserError("Bots don't collect points.");
        // As with /mod warn: a moderator's own points are another moderator's (or an admin's) call.
        if (member.id === ctx.actor.id) throw new UserError("You can't adjust your own points: ask another moderator.");
        const r = await ctx.services.moderation.adjust(ctx.community, { actor: ctx.actor, member, amount: points, reason, key: ctx.event.key, now: ctx.now, place: ctx.place });
        if (r.duplicate) return { text: "That adjustment was already made.", ephemeral: true };
        return { text: `${points > 0 ? "Added" : "Took"} ${Math.abs(points)} points ${points > 0 ? "to" : "from"} ${mention(member)}: ${r.before} → ${r.after}. Reason: “${memberText(reason)}”`, ephemeral: true, tone: "success" };
      },
    }),
    history: subcommand({
      description: "A member's moderation history: flags, decisions, warnings, adjustments",
      options: { member: option.member({ description: "Whose history", required: true }) },
      async run(ctx, { member }) {
        const rows = await ctx.services.moderation.history(ctx.community, member.id);
        if (rows.length === 0) return { text: `${mention(member)} has no moderation history.`, ephemeral: true, tone: "info" };
        const lines = rows.map((r) => {
          const who = r.actor_id === "bot" ? "automatic" : mention({ id: r.actor_id });
          const item = r.item_number !== null ? ` #${r.item_number}` : "";
          const points = r.points_before !== null && r.points_after !== null && r.points_before !== r.points_after ? ` (points ${r.points_before} → ${r.points_after})` : "";
          const why = r.reason ? `: ${memberText(r.reason)}` : "";
          return `${time(new Date(r.at), "short")} ${r.action}${item} by ${who}${why}${points}`;
        });
        return { title: "Moderation history", text: [`History of ${mention(member)} (newest first):`, ...lines].join("\n"), ephemeral: true, tone: "info" };
      },
    }),
  },
  buttons: {
    approve: { run: (ctx, arg) => press(ctx, "approve", arg) },
    remove: { run: (ctx, arg) => press(ctx, "remove", arg) },
    penalise: { run: (ctx, arg) => press(ctx, "penalise", arg) },
  },
});
export default mod;

async function press(ctx: CommandContext, action: DecisionAction, arg: string | undefined): Promise<Reply> {
  const number = Number(arg);
  if (!Number.isSafeInteger(number) || number < 1) throw new UserError("That button no longer names a queue item.");
  return answer(ctx, action, await ctx.services.moderation.decide(ctx.community, ctx.actor, number, action, ctx.now));
}

/**
 * A decision's answer, private to the moderator, from a button as from a command: the card itself is
 * edited in place through the outbox, in the decision's transaction, wherever it was decided from.
 */
function answer(_ctx: CommandContext, action: DecisionAction, result: DecisionResult): Reply {
  if (!result.ok && result.reason === "unknown") throw new UserError(`There is no queue item #${result.number}. /mod queue lists the open ones.`);
  if (!result.ok) {
    const item = result.item;
    const verb = item.status === "approved" ? "approved" : "removed";
    throw new UserError(`Review #${item.number} was already ${verb} by ${mention({ id: item.decided_by ?? "unknown" })} ${time(new Date(item.decided_at ?? 0), "short")}.`);
  }
  const points = result.pointsBefore !== result.pointsAfter ? ` Points of ${mention({ id: result.item.member_id })}: ${result.pointsBefore} → ${result.pointsAfter}.` : "";
  const deleted = action === "approve" ? "" : result.deleted === "cannot" ? " Slack doesn't let a bot delete members' messages: the card links it for a workspace admin." : " The message is being deleted.";
  // An item about no message (tips back and forth) is judged, not removed: nothing was deleted or taken.
  if (isSubjectItem(result.item)) return { text: `${action === "approve" ? "Marked fine" : "Confirmed"}: review #${result.item.number}. Nothing was deleted or taken back; /mod adjust corrects points.`, ephemeral: true, tone: "success" };
  return { text: `${ACTION_WORDS[action]} review #${result.item.number}.${points}${deleted}`, ephemeral: true, tone: "success" };
}
