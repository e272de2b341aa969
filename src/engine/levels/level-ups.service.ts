import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import { unannounced } from "./level-ups.repo.js";

/**
 * Level-ups are recorded in the same transaction as the points that caused them, and their
 * announcement is decided there too (written to the outbox, see level-up-announcement.ts). What
 * stays for the Discord adapter is the role rewards a level brings.
 */
export class LevelUps {
  constructor(private readonly db: Kysely<Database>) {}

  /** Level-ups whose announcement was never decided (none, once the engine decides it with the level-up). */
  pending(community: Community, limit = 100) {
    return unannounced(this.db, community.id, limit);
  }

  /** The role rewards (namespaced role ids) a member has earned by reaching `level`. */
  rewardsFor(community: Community, level: number): string[] {
    return community.settings.levels.roleRewards.filter((r) => r.level <= level).map((r) => r.role);
  }
}
