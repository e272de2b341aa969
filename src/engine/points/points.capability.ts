import { defineCapability } from "../capability.js";
import { announceLevelUp } from "../levels/level-up-announcement.js";
import { markAnnounced } from "../levels/level-ups.repo.js";
import { emptyOutcome, type PointsOutcome } from "./outcome.js";
import { type PointsEvent, PointsService } from "./points.service.js";

/**
 * Points: messages, replies, reactions and thanks earn points under the anti-farming rules; a
 * member's first time at a level is announced through the outbox, in the transaction that recorded
 * it. Its report in an ingest outcome (`reports.points`) is the {@link PointsOutcome} of that event.
 */
export const pointsCapability = defineCapability({
  name: "points",
  setup(kit) {
    const points = new PointsService(kit.writes, kit.clock, async (trx, community, place, levelUps) => {
      for (const l of levelUps) {
        await announceLevelUp(trx, kit.outbox, { community, memberId: l.memberId, personId: l.personId, displayName: l.displayName, level: l.level, where: place });
        // "Decided": the announcement is in the outbox (or announcements are off).
        await markAnnounced(trx, community.id, l.personId, l.level, kit.clock.now().toISOString());
      }
    }, kit.communityLock, kit.telemetry);
    return {
      services: { points },
      events: [
        {
          kinds: ["message.created", "message.deleted", "reaction.added", "reaction.removed"],
          async handle(scope) {
            const report = await points.applyIn(scope.trx, scope.community, scope.event as PointsEvent);
            scope.outcome.reports.points = report;
            if (report.duplicate) scope.outcome.duplicate = true;
            // Listeners (Discord's role rewards) hear of level-ups once they are committed.
            if (report.levelUps.length) scope.afterCommit(() => points.announce(scope.community, scope.event.place, report));
          },
        },
      ],
    };
  },
});

/** The points report of an ingest outcome (an empty one when points did not handle the event). */
export function pointsReport(outcome: { reports: Record<string, unknown> }): PointsOutcome {
  return (outcome.reports.points as PointsOutcome | undefined) ?? emptyOutcome();
}
