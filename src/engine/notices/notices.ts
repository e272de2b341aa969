import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Database } from "../../db/schema.js";

/**
 * "Tell the moderators once": `once()` is true only the first time a key is seen for a community,
 * across restarts. Adapters use it for problems worth one message, not one per event (a missing
 * permission to grant roles, a channel the bot cannot post in).
 */
export class Notices {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async once(communityId: string, key: string): Promise<boolean> {
    const result = await this.db
      .insertInto("notices")
      .values({ community_id: communityId, key, created_at: this.clock.now().toISOString() })
      .onConflict((oc) => oc.columns(["community_id", "key"]).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}
