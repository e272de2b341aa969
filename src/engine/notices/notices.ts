import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Place } from "../../core/identity.js";
import type { Reply } from "../../core/reply.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import { settingPlace } from "../levels/level-up-announcement.js";
import type { OutboxWriter } from "../outbox/index.js";
import type { WriteQueue } from "../write-queue.js";

/**
 * "Tell the moderators once": a problem worth one message, not one per event (a missing
 * permission to grant roles, a channel the bot cannot post in). The notice is recorded and its post
 * written to the outbox in one transaction, so it is said exactly once, across restarts.
 */
export class Notices {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly writes: WriteQueue,
    private readonly outbox: OutboxWriter,
  ) {}

  /** True only the first time `key` is seen for a community. */
  async once(communityId: string, key: string, db: Kysely<Database> = this.db): Promise<boolean> {
    const result = await db
      .insertInto("notices")
      .values({ community_id: communityId, key, created_at: this.clock.now().toISOString() })
      .onConflict((oc) => oc.columns(["community_id", "key"]).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /**
   * Posts `reply` to the moderators the first time `key` comes up: in the mod queue channel, else
   * the announcements channel, else `fallback` (where the problem showed). False if already told.
   */
  tellModeratorsOnce(community: Community, key: string, reply: Reply, fallback: Place): Promise<boolean> {
    return this.writes.submit(async (trx) => {
      if (!(await this.once(community.id, key, trx))) return false;
      const channels = community.settings.channels;
      const to = settingPlace(channels.modQueue) ?? settingPlace(channels.announcements) ?? fallback;
      await this.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `notice:${community.id}:${key}`, operation: "post", to, reply });
      return true;
    });
  }
}
