import type { Kysely } from "kysely";
import { parseNamespacedId, type Place } from "../../core/identity.js";
import type { Reply } from "../../core/reply.js";
import type { Database } from "../../db/schema.js";
import type { Clock } from "../../core/clock.js";
import { type Community, findCommunityByWorkspace } from "../communities/community.repo.js";
import { settingPlace } from "../levels/level-up-announcement.js";
import type { OutboxWriter } from "../outbox/index.js";
import type { WriteQueue } from "../write-queue.js";
import type { TalkRow } from "./talks.repo.js";

/**
 * Talks mirrored as a platform's native calendar events (Discord's Guild Scheduled Events). The
 * engine says which talks of a workspace's community are out of step with their event — new,
 * changed (what the event shows is not what it showed when last synced: see {@link eventVersion})
 * or cancelled — and the adapter creates, updates or cancels each, then reports back. Neutral:
 * nothing here knows Discord.
 */
export interface CalendarItem {
  talkId: string;
  /** {@link eventVersion} of the talk: handed back to `synced` once the event shows it. */
  version: number;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  /** The talk's channel on this workspace (its platform-local id), if it is one of this workspace's. */
  channelId?: string;
  link?: string;
  cancelled: boolean;
  /** The platform event that mirrors it already, if any. */
  eventId?: string;
}

export class CalendarSync {
  constructor(
    private readonly o: { db: Kysely<Database>; clock: Clock; writes: WriteQueue; outbox: OutboxWriter },
  ) {}

  /** Talks of the community of this workspace whose native event is missing or behind. */
  async due(where: Pick<Place, "platform" | "workspaceId">, limit = 20): Promise<{ community?: Community; items: CalendarItem[] }> {
    // Only a community that exists already: a workspace nobody has used yet has no talks.
    const community = await findCommunityByWorkspace(this.o.db, where.platform, where.workspaceId);
    if (!community) return { items: [] };
    const now = this.o.clock.now().toISOString();
    // Every talk not over yet (a community has dozens, not thousands); which are behind their event
    // is decided here, from what the event shows (see eventVersion).
    const candidates = await this.o.db
      .selectFrom("talks")
      .selectAll()
      .where("community_id", "=", community.id)
      // Only talks not over yet, cancelled ones too: an event of a talk that has ended is over on
      // Discord's side as well, and a row that stayed due for ever would hold a place in the limit.
      .where("ends_at", ">", now)
      .where((eb) => eb.or([eb("status", "=", "scheduled"), eb.and([eb("status", "=", "cancelled"), eb("scheduled_event_id", "is not", null)])]))
      .orderBy("starts_at")
      .execute();
    const rows = candidates.filter((t) => t.scheduled_event_version === null || Number(t.scheduled_event_version) !== eventVersion(t)).slice(0, limit);
    const items = rows.map((t): CalendarItem => {
      const channel = t.where_channel ? parseNamespacedId(t.where_channel) : undefined;
      const local = channel && channel.platform === where.platform && channel.workspaceId === where.workspaceId ? channel.localId : undefined;
      return {
        talkId: t.id,
        version: eventVersion(t),
        title: t.title,
        description: t.description,
        startsAt: new Date(t.starts_at),
        endsAt: new Date(t.ends_at),
        ...(local ? { channelId: local } : {}),
        ...(t.where_link ? { link: t.where_link } : {}),
        cancelled: t.status === "cancelled",
        ...(t.scheduled_event_id ? { eventId: t.scheduled_event_id } : {}),
      };
    });
    return { community, items };
  }

  /**
   * The event now shows `version` of the talk (`eventId` null: there is none, e.g. it was cancelled).
   * Also how the adapter gives up on a talk the platform refuses for good: recorded as in step, it
   * is not tried again until the talk changes.
   */
  async synced(talkId: string, version: number, eventId: string | null): Promise<void> {
    await this.o.writes.submit((trx) => trx.updateTable("talks").set({ scheduled_event_id: eventId, scheduled_event_version: version }).where("id", "=", talkId).execute());
  }

  /**
   * Tells the organizers once per community and `key` (the talks organizers' channel, else the mod
   * queue, else the talks channel): recorded as a notice and queued in the outbox together.
   */
  tellOrganizersOnce(community: Community, key: string, reply: Reply): Promise<boolean> {
    return this.o.writes.submit(async (trx) => {
      const inserted = await trx
        .insertInto("notices")
        .values({ community_id: community.id, key, created_at: this.o.clock.now().toISOString() })
        .onConflict((oc) => oc.columns(["community_id", "key"]).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      const s = community.settings;
      const to = settingPlace(s.talks.organizersChannel) ?? settingPlace(s.channels.modQueue) ?? settingPlace(s.channels.talks);
      if (to) await this.o.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `notice:${community.id}:${key}`, operation: "post", to, reply });
      return true;
    });
  }
}

/**
 * A fingerprint of what a talk's calendar event shows (title, description, times, where, whether
 * cancelled), stored as `scheduled_event_version` once the event shows it. Not the talk's `version`:
 * every RSVP bumps that (the announcement's counts), and an RSVP changes nothing on the event — each
 * button press used to edit the Discord event. FNV-1a, 31 bits (an `integer` column on Postgres).
 */
export function eventVersion(t: Pick<TalkRow, "title" | "description" | "starts_at" | "ends_at" | "where_channel" | "where_link" | "status">): number {
  const shown = JSON.stringify([t.title, t.description, t.starts_at, t.ends_at, t.where_channel, t.where_link, t.status]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < shown.length; i++) hash = Math.imul(hash ^ shown.charCodeAt(i), 0x01000193);
  return (hash >>> 0) & 0x7fffffff;
}
