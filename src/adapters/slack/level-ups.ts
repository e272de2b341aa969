import { mention, type Reply } from "../../core/reply.js";
import type { Community } from "../../engine/communities/community.repo.js";
import type { Engine } from "../../engine/engine.js";
import type { Logger } from "../../log.js";
import type { SlackOutbox } from "./outbox.js";
import type { Secrets } from "./secrets.js";

/**
 * Congratulates Slack members on a new level. The engine records each level-up once, in the same
 * transaction as the points, and tells listeners after commit; this posts to the community's
 * announcements channel (when it is a channel of this workspace) or where it happened, then marks
 * it announced. On start it catches up on level-ups a stop interrupted.
 *
 * With `levels.announce` off, a level-up is marked announced without a post, so switching it on
 * later does not flood the channel with old news.
 */
export interface LevelUpNews {
  community: Community;
  memberId: string;
  displayName?: string | null;
  level: number;
  /** Channel id (raw `C…`) where it happened. */
  channel: string;
}

export class LevelUpAnnouncer {
  private readonly unsubscribe: () => void;
  /** Level-ups being announced right now, so the live listener and the catch-up never both post. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly o: { engine: Engine; outbox: SlackOutbox; team: string; log: Logger; secrets: Secrets },
  ) {
    this.unsubscribe = o.engine.onLevelUp((l) => {
      if (l.place.platform !== "slack" || l.place.workspaceId !== o.team) return;
      void this.announce({ community: l.community, memberId: l.memberId, displayName: l.displayName, level: l.level, channel: l.place.channelId });
    });
  }

  /** Announces what was reached but never announced (e.g. the process stopped in between). */
  async catchUp(): Promise<void> {
    const community = await this.o.engine.communities.resolve({ platform: "slack", workspaceId: this.o.team });
    const prefix = `slack:${this.o.team}:`;
    for (const row of await this.o.engine.levels.pending(community)) {
      // A community can span platforms; the other adapters announce their own members.
      if (!row.member_id.startsWith(prefix) || !row.channel_key.startsWith(prefix)) continue;
      await this.announce({ community, memberId: row.member_id, displayName: row.display_name, level: row.level, channel: row.channel_key.slice(prefix.length) });
    }
  }

  stop(): void {
    this.unsubscribe();
  }

  private async announce(news: LevelUpNews): Promise<void> {
    const id = `${news.memberId}:${news.level}`;
    if (this.inFlight.has(id)) return;
    this.inFlight.add(id);
    try {
      if (news.community.settings.levels.announce) {
        const channel = this.announcementsChannel(news.community) ?? news.channel;
        const reply: Reply = { text: `:tada: ${mention({ id: news.memberId, ...(news.displayName ? { displayName: news.displayName } : {}) })} reached level ${news.level}!` };
        await this.o.outbox.post({ platform: "slack", workspaceId: this.o.team, channelId: channel }, reply);
      }
      await this.o.engine.levels.markAnnounced(news.community, news.memberId, news.level);
    } catch (error) {
      // Left unannounced: the next start tries again.
      this.o.log.warn({ ...this.o.secrets.describe(error), member: news.memberId, level: news.level }, "slack: could not announce a level-up");
    } finally {
      this.inFlight.delete(id);
    }
  }

  private announcementsChannel(community: Community): string | undefined {
    const configured = community.settings.channels.announcements;
    const prefix = `slack:${this.o.team}:`;
    return configured?.startsWith(prefix) ? configured.slice(prefix.length) : undefined;
  }
}
