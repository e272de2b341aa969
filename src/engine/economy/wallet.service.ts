import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import { accountBalance, type Standing, standingOf } from "./wallet.js";
import { POOL_ACCOUNT } from "./accounts.js";

/**
 * Reads of the wallet for commands and other capabilities. Writes go through the economy's own
 * services (tips, bounties, shop), each inside the write queue's transaction with `postMovement`.
 */
export class WalletService {
  constructor(private readonly db: Kysely<Database>) {}

  /** A member's person, lifetime XP and spendable balance, as committed. */
  standing(community: Community, memberId: string): Promise<Standing> {
    return standingOf(this.db, community.id, memberId);
  }

  /** The community pool: the platform share of every tip. */
  pool(community: Community): Promise<number> {
    return accountBalance(this.db, community.id, POOL_ACCOUNT);
  }
}
