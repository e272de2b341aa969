import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Actor } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import { cleanDisplayName } from "../points/display-name.js";
import type { WriteQueue } from "../write-queue.js";
import * as repo from "./web.repo.js";

/** What `/privacy` answers from: the member's choice and whether there is a web board at all. */
export interface PrivacyStatus {
  /** The member's person is left out of the web pages. */
  hidden: boolean;
  /** The board is served (`web.leaderboard` on and `web.slug` set). */
  boardOn: boolean;
  slug: string | null;
}

/**
 * `/privacy hide` and `/privacy show`: a member's choice to be left out of the public web pages.
 * The flag is kept on the person — every member row of a linked person at once — so it holds from
 * both platforms, and before the member has earned anything. Writes go through the write queue
 * and set a value (never toggle), so a replayed or reordered command ends the same.
 */
export class PrivacyService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly writes: WriteQueue,
    private readonly clock: Clock,
  ) {}

  async status(community: Community, actor: Pick<Actor, "id">): Promise<PrivacyStatus> {
    const person = await repo.personOf(this.db, community.id, actor.id);
    const hidden = (await repo.hiddenPersons(this.db, community.id, [person])).has(person);
    return { hidden, ...boardOf(community) };
  }

  async setHidden(community: Community, actor: Actor, hidden: boolean): Promise<PrivacyStatus> {
    await this.writes.submit(async (trx) => {
      if (hidden) {
        await repo.ensureMember(trx, {
          community_id: community.id,
          member_id: actor.id,
          display_name: cleanDisplayName(actor.displayName, actor.userId),
          is_bot: actor.isBot ? 1 : 0,
          first_seen_at: this.clock.now().toISOString(),
        });
      }
      await repo.setPersonHidden(trx, community.id, await repo.personOf(trx, community.id, actor.id), hidden);
    });
    return { hidden, ...boardOf(community) };
  }
}

function boardOf(community: Community): Pick<PrivacyStatus, "boardOn" | "slug"> {
  const { slug, leaderboard } = community.settings.web;
  return { boardOn: leaderboard && slug !== null, slug };
}
