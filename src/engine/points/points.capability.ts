import { defineCapability } from "../capability.js";
import type { PointsOutcome } from "./outcome.js";
import { type PointsEvent, PointsService } from "./points.service.js";

/**
 * Points: messages, replies, reactions and thanks earn points under the anti-farming rules. Its
 * report in an ingest outcome (`reports.points`) is the {@link PointsOutcome} of that event.
 */
export const pointsCapability = defineCapability({
  name: "points",
  setup(kit) {
    const points = new PointsService(kit.writes, kit.clock);
    return {
      services: { points },
      events: [
        {
          kinds: ["message.created", "message.deleted", "reaction.added", "reaction.removed"],
          async handle(scope) {
            const report = await points.applyIn(scope.trx, scope.community, scope.event as PointsEvent);
            scope.outcome.reports.points = report;
            if (report.levelUps.length) scope.afterCommit(() => points.announce(scope.community, scope.event.place, report));
          },
        },
      ],
    };
  },
});

/** The points report of an ingest outcome (undefined when points did not handle the event). */
export function pointsReport(outcome: { reports: Record<string, unknown> }): PointsOutcome | undefined {
  return outcome.reports.points as PointsOutcome | undefined;
}
