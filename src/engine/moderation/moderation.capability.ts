import type { MessageCreated, MessageEdited, ReactionChanged } from "../../core/events.js";
import { defineCapability } from "../capability.js";
import type { PointsService } from "../points/points.service.js";
import { Decisions } from "./decisions.js";
import { ModerationService } from "./moderation.service.js";
import { QualityScoring } from "./quality-scoring.js";
import { RecentTexts } from "./recent-texts.js";
import { ReviewQueue } from "./review-queue.js";

/**
 * Content quality: every message gets a quality score on create and edit, judged against the
 * community's running mean and deviation (or a fixed threshold during the warm-up) and a few hard
 * rules; members report with 🚩, "Report to moderators" or `/report`; flagged and reported messages
 * go once to the moderators' queue as a card, and their decisions feed back into points and into
 * how much each reporter is trusted. See docs/moderation.md.
 *
 * Listed after points: its handlers run in the same transaction after the points handler, so a
 * removal's claw-back and everything the moderation decided land together.
 */
export const moderationCapability = defineCapability({
  name: "moderation",
  setup(kit) {
    const points = kit.services.points as PointsService;
    const recent = new RecentTexts();
    const queue = new ReviewQueue(kit.outbox);
    const scoring = new QualityScoring(kit.writes, queue, recent, kit.communityLock);
    const moderation = new ModerationService(kit.writes, queue, new Decisions(points, kit.outbox, queue), recent);
    return {
      services: { moderation },
      events: [
        {
          kinds: ["message.created"],
          handle(scope) {
            // Off, or a bot: nothing to score, and no promise spent on it.
            if (!QualityScoring.scores(scope.community, scope.event as MessageCreated)) return;
            return scoring.onCreated(scope.trx, scope.community, scope.event as MessageCreated).then((scored) => {
              if (scored) scope.outcome.reports.moderation = scored;
            });
          },
        },
        {
          kinds: ["message.edited"],
          async handle(scope) {
            const scored = await scoring.onEdited(scope.trx, scope.community, scope.event as MessageEdited);
            if (scored) scope.outcome.reports.moderation = scored;
          },
        },
        {
          kinds: ["reaction.added"],
          handle(scope) {
            // Only the report emoji is a report: every other reaction is left at once.
            if (!ModerationService.isReport(scope.community, scope.event as ReactionChanged)) return;
            return moderation.onReaction(scope.trx, scope.community, scope.event as ReactionChanged).then((report) => {
              if (report) scope.outcome.reports.moderation = report;
            });
          },
        },
      ],
    };
  },
});
