import type { ServicesOf } from "./capability.js";
import { digestCapability } from "./digest/digest.capability.js";
import { communitiesCapability } from "./communities/communities.capability.js";
import { leaderboardCapability } from "./leaderboard/leaderboard.capability.js";
import { economyCapability } from "./economy/economy.capability.js";
import { feedbackCapability } from "./feedback/feedback.capability.js";
import { forgetCapability } from "./forget/forget.capability.js";
import { knowledgeCapability } from "./knowledge/knowledge.capability.js";
import { moderationCapability } from "./moderation/moderation.capability.js";
import { peopleCapability } from "./people/people.capability.js";
import { pointsCapability } from "./points/points.capability.js";
import { reviewsCapability } from "./reviews/reviews.capability.js";
import { sponsorsCapability } from "./sponsors/sponsors.capability.js";
import { talksCapability } from "./talks/talks.capability.js";
import { webCapability } from "./web/web.capability.js";

/**
 * The engine's capabilities, in setup order (a capability may use the services of those before it;
 * for one event, handlers run in this order inside one transaction). Add a capability here.
 */
export const capabilities = [communitiesCapability, pointsCapability, peopleCapability, leaderboardCapability, talksCapability, sponsorsCapability, moderationCapability, economyCapability, knowledgeCapability, reviewsCapability, feedbackCapability, digestCapability, webCapability, forgetCapability] as const;

/** Every service command handlers can reach, as `ctx.services.<name>`. */
export type Services = ServicesOf<typeof capabilities>;
