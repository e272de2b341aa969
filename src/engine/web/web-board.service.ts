import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Database } from "../../db/schema.js";
import { currentPeriod, periodLabel, type PeriodKind } from "../calendar.js";
import type { Community } from "../communities/community.repo.js";
import { settingsSchema } from "../communities/settings.js";
import { HONOR_ORDER, HONOR_TITLES, type HonorName } from "../digest/honors.js";
import type { RankCardInput } from "../pictures/index.js";
import { levelFor, pointsForLevel } from "../points/levels.js";
import { talksCalendar } from "../talks/talks-ical.js";
import * as repo from "./web.repo.js";
import { SLUG_PATTERN } from "./web-settings.js";

/** How many people the web board lists: enough for a community page, and one cheap index walk. */
export const WEB_BOARD_SIZE = 50;

/** Which public page is asked for; each has its own on/off setting (`web.leaderboard`, `web.talks`). */
export type WebPage = "leaderboard" | "talks";

/** An honor as the page shows it: words and emoji from the digest's own table. */
export interface ShownHonor {
  honor: HonorName;
  emoji: string;
  title: string;
}

/** One person on the web board. Every text in it is member-typed: the page escapes it. */
export interface WebBoardRow {
  /** 1-based position among the people shown: hidden people take no rank, the ranks close up. */
  rank: number;
  name: string;
  /** Points in the board's period. */
  points: number;
  /** From all-time points, on every tab (as in `/leaderboard`). */
  level: number;
  /** The honors the person has won in weekly digests, with how often. */
  honors: (ShownHonor & { count: number })[];
}

/** What the web leaderboard shows for one period. */
export interface WebBoard {
  slug: string;
  period: PeriodKind;
  /** "week 48 of 2026", "November 2026", "all time". */
  label: string;
  rows: WebBoardRow[];
  /** The latest digest's honors (hidden winners left out), its ISO week (`2026-W48`) and that week's label. */
  honors: { week: string; label: string; list: (ShownHonor & { name: string; value: string })[] } | undefined;
  /** Whether the talks feed is served too (the page links it). */
  talks: boolean;
}

/**
 * The public web pages' reads (src/http/community/ serves them): which community a slug names and
 * whether the page asked for is on, the board without the people who ran `/privacy hide`, a rank
 * card's figures, and the talks calendar. Everything here reads; nothing a request does writes.
 */
export class WebBoardService {
  /** Parsed settings by community, with the JSON they came from: parsing them is most of a look-up's cost. */
  private readonly parsed = new Map<string, { json: string; community: Community }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /**
   * The community at `/c/<slug>` if `page` is on there; undefined otherwise — whether the slug is
   * unknown or the page is off, so a visitor cannot tell which (the pages answer both with one 404).
   */
  async open(slug: string, page: WebPage): Promise<Community | undefined> {
    if (!SLUG_PATTERN.test(slug)) return undefined;
    const community = await this.bySlug(slug);
    return community?.settings.web[page] ? community : undefined;
  }

  /** The community at `slug`, as stored now; the settings are parsed again only when their JSON changed. */
  private async bySlug(slug: string): Promise<Community | undefined> {
    const row = await repo.communityBySlug(this.db, slug);
    if (!row) return undefined;
    const known = this.parsed.get(row.id);
    if (known?.json === row.settings) return known.community;
    const community: Community = { id: row.id, name: row.name, settings: settingsSchema.parse(JSON.parse(row.settings)) };
    this.parsed.set(row.id, { json: row.settings, community });
    return community;
  }

