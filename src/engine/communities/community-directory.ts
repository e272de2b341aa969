import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import * as repo from "./community.repo.js";
import type { Community } from "./community.repo.js";
import { type Settings, settingsSchema } from "./settings.js";

/**
 * Finds the community a Discord guild, Slack team or console workspace belongs to, creating one with
 * default settings the first time a workspace is seen. Every event needs this, so answers are kept
 * in memory; settings changes go through here and refresh the copy.
 *
 * With `refreshMs` (the engine sets it on Postgres, where other processes may change settings or
 * move a workspace with `/config join`), an answer older than that is looked up again: a change
 * made through another process is seen here within `refreshMs`.
 */
export class CommunityDirectory {
  private readonly byWorkspace = new Map<string, { pending: Promise<Community>; at: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly defaults: Partial<Settings> = {},
    private readonly options: { refreshMs?: number } = {},
  ) {}

  resolve(place: Pick<Place, "platform" | "workspaceId">): Promise<Community> {
    const cacheKey = `${place.platform}:${place.workspaceId}`;
    const known = this.byWorkspace.get(cacheKey);
    const refreshMs = this.options.refreshMs;
    if (known && (refreshMs === undefined || this.clock.now().getTime() - known.at < refreshMs)) return known.pending;
    const pending = this.findOrCreate(place.platform, place.workspaceId);
    const entry = { pending, at: this.clock.now().getTime() };
    // A failed lookup must not stick: the next event tries again.
    pending.catch(() => {
      if (this.byWorkspace.get(cacheKey) === entry) this.byWorkspace.delete(cacheKey);
    });
    this.byWorkspace.set(cacheKey, entry);
    return pending;
  }

  /** Drops the cached answer for a workspace (it was moved to another community) and looks it up again. */
  forget(place: Pick<Place, "platform" | "workspaceId">): Promise<Community> {
    this.byWorkspace.delete(`${place.platform}:${place.workspaceId}`);
    return this.resolve(place);
  }

  async updateSettings(community: Community, settings: Settings): Promise<Community> {
    await repo.updateSettings(this.db, community.id, settings);
    const updated = { ...community, settings };
    for (const [key, entry] of this.byWorkspace) {
      if ((await entry.pending).id === community.id) this.byWorkspace.set(key, { pending: Promise.resolve(updated), at: entry.at });
    }
    return updated;
  }

  private async findOrCreate(platform: string, workspaceId: string): Promise<Community> {
    const found = await repo.findCommunityByWorkspace(this.db, platform, workspaceId);
    if (found) return found;
    const community: Community = {
      // Short: the community id is part of every ledger, totals and member key and index entry.
      id: randomBytes(9).toString("base64url"),
      name: `${platform} ${workspaceId}`,
      settings: settingsSchema.parse(this.defaults),
    };
    const lostRace = new Error("workspace linked by another process");
    try {
      await this.db.transaction().execute(async (trx) => {
        await repo.insertCommunity(trx, { ...community, createdAt: this.clock.now() });
        if (!(await repo.linkWorkspace(trx, platform, workspaceId, community.id))) throw lostRace;
      });
      return community;
    } catch (error) {
      if (error !== lostRace) throw error;
    }
    // Another process linked this workspace first: ours rolled back; use theirs.
    const winner = await repo.findCommunityByWorkspace(this.db, platform, workspaceId);
    if (!winner) throw new Error(`workspace ${platform}:${workspaceId} vanished while being linked`);
    return winner;
  }
}
