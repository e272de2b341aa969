import { defineCapability } from "../capability.js";
import { LeaderboardService } from "./leaderboard.service.js";

/** Leaderboards and standings, read from the totals points maintains. */
export const leaderboardCapability = defineCapability({
  name: "leaderboard",
  setup: (kit) => ({ services: { leaderboard: new LeaderboardService(kit.db, kit.clock) } }),
});
