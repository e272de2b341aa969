import type { TimerDefinition } from "../../jobs/index.js";
import { defineCapability } from "../capability.js";
import { Notices } from "../notices/notices.js";
import { ShopService } from "./shop.service.js";
import { BountiesService } from "./bounties.service.js";
import { bountyExpiryTimer } from "./bounty-expiry.timer.js";
import type { ModerationService } from "../moderation/moderation.service.js";
import { TipsService } from "./tips.service.js";
import { WalletService } from "./wallet.service.js";

/**
 * The knowledge economy (issue 13): every member has lifetime XP (the points ledger: levels and
 * ranks) and a spendable balance (XP plus what the wallet moved: tips, bounties, purchases). The
 * wallet is a double-entry ledger beside the XP ledger (`wallet.ts`), so spending never moves a
 * rank. See docs/economy.md.
 */
export const economyCapability = defineCapability({
  name: "economy",
  setup(kit) {
    const wallet = new WalletService(kit.db);
    const notices = new Notices(kit.db, kit.clock, kit.writes, kit.outbox);
    const shop = new ShopService({ db: kit.db, writes: kit.writes, clock: kit.clock, outbox: kit.outbox, notices, communities: kit.communities });
    const bountyExpiry = bountyExpiryTimer({ outbox: kit.outbox });
    const bounties = new BountiesService({ db: kit.db, writes: kit.writes, clock: kit.clock, outbox: kit.outbox, timer: () => bountyExpiry });
    // Listed after moderation: collusion between tippers goes to its review queue in the tip's transaction.
    const moderation = kit.services.moderation as ModerationService | undefined;
    const tips = new TipsService(kit.db, kit.writes, kit.outbox, moderation ? (trx, community, subject) => moderation.flagSubject(trx, community, subject) : undefined);
    return {
      services: { wallet, tips, bounties, shop },
      timers: [bountyExpiry as unknown as TimerDefinition<never>],
    };
  },
});
