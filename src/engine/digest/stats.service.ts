import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import { membersOfPerson, personOf } from "../economy/wallet.js";
import { honorsOfMember, type HonorRow } from "./digest.repo.js";
import { weeksBefore } from "./digest-week.js";
import { type WeekHealth, weekHealth } from "./health.service.js";
import type { DigestAttachment, DigestPictures } from "./seams.js";
import { countActive } from "./week-scan.repo.js";

/** `/stats` and `/badges`: community health over recent weeks, and a member's honors. */
export class StatsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly pictures: () => DigestPictures | undefined,
  ) {}

  /** Health of the last `count` full weeks, oldest first. */
  async health(community: Community, count: number): Promise<WeekHealth[]> {
    const now = this.clock.now();
    const out: WeekHealth[] = [];
    for (const week of weeksBefore(now, community.settings.timezone, count)) out.push(await weekHealth(this.db, community.id, week, now));
    return out;
  }

  /** The last 12 full weeks' active members as a chart, when the renderers are present. */
  async activeChart(community: Community): Promise<DigestAttachment | undefined> {
    const pictures = this.pictures();
    if (!pictures) return undefined;
    const weeks = weeksBefore(this.clock.now(), community.settings.timezone, 12);
    const values = [];
    for (const w of weeks) values.push({ label: w.week.slice(5), value: await countActive(this.db, community.id, w.period) });
    return pictures.renderWeeklyChart({ title: "Active members per week", weeks: values });
  }

  /** A member's honors, newest first: those of every member of their person (linked accounts). */
  async badges(community: Community, memberId: string): Promise<HonorRow[]> {
    const members = await membersOfPerson(this.db, community.id, await personOf(this.db, community.id, memberId));
    const rows = (await Promise.all(members.map((id) => honorsOfMember(this.db, community.id, id)))).flat();
    return rows.sort((a, b) => (a.week < b.week ? 1 : a.week > b.week ? -1 : a.honor < b.honor ? -1 : a.honor > b.honor ? 1 : 0));
  }
}
