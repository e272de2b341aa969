import { defineCapability } from "../capability.js";
import { renderLeaderboard, renderWeeklyChart } from "../pictures/index.js";
import { nextShoutOut, previewShoutOut } from "../sponsors/sponsors.service.js";
import { DigestService } from "./digest.service.js";
import { HealthCounter } from "./health-counter.js";
import type { DigestPictures, ShoutOutSource } from "./seams.js";
import { StatsService } from "./stats.service.js";
import { weeklyDigestJob } from "./weekly-digest.job.js";

/**
 * The weekly digest (issue 12): once a week per community, the last ISO week's top 10, movers,
 * newcomers, totals, honors, the week's talks, a sponsor's shout-out and a one-line health summary,
 * posted once through the outbox to every announcements channel. Also community health for
 * organizers (`/stats`), a member's honors (`/badges`) and `/digest preview`. See docs/digest.md.
 *
 * Listed after points, leaderboard, talks and sponsors (it reads their tables; the sponsors'
 * rotation gives the shout-out). Its event handler counts messages, thread replies and
 * questions for the health figures, in the ingest transaction after points.
 */
export const digestCapability = defineCapability({
  name: "digest",
  setup(kit) {
    // The sponsors' rotation (src/engine/sponsors): one impression per digest slot, or a peek for the preview.
    const sponsors: ShoutOutSource = { nextShoutOut, previewShoutOut };
    const shoutOuts = (): ShoutOutSource => sponsors;
    const renderers: DigestPictures = { renderLeaderboard, renderWeeklyChart };
    const pictures = (): DigestPictures => renderers;
    const digest = new DigestService({ db: kit.db, clock: kit.clock, log: kit.log, outbox: kit.outbox, shoutOuts, pictures });
    const counter = new HealthCounter(kit.writes);
    return {
      services: { digest, digestStats: new StatsService(kit.db, kit.clock, pictures) },
      jobs: [weeklyDigestJob(digest)],
      events: [{ kinds: ["message.created"], handle: (scope) => counter.onMessage(scope) }],
    };
  },
});
