import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Database } from "../../db/schema.js";
import { currentPeriod, type PeriodKind } from "../calendar.js";
import type { Community } from "../communities/community.repo.js";
import { type LevelProgress, levelProgress } from "../points/levels.js";
import { type BoardRow, pointsAndName, rankOf, topMembers } from "./leaderboard.repo.js";

export interface Standing {
  /** The person's canonical member id: the member asked about, unless it is linked as another's. */
  memberId: string;
  displayName: string;
  points: number;
  /** Rank among members with points; undefined when the member has none. */
  rank: number | undefined;
  progress: LevelProgress;
  weekPoints: number;
  weekRank: number | undefined;
}

/** Leaderboards and standings, read from the totals the points engine maintains. */
export class LeaderboardService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  periodKey(community: Community, kind: PeriodKind): string {
    return currentPeriod(kind, this.clock.now(), community.settings.timezone);
  }

  top(community: Community, kind: PeriodKind, limit: number, offset = 0): Promise<BoardRow[]> {
    return topMembers(this.db, community.id, this.periodKey(community, kind), limit, offset);
  }

  async standing(community: Community, member: { id: string; displayName?: string }): Promise<Standing> {
    const week = this.periodKey(community, "week");
    // Three statements at most (bench/standing.ts times them): the member's rows, then each rank.
    // A linked member's standing is its person's: the canonical member's totals, name and id.
    const { personId, points, weekPoints, displayName: storedName } = await pointsAndName(this.db, community.id, week, member.id);
    const [rank, weekRank] = await Promise.all([
      points > 0 ? rankOf(this.db, community.id, "all", points) : undefined,
      weekPoints > 0 ? rankOf(this.db, community.id, week, weekPoints) : undefined,
    ]);
    return {
      memberId: personId,
      displayName: storedName ?? (personId === member.id ? member.displayName : undefined) ?? personId.split(":").pop() ?? personId,
      points,
      rank,
      progress: levelProgress(points),
      weekPoints,
      weekRank,
    };
  }
}
