import { defineCapability } from "../capability.js";
import type { PointsService } from "../points/points.service.js";
import { PeopleService } from "./people.service.js";

/**
 * One person across platforms (issue 13): `/link` joins a member on Discord and one on Slack of a
 * community spanning both into one person — one set of totals, one level, one leaderboard row, one
 * balance — and `/unlink` splits them. Builds on points (listed before it), which keeps the totals
 * per person. See docs/linked-identities.md.
 */
export const peopleCapability = defineCapability({
  name: "people",
  setup(kit) {
    const points = (kit.services as { points: PointsService }).points;
    return { services: { people: new PeopleService(kit.writes, kit.clock, points) } };
  },
});
