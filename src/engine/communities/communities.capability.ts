import { defineCapability } from "../capability.js";
import { CommunityLinks } from "./community-links.js";

/** Communities: settings, and one community across a Discord server and a Slack workspace. */
export const communitiesCapability = defineCapability({
  name: "communities",
  setup: (kit) => ({ services: { communities: kit.communities, links: new CommunityLinks(kit.db, kit.communities, kit.clock) } }),
});
