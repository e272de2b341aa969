import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import { markAnnounced, unannounced } from "./level-ups.repo.js";

/**
 * Level-ups are recorded in the same transaction as the points that caused them; announcing them
 * (and granting role rewards) is the adapters' job, after commit. An adapter marks each one
 * announced once it has posted, and on start asks for the ones a stop interrupted.
 */
export class LevelUps {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  markAnnounced(community: Community, memberId: string, level: number): Promise<void> {
    return markAnnounced(this.db, community.id, memberId, level, this.clock.now().toISOString());
  }

  pending(community: Community, limit = 100) {
    return unannounced(this.db, community.id, limit);
  }

  /** The role rewards (namespaced role ids) a member has earned by reaching `level`. */
  rewardsFor(community: Community, level: number): string[] {
    return community.settings.levels.roleRewards.filter((r) => r.level <= level).map((r) => r.role);
  }
}
