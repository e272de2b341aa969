import type { Transaction } from "kysely";
import { parseNamespacedId, type Place } from "../../core/identity.js";
import { mention, type Reply } from "../../core/reply.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import type { OutboxWriter } from "../outbox/index.js";

/**
 * One decision and one wording for "a member reached a level", on every platform. Called inside
 * the transaction that recorded the level-up, so the announcement is written to the outbox with it
 * and delivered once, after commit, across restarts.
 *
 * Where it goes: the announcements channel when one is set; and where it happened, when that is on
 * another platform than the announcements channel (a community spanning Discord and Slack), so
 * members on each platform see it. With `levels.announce` off nothing is posted.
 */
export interface ReachedLevel {
  community: Community;
  memberId: string;
  /** The person the level is recorded under, when not `memberId` (a linked member): one announcement per person and level. */
  personId?: string;
  displayName: string;
  level: number;
  /** Where the activity that earned it happened. */
  where: Place;
}

/** The announcement's words: the same on every platform. */
export function levelUpReply(reached: Pick<ReachedLevel, "memberId" | "displayName" | "level">): Reply {
  return {
    title: "Level up!",
    text: `🎉 ${mention({ id: reached.memberId, displayName: reached.displayName })} reached level ${reached.level}!`,
    tone: "success",
  };
}

/** A configured channel setting as a place, if it names a channel. */
export function settingPlace(setting: string | null): Place | undefined {
  const channel = setting ? parseNamespacedId(setting) : undefined;
  return channel ? { platform: channel.platform, workspaceId: channel.workspaceId, channelId: channel.localId } : undefined;
}

/** The places a level-up is announced in (none when announcements are off). */
export function levelUpPlaces(community: Community, where: Place): Place[] {
  if (!community.settings.levels.announce) return [];
  const announcements = settingPlace(community.settings.channels.announcements);
  if (!announcements) return [{ platform: where.platform, workspaceId: where.workspaceId, channelId: where.channelId }];
  if (announcements.platform === where.platform) return [announcements];
  return [announcements, { platform: where.platform, workspaceId: where.workspaceId, channelId: where.channelId }];
}

/** Writes the announcement of `reached` to the outbox, in `trx`; idempotent per member and level. */
export async function announceLevelUp(trx: Transaction<Database>, outbox: OutboxWriter, reached: ReachedLevel): Promise<void> {
  const places = levelUpPlaces(reached.community, reached.where);
  if (places.length === 0) return;
  await outbox.postEverywhere(trx, {
    communityId: reached.community.id,
    dedupeKey: `levelup:${reached.community.id}:${reached.personId ?? reached.memberId}:${reached.level}`,
    places,
    reply: levelUpReply(reached),
  });
}
