import type { Settings } from "../communities/settings.js";

/** The sponsor tiers, best first: a fixed set (a choice option of `/sponsor add`). */
export const TIERS = ["gold", "silver", "bronze"] as const;

/** One of {@link TIERS}. */
export type Tier = (typeof TIERS)[number];

/** The tier's rotation period in weeks, from the community's settings (`sponsors.goldWeeks`, …). */
export function tierWeeks(tier: Tier, settings: Settings): number {
  const s = settings.sponsors;
  return tier === "gold" ? s.goldWeeks : tier === "silver" ? s.silverWeeks : s.bronzeWeeks;
}
