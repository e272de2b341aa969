import type { TimerDefinition } from "../../jobs/index.js";
import { defineCapability } from "../capability.js";
import { shoutOutTimer } from "./shout-out-timer.js";
import { SponsorsService } from "./sponsors.service.js";

/**
 * Sponsors (issue 12): organizers add, remove and schedule sponsors and record what they
 * contribute in an append-only ledger (E_t = E_{t−1} + β·R_t, per quarter); the digest asks
 * `nextShoutOut` for the week's sponsor, a deterministic rotation weighted by tier; a sponsor's own
 * schedule posts shout-outs to `channels.announcements` through durable timers and the outbox.
 * Every shout-out shown is one impression, keyed by its slot. See docs/sponsors.md.
 */
export const sponsorsCapability = defineCapability({
  name: "sponsors",
  setup(kit) {
    const timer = shoutOutTimer({ outbox: kit.outbox, log: kit.log });
    const sponsors = new SponsorsService({ db: kit.db, writes: kit.writes, clock: kit.clock, timer: () => timer });
    return {
      services: { sponsors },
      timers: [timer as unknown as TimerDefinition<never>],
    };
  },
});
