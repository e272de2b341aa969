import { type Actor, channelKey } from "../../core/identity.js";
import type { ReactionChanged } from "../../core/events.js";
import { defineCapability, type EventScope } from "../capability.js";
import type { BountiesService } from "../economy/bounties.service.js";
import type { PointsService } from "../points/points.service.js";
import type { OutboxWriter } from "../outbox/index.js";
import { ROLE_CHECKS } from "../preconditions/roles.js";
import { KbSearchService } from "./kb-search.service.js";
import { MessageTexts } from "./message-texts.js";
import { refusalText } from "./solution-replies.js";
import { isSolutionEmoji, type Refusal } from "./solution-rules.js";
import { SolutionsService } from "./solutions.service.js";
import { suggestHandler } from "./suggest.handler.js";
import { ThreadQuestions } from "./thread-questions.js";

/**
 * Knowledge sharing (issue 14): accepted answers, the knowledge base of solved questions and its
 * full-text search (`/ask`, and the "this may help" reply in help channels: docs/knowledge-search.md). Listed
 * after economy (a solution pays the question's open bounty in its own transaction) and after points
 * (whose handler records each message's author and thread before this one reads them).
 */
export const knowledgeCapability = defineCapability({
  name: "knowledge",
  setup(kit) {
    const points = kit.services.points as PointsService;
    const bounties = kit.services.bounties as BountiesService | undefined;
    const texts = new MessageTexts();
    const questions = new ThreadQuestions();
    kit.writes.onRollback(() => questions.clear());
    const solutions = new SolutionsService({ db: kit.db, writes: kit.writes, outbox: kit.outbox, points, bounties, texts, questions, log: kit.log });
    const kb = new KbSearchService(kit.db, () => kit.clock.now().getTime());
    return {
      services: { knowledge: solutions, kb },
      events: [
        suggestHandler(kb, kit.outbox),
        {
          // Memory, plus, in help channels, one row per thread: its question, when the first reply arrives.
          kinds: ["message.created", "message.edited"],
          handle: ({ trx, community, event }) => {
            if (event.kind !== "message.created" && event.kind !== "message.edited") return;
            const known = texts.get(event.messageKey);
            const authorId = event.author?.id ?? known?.authorId;
            // Where it was said comes with the create; an edit keeps what the create told.
            const restricted = event.kind === "message.created" ? event.restricted : known?.restricted;
            if (event.text && authorId) texts.set(event.messageKey, { text: event.text, authorId, ...(restricted !== undefined ? { restricted } : {}) });
            // Only in help channels: a row per thread costs the message path ~5 % of the bench's
            // engine/ceiling ratio when every thread everywhere writes one (measured: 0.51 vs 0.56).
            if (event.kind === "message.created" && event.threadParentKey && community.settings.knowledge.helpChannels.includes(channelKey(event.place))) return questions.onReply(trx, community.id, event.threadParentKey, texts.get(event.threadParentKey), Number.isFinite(event.at.getTime()) ? event.at.toISOString() : new Date(0).toISOString());
          },
        },
        {
          kinds: ["reaction.added", "reaction.removed"],
          // Most reactions are not a ✅: left at once, without a promise.
          handle: (scope) => (isSolutionMark(scope.event as ReactionChanged) ? onReaction(solutions, kit.outbox, scope as EventScope<ReactionChanged>) : undefined),
        },
        {
          kinds: ["message.deleted"],
          handle: async ({ trx, community, event, afterCommit }) => {
            if (event.kind !== "message.deleted") return;
            for (const unmarked of await solutions.messageDeleted(trx, community, event)) afterCommit(() => solutions.changed(community, unmarked, false));
          },
        },
      ],
    };
  },
});

// Refusals worth telling a reacting asker or moderator about, by DM (a reaction has no private reply).
// Anyone else's ✅ is simply ignored, as is a replay.
const TOLD: ReadonlySet<Refusal> = new Set(["own-question", "own-answer", "bot", "is-question", "deleted"]);

/** A ✅ (or ✔️) from a member: what marks or unmarks an accepted answer. */
function isSolutionMark(event: ReactionChanged): boolean {
  return isSolutionEmoji(event.emoji) && !event.actor.isBot;
}

/** A ✅ added or removed (the handler checked {@link isSolutionMark}). */
async function onReaction(solutions: SolutionsService, outbox: OutboxWriter, { trx, community, event, afterCommit }: EventScope<ReactionChanged>): Promise<void> {
  if (event.kind === "reaction.removed") {
    const questionKey = await solutions.acceptedQuestionOf(trx, community.id, event.messageKey);
    if (!questionKey) return;
    const unmarked = await solutions.unmarkIn(trx, community, { causeKey: event.key, at: event.at, actor: event.actor, questionKey, answerKey: event.messageKey });
    afterCommit(() => solutions.changed(community, unmarked, false));
    return;
  }
  const outcome = await solutions.markIn(trx, community, {
    causeKey: event.key,
    at: event.at,
    actor: event.actor,
    answerKey: event.messageKey,
    ...(event.messageAuthor ? { answerAuthor: event.messageAuthor } : {}),
    place: event.place,
  });
  if (outcome.ok) return afterCommit(() => solutions.changed(community, outcome, true));
  if (!TOLD.has(outcome.reason) || !mayMark(event.actor, community.settings, outcome.reason)) return;
  await outbox.enqueue(trx, { communityId: community.id, dedupeKey: `solution:${community.id}:refused:${event.key}`, operation: "dm", memberId: event.actor.id, reply: { text: refusalText(outcome.reason), tone: "info" } });
}

/** Refusals that reach the decision past "who may mark" come from the asker or a moderator. */
function mayMark(actor: Actor, settings: Parameters<typeof ROLE_CHECKS.moderator.holds>[1], reason: Refusal): boolean {
  return reason === "own-question" || reason === "own-answer" || ROLE_CHECKS.moderator.holds(actor, settings);
}
