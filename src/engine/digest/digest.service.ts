import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Place } from "../../core/identity.js";
import type { Reply } from "../../core/reply.js";
import type { Database } from "../../db/schema.js";
import type { JobContext, PrepareContext } from "../../jobs/index.js";
import type { Logger } from "../../log.js";
import type { Community } from "../communities/community.repo.js";
import type { Settings } from "../communities/settings.js";
import { rankOf, topMembers } from "../leaderboard/leaderboard.repo.js";
import { settingPlace } from "../levels/level-up-announcement.js";
import type { OutboxWriter } from "../outbox/index.js";
import { levelFor } from "../points/levels.js";
import { type DigestData, digestReply } from "./digest-content.js";
import { weekPosted } from "./digest-posts.repo.js";
import { holdersBefore, honorsOfWeek, mostTalksAttended, mostThanked, recordHonor, talksBetween, talksHeld, weekPointsOf } from "./digest.repo.js";
import { coveredWeek, type DigestWeek } from "./digest-week.js";
import { weekHealth } from "./health.service.js";
import { decideHonors, type Honor, type HonorName } from "./honors.js";
import type { DigestAttachment, DigestPictures, ShoutOutSource } from "./seams.js";
import { scanWeek } from "./week-scan.repo.js";
import { yieldToEventLoop } from "./yield.js";

type Db = Kysely<Database>;

const MOVER_POOL = 25;
const MOVERS_SHOWN = 3;
const WEEK_MS = 7 * 86_400_000;

export interface DigestDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  outbox: OutboxWriter;
  /** The sponsors service, when that capability is present. */
  shoutOuts: () => ShoutOutSource | undefined;
  /** The picture renderers, when present. */
  pictures: () => DigestPictures | undefined;
}

/**
 * Told after a digest's transaction commits: who holds each honor now and who held it before, so
 * the Discord adapter can move each honor's role (`digest.honorRoles`) to this week's winner.
 */
export interface HonorsAwarded {
  community: Community;
  week: string;
  holders: { honor: HonorName; memberId: string; displayName: string }[];
  previous: { honor: HonorName; memberId: string }[];
}

export type HonorsListener = (event: HonorsAwarded) => void;

/** What the digest's reading gathered: the digest less its honors and shout-out, with the honors' candidates. */
export type GatheredWeek = Omit<DigestData, "honors" | "shoutOut"> & { decided: Honor[] };

/** What a digest would post, and where (for /digest preview). */
export interface DigestPreview {
  reply: Reply & { attachments?: DigestAttachment[] };
  places: Place[];
  alreadyPosted: boolean;
}

/**
 * The weekly digest: reads the covered week (the last full ISO week in the community's timezone),
 * decides honors, words it once, and writes it to the outbox for every announcements channel — in
 * the job's transaction, with the run's record, keyed by community and week.
 */
export class DigestService {
  private readonly honorListeners: HonorsListener[] = [];

  constructor(private readonly deps: DigestDeps) {}

  /** Called after each posted digest's commit with the week's honors (the roles follow them). Returns an unsubscribe. */
  onHonors(listener: HonorsListener): () => void {
    this.honorListeners.push(listener);
    return () => {
      const i = this.honorListeners.indexOf(listener);
      if (i >= 0) this.honorListeners.splice(i, 1);
    };
  }

  /** The dedupe key of a community's digest for a week: one post per week, whatever the slot. */
  static dedupeKey(communityId: string, week: string): string {
    return `digest:${communityId}:${week}`;
  }

  /** Where the digest goes: `channels.announcements`, then `digest.channels` (another platform's, say). */
  static places(settings: Settings): Place[] {
    const ids = [settings.channels.announcements, ...settings.digest.channels];
    const places: Place[] = [];
    for (const id of ids) {
      const place = settingPlace(id);
      if (place && !places.some((p) => p.platform === place.platform && p.workspaceId === place.workspaceId && p.channelId === place.channelId)) places.push(place);
    }
    return places;
  }

  /**
   * The job's reading, before its transaction opens (JobDefinition.prepare): everything but the
   * honors and the shout-out, which are decided in the run. Nothing when there is nothing to post.
   */
  async prepareWeekly(ctx: PrepareContext): Promise<GatheredWeek | undefined> {
    const community: Community = { id: ctx.communityId, name: ctx.communityId, settings: ctx.settings };
    const week = coveredWeek(ctx.scheduledFor, ctx.timezone);
    if (DigestService.places(ctx.settings).length === 0) return undefined;
    if (await weekPosted(this.deps.db, DigestService.dedupeKey(community.id, week.week))) return undefined;
    return this.gather(this.deps.db, community, week, ctx.now);
  }

