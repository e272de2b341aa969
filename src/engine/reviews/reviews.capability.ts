import type { TimerDefinition } from "../../jobs/index.js";
import { defineCapability } from "../capability.js";
import type { PointsService } from "../points/points.service.js";
import { claimLapseTimer } from "./claim-lapse.timer.js";
import { ReviewsService } from "./reviews.service.js";

/**
 * Code-review requests (issue 14): `/review request` posts a card in `channels.reviews` with a
 * Claim button; the claimer reviews in the card's thread, the requester marks it done and the
 * reviewer earns `reviews.points` outside the daily cap; a claim not done within
 * `reviews.claimHours` is released by a durable timer. Builds on points (the reviewer's ledger row)
 * and on the economy's linked persons (a member can't claim their own request from another
 * account). See docs/code-reviews.md.
 */
export const reviewsCapability = defineCapability({
  name: "reviews",
  setup(kit) {
    const points = (kit.services as { points: PointsService }).points;
    const lapse = claimLapseTimer({ outbox: kit.outbox });
    const reviews = new ReviewsService({ db: kit.db, writes: kit.writes, clock: kit.clock, outbox: kit.outbox, points, timer: () => lapse });
    return {
      services: { reviews },
      timers: [lapse as unknown as TimerDefinition<never>],
    };
  },
});
