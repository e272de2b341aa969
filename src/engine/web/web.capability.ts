import { defineCapability } from "../capability.js";
import { PrivacyService } from "./privacy.service.js";
import { WebBoardService } from "./web-board.service.js";

/**
 * The public web pages' engine side (docs/web-leaderboard.md): the `web.*` settings
 * (web-settings.ts), the reads the pages are built from (`web`, served by src/http/community/),
 * and `/privacy` (`privacy`). It handles no events: the board reads the totals points maintains.
 */
export const webCapability = defineCapability({
  name: "web",
  setup: (kit) => ({
    services: {
      web: new WebBoardService(kit.db, kit.clock),
      privacy: new PrivacyService(kit.db, kit.writes, kit.clock),
    },
  }),
});
