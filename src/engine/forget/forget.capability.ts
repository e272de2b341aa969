import { defineCapability } from "../capability.js";
import type { SolutionsService } from "../knowledge/solutions.service.js";
import type { ModerationService } from "../moderation/moderation.service.js";
import type { PointsService } from "../points/points.service.js";
import { ForgetService } from "./forget.service.js";
import { ForgottenMembers } from "./forgotten-members.js";

/**
 * Forget me: a member's personal data erased on request (`/forget-me`, `npm run forget`), the
 * ledger kept whole under a pseudonym, and a gate that drops the member's old events when a
 * platform delivers them again. Listed after points, moderation and knowledge, whose services it
 * uses; it handles no events itself. See docs/forget-me.md.
 */
export const forgetCapability = defineCapability({
  name: "forget",
  setup(kit) {
    const registry = new ForgottenMembers(kit.db, kit.clock, kit.writes);
    const forget = new ForgetService({
      db: kit.db,
      writes: kit.writes,
      clock: kit.clock,
      log: kit.log,
      points: kit.services.points as PointsService,
      knowledge: kit.services.knowledge as SolutionsService,
      ...(kit.services.moderation ? { moderation: kit.services.moderation as ModerationService } : {}),
      registry,
    });
    return { services: { forget }, gates: [registry] };
  },
});
