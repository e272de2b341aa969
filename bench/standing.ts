import { performance } from "node:perf_hooks";
import type { Kysely } from "kysely";
import type { Database } from "../src/db/schema.js";
import type { Community } from "../src/engine/communities/community.repo.js";
import { memberName, pointsOf, rankOf } from "../src/engine/leaderboard/leaderboard.repo.js";
import type { LeaderboardService } from "../src/engine/leaderboard/leaderboard.service.js";
import { percentile } from "./stats.js";

/** p50 / p99 in ms. */
export interface Latency {
  p50: number;
  p99: number;
}

/** What {@link benchStanding} measured, over the same members, the two ways taking turns. */
export interface StandingFigures {
  members: number;
  /** `LeaderboardService.standing`: points, all-time rank and week rank, the ranks summed from totals_histogram. */
  histogram: Latency;
  /** The same standing with both ranks counted over the totals index, as before the histogram. */
  count: Latency;
  /**
   * CPU time of the service's standing (this process's user + system time around each call): unlike
   * the wall time it does not grow when the machine is busy and the process waits for a core.
   */
  histogramCpu: Latency;
  /** The two rank queries alone (all time and week, from the histogram): what the histogram itself costs. */
  ranks: Latency;
  /** Rows in the community's histogram for all time and for the week: what one rank query may walk. */
  histogramRows: { all: number; week: number };
}

/**
 * The standing `/points` shows, timed per member: through the service (ranks from the histogram)
 * and, beside it, as it was before (ranks by a COUNT over the totals' (community, period, points)
 * index), alternating member by member so load on the machine hits both alike. Members with no
 * points get no rank either way, as in the service.
 */
export async function benchStanding(db: Kysely<Database>, leaderboard: LeaderboardService, community: Community, members: readonly { id: string }[]): Promise<StandingFigures> {
  const week = leaderboard.periodKey(community, "week");
  const byHistogram: number[] = [];
  const byCount: number[] = [];
  const ranksOnly: number[] = [];
  const cpu: number[] = [];
  // One warm-up round of each, so the first sample does not pay for compiling the queries.
  await leaderboard.standing(community, members[0]!);
  await standingByCount(db, community.id, week, members[0]!.id);
  for (const member of members) {
    const c0 = process.cpuUsage();
    let t0 = performance.now();
    await leaderboard.standing(community, member);
    byHistogram.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    t0 = performance.now();
    await standingByCount(db, community.id, week, member.id);
    byCount.push(performance.now() - t0);
  }
  // The ranks alone, for members with points (the service asks only for those).
  for (const member of members) {
    const [all, inWeek] = await Promise.all([pointsOf(db, community.id, "all", member.id), pointsOf(db, community.id, week, member.id)]);
    const t0 = performance.now();
    if (all > 0) await rankOf(db, community.id, "all", all);
    if (inWeek > 0) await rankOf(db, community.id, week, inWeek);
    ranksOnly.push(performance.now() - t0);
  }
  const rows = async (period: string) =>
    Number((await db.selectFrom("totals_histogram").select((eb) => eb.fn.countAll().as("n")).where("community_id", "=", community.id).where("period", "=", period).executeTakeFirstOrThrow()).n);
  return {
    members: members.length,
    histogram: { p50: percentile(byHistogram, 50), p99: percentile(byHistogram, 99) },
    count: { p50: percentile(byCount, 50), p99: percentile(byCount, 99) },
    histogramCpu: { p50: percentile(cpu, 50), p99: percentile(cpu, 99) },
    ranks: { p50: percentile(ranksOnly, 50), p99: percentile(ranksOnly, 99) },
    histogramRows: { all: await rows("all"), week: await rows(week) },
  };
}

/** The figures as rows for the bench's tables. */
export function standingRows(f: StandingFigures): [string, string][] {
  const ms = (v: number) => `${v < 1 ? v.toFixed(3) : v.toFixed(1)} ms`;
  return [
    [`a member's standing (points, rank, week rank) p50 / p99, ${f.members} members`, `${ms(f.histogram.p50)} / ${ms(f.histogram.p99)} (ranks from totals_histogram: ${f.histogramRows.all} rows all time, ${f.histogramRows.week} this week)`],
    ["  its CPU time p50 / p99 (unaffected by waiting for a core)", `${ms(f.histogramCpu.p50)} / ${ms(f.histogramCpu.p99)}`],
    ["  of which the two rank queries (histogram) p50 / p99", `${ms(f.ranks.p50)} / ${ms(f.ranks.p99)}`],
    ["the same with ranks by COUNT over totals (before) p50 / p99", `${ms(f.count.p50)} / ${ms(f.count.p99)} (p99 ${(f.count.p99 / f.histogram.p99).toFixed(0)}× the histogram's)`],
  ];
}

/** The standing as the service read it before totals_histogram: both ranks by COUNT over the totals index. */
async function standingByCount(db: Kysely<Database>, communityId: string, week: string, memberId: string) {
  const [points, weekPoints] = await Promise.all([pointsOf(db, communityId, "all", memberId), pointsOf(db, communityId, week, memberId), memberName(db, communityId, memberId)]);
  return {
    rank: points > 0 ? await rankByCount(db, communityId, "all", points) : undefined,
    weekRank: weekPoints > 0 ? await rankByCount(db, communityId, week, weekPoints) : undefined,
  };
}

async function rankByCount(db: Kysely<Database>, communityId: string, period: string, points: number): Promise<number> {
  const row = await db
    .selectFrom("totals")
    .select((eb) => eb.fn.countAll<number>().as("ahead"))
    .where("community_id", "=", communityId)
    .where("period", "=", period)
    .where("points", ">", points)
    .executeTakeFirstOrThrow();
  return Number(row.ahead) + 1;
}