  /** The job's run: posts the covered week's digest once (from what prepareWeekly read, when it did). */
  async postWeekly(ctx: JobContext): Promise<void> {
    const community: Community = { id: ctx.communityId, name: ctx.communityId, settings: ctx.settings };
    const week = coveredWeek(ctx.scheduledFor, ctx.timezone);
    const places = DigestService.places(ctx.settings);
    const key = DigestService.dedupeKey(community.id, week.week);
    if (places.length === 0) return;
    // Another slot of the same week (the day, time or channel changed since) has posted it: nothing to add.
    if (await weekPosted(ctx.trx, key)) {
      ctx.log.info({ week: week.week }, "digest: this week's digest was already posted");
      return;
    }
    const prepared = ctx.prepared as GatheredWeek | undefined;
    const gathered = prepared?.week.week === week.week ? prepared : await this.gather(ctx.trx, community, week, ctx.now);
    const data = await this.settle(ctx.trx, community, gathered, ctx.now, { record: ctx.trx, slotKey: key });
    const reply = this.compose(data);
    await this.deps.outbox.postEverywhere(ctx.trx, { communityId: community.id, dedupeKey: key, places, reply });
    const previous = (await holdersBefore(ctx.trx, community.id, week.week)).map((r) => ({ honor: r.honor as HonorName, memberId: r.member_id }));
    const awarded: HonorsAwarded = { community, week: week.week, holders: data.honors.map((h) => ({ honor: h.honor, memberId: h.memberId, displayName: h.displayName })), previous };
    ctx.afterCommit(() => {
      for (const listener of this.honorListeners) listener(awarded);
    });
    ctx.log.info({ week: week.week, places: places.length, honors: data.honors.length }, "digest: posted");
  }

  /** What would be posted now, read without writing anything (no honors, no impressions, no post). */
  async preview(community: Community): Promise<DigestPreview> {
    const now = this.deps.clock.now();
    const week = coveredWeek(now, community.settings.timezone);
    const places = DigestService.places(community.settings);
    const key = DigestService.dedupeKey(community.id, week.week);
    const data = await this.build(this.deps.db, community, week, now, { slotKey: key });
    const alreadyPosted = await weekPosted(this.deps.db, key);
    return { reply: this.compose(data), places, alreadyPosted };
  }

  /** The digest's words and its top-10 picture. */
  compose(data: DigestData): Reply & { attachments?: DigestAttachment[] } {
    return digestReply(data, this.picture(data));
  }

  /**
   * Reads and decides one digest. With `record` (the job's transaction) honors are recorded and
   * the sponsor's impression logged; without it nothing is written.
   */
  async build(db: Db, community: Community, week: DigestWeek, now: Date, o: { record?: Transaction<Database>; slotKey: string }): Promise<DigestData> {
    return this.settle(db, community, await this.gather(db, community, week, now), now, o);
  }

  /** The reading: the week's board, movers, scan, health, honor candidates and talks (no writes). */
  async gather(db: Db, community: Community, week: DigestWeek, now: Date): Promise<GatheredWeek> {
    const id = community.id;
    const pool = await topMembers(db, id, week.period, MOVER_POOL);
    const top = ranked(pool).slice(0, 10);
    const movers = await this.movers(db, id, week, pool);
    const scan = await scanWeek(db, id, week);
    const health = await weekHealth(db, id, week, now, scan);
    await yieldToEventLoop();

    const enabled = community.settings.digest.honors as HonorName[];
    const leader = top[0];
    const candidates = {
      contributor: leader && { memberId: leader.memberId, displayName: leader.displayName, value: leader.points },
      helpful: enabled.includes("helpful") ? await mostThanked(db, id, week) : undefined,
      newcomer: scan.newcomers[0] && { memberId: scan.newcomers[0].memberId, displayName: scan.newcomers[0].displayName, value: scan.newcomers[0].points },
      attendee: enabled.includes("attendee") ? await mostTalksAttended(db, id, week) : undefined,
    };
    // "This week" is the week the digest is read in: from now until a week after the covered one ended.
    const comingUntil = new Date(Math.max(Date.parse(week.end) + WEEK_MS, now.getTime()));
    return {
      week,
      top,
      movers,
      newcomers: scan.newcomers,
      totals: { points: scan.points, messages: health.messages, active: scan.active },
      talksComing: await talksBetween(db, id, now.toISOString(), comingUntil.toISOString()),
      talksHeld: await talksHeld(db, id, week, now.toISOString()),
      health,
      decided: decideHonors(enabled, candidates),
    };
  }