  async board(community: Community, period: PeriodKind): Promise<WebBoard> {
    const rows = await repo.visibleTop(this.db, community.id, this.periodKey(community, period), WEB_BOARD_SIZE);
    const persons = rows.map((r) => r.member_id);
    // A person's honors may be recorded under any of their accounts.
    const secondaries = await repo.secondariesOf(this.db, community.id, persons);
    const personOf = new Map<string, string>(persons.map((p) => [p, p]));
    for (const [person, ids] of secondaries) for (const id of ids) personOf.set(id, person);
    const counts = new Map<string, Map<HonorName, number>>();
    for (const c of await repo.honorCounts(this.db, community.id, [...personOf.keys()])) {
      const person = personOf.get(c.member_id)!;
      if (!isHonor(c.honor)) continue;
      const byHonor = counts.get(person) ?? new Map<HonorName, number>();
      byHonor.set(c.honor, (byHonor.get(c.honor) ?? 0) + c.n);
      counts.set(person, byHonor);
    }
    return {
      slug: community.settings.web.slug ?? "",
      period,
      label: periodLabel(this.periodKey(community, period)),
      rows: rows.map((r, i) => ({
        rank: i + 1,
        name: r.display_name,
        points: r.points,
        level: levelFor(r.lifetime_points),
        honors: HONOR_ORDER.filter((h) => counts.get(r.member_id)?.has(h)).map((h) => ({ ...shown(h), count: counts.get(r.member_id)!.get(h)! })),
      })),
      honors: await this.latestHonors(community),
      talks: community.settings.web.talks,
    };
  }

  /**
   * The figures of the rank card of whoever is at `rank` on the `period` board as the page shows
   * it (hidden people left out), or undefined past the end of the board.
   */
  async card(community: Community, period: PeriodKind, rank: number): Promise<RankCardInput | undefined> {
    if (!Number.isInteger(rank) || rank < 1 || rank > WEB_BOARD_SIZE) return undefined;
    const [row] = await repo.visibleTop(this.db, community.id, this.periodKey(community, period), 1, rank - 1);
    if (!row) return undefined;
    const level = levelFor(row.lifetime_points);
    const weekPoints = period === "week" ? row.points : await repo.pointsIn(this.db, community.id, this.periodKey(community, "week"), row.member_id);
    return {
      name: row.display_name,
      level,
      points: row.lifetime_points,
      levelFloor: pointsForLevel(level),
      nextLevelAt: pointsForLevel(level + 1),
      // The card's rank is the page's: on this tab, among the people shown.
      rank,
      ...(period === "week" ? { weekRank: rank } : {}),
      weekPoints,
    };
  }

  /** The community's upcoming talks as an .ics document (talks-ical.ts, as `npm run talks:ics` prints it). */
  talks(community: Community, domain?: string): Promise<string> {
    return talksCalendar(this.db, community.id, { name: `${community.settings.web.slug ?? community.name} talks`, now: this.clock.now(), ...(domain ? { domain } : {}) });
  }

  /**
   * Why `slug` cannot be this community's `web.slug`, or undefined when it can (free, or already
   * its own). `/config set web.slug` asks first; the unique index settles a race between two admins.
   */
  async slugRefusal(community: Community, slug: string | null): Promise<string | undefined> {
    if (slug === null) return undefined;
    const owner = await this.bySlug(slug);
    return owner && owner.id !== community.id ? `The address /c/${slug} is taken by another community: choose another \`web.slug\`.` : undefined;
  }

  private periodKey(community: Community, kind: PeriodKind): string {
    return currentPeriod(kind, this.clock.now(), community.settings.timezone);
  }

  private async latestHonors(community: Community): Promise<WebBoard["honors"]> {
    const rows = (await repo.latestHonors(this.db, community.id)).filter((r) => isHonor(r.honor));
    if (rows.length === 0) return undefined;
    const hidden = await repo.hiddenPersons(this.db, community.id, [...new Set(rows.map((r) => r.person_id))]);
    const list = HONOR_ORDER.flatMap((h) =>
      rows
        .filter((r) => r.honor === h && !hidden.has(r.person_id))
        .map((r) => ({ ...shown(h), name: r.person_name ?? r.display_name, value: HONOR_TITLES[h].value(r.value) })),
    );
    const week = rows[0]!.week;
    return list.length ? { week, label: periodLabel(`week:${week}`), list } : undefined;
  }
}

function isHonor(name: string): name is HonorName {
  return (HONOR_ORDER as readonly string[]).includes(name);
}

function shown(honor: HonorName): ShownHonor {
  return { honor, emoji: HONOR_TITLES[honor].emoji, title: HONOR_TITLES[honor].title };
}