  /** The deciding: honors (a week's recorded ones win) and the sponsor's shout-out; written only with `record`. */
  async settle(db: Db, community: Community, g: GatheredWeek, now: Date, o: { record?: Transaction<Database>; slotKey: string }): Promise<DigestData> {
    const { decided, ...data } = g;
    const honors = await this.settleHonors(db, community.id, g.week, decided, now, o.record);
    const sponsors = this.deps.shoutOuts();
    const slot = { key: o.slotKey, at: now };
    const shoutOut = sponsors ? await (o.record ? sponsors.nextShoutOut(o.record, community, slot) : sponsors.previewShoutOut(db, community, slot)) : undefined;
    return { ...data, honors, shoutOut };
  }

  /**
   * Honors already recorded for the week win (a second run shows what was awarded); the others
   * are recorded now when `record` is given, else only shown.
   */
  private async settleHonors(db: Db, communityId: string, week: DigestWeek, decided: Honor[], now: Date, record?: Transaction<Database>): Promise<Honor[]> {
    const recorded = new Map((await honorsOfWeek(db, communityId, week.week)).map((r) => [r.honor, r]));
    const result: Honor[] = [];
    for (const h of decided) {
      const earlier = recorded.get(h.honor);
      if (earlier) {
        result.push({ honor: h.honor, memberId: earlier.member_id, displayName: earlier.display_name, value: earlier.value });
        continue;
      }
      if (record) {
        await recordHonor(record, { community_id: communityId, week: week.week, honor: h.honor, member_id: h.memberId, display_name: h.displayName, value: h.value, awarded_at: now.toISOString() });
      }
      result.push(h);
    }
    return result;
  }

  /** Members of this week's top 25 who climbed the most places since the week before. */
  private async movers(db: Db, communityId: string, week: DigestWeek, pool: Awaited<ReturnType<typeof topMembers>>): Promise<DigestData["movers"]> {
    const previous = await weekPointsOf(db, communityId, week.previousPeriod, pool.map((r) => r.member_id));
    const now = ranked(pool);
    const movers: DigestData["movers"] = [];
    for (const r of now) {
      const before = previous.get(r.memberId) ?? 0;
      if (before <= 0) continue; // not on last week's board: a newcomer to it, not a mover
      const previousRank = await rankOf(db, communityId, week.previousPeriod, before);
      if (previousRank > r.rank) movers.push({ memberId: r.memberId, displayName: r.displayName, rank: r.rank, previousRank });
      await yieldToEventLoop();
    }
    return movers.sort((a, b) => b.previousRank - b.rank - (a.previousRank - a.rank) || a.rank - b.rank).slice(0, MOVERS_SHOWN);
  }

  private picture(d: DigestData): DigestAttachment | undefined {
    const pictures = this.deps.pictures();
    if (!pictures || d.top.length === 0) return undefined;
    try {
      return pictures.renderLeaderboard({
        title: "Top 10",
        subtitle: d.week.label,
        rows: d.top.map((r) => ({ rank: r.rank, name: r.displayName, points: r.points, level: r.level })),
      });
    } catch (error) {
      // The text says everything the picture does: a renderer failure must not cost the digest.
      this.deps.log.warn({ err: error }, "digest: the top-10 picture could not be rendered");
      return undefined;
    }
  }
}

/** Board rows with ranks (ties share one, as in 1, 2, 2, 4) and levels from all-time points. */
function ranked(rows: Awaited<ReturnType<typeof topMembers>>): DigestData["top"] {
  const out = rows.map((r, i) => ({ rank: i + 1, memberId: r.member_id, displayName: r.display_name, points: r.points, level: levelFor(r.lifetime_points) }));
  for (let i = 1; i < out.length; i++) if (out[i]!.points === out[i - 1]!.points) out[i]!.rank = out[i - 1]!.rank;
  return out;
}
