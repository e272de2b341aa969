import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { type Settings, settingsSchema } from "../engine/communities/settings.js";
import type { Logger } from "../log.js";

/**
 * What the scheduler needs to know about a community: its settings (a job's schedule may depend
 * on them, and may be "off"), the timezone slots are read in, and when it was created — a
 * community never gets runs for slots before that instant.
 */
export interface SchedulerCommunity<S = Settings> {
  id: string;
  timezone: string;
  createdAt: Date;
  settings: S;
}

/** Lists every community the scheduler serves; called once per tick. */
export type CommunitySource<S = Settings> = () => Promise<readonly SchedulerCommunity<S>[]>;

/**
 * A {@link CommunitySource} reading the `communities` table. A row whose settings no longer parse
 * is left out (and logged) rather than stopping every other community's jobs.
 */
export function communitiesFromDb(db: Kysely<Database>, log?: Logger): CommunitySource<Settings> {
  return async () => {
    const rows = await db.selectFrom("communities").select(["id", "settings", "created_at"]).orderBy("id").execute();
    const communities: SchedulerCommunity<Settings>[] = [];
    for (const row of rows) {
      let raw: unknown;
      try {
        raw = JSON.parse(row.settings);
      } catch {
        raw = undefined;
      }
      const parsed = settingsSchema.safeParse(raw);
      if (!parsed.success) {
        log?.error({ community: row.id }, "jobs: community settings do not parse; its jobs are not run");
        continue;
      }
      communities.push({ id: row.id, timezone: parsed.data.timezone, createdAt: new Date(row.created_at), settings: parsed.data });
    }
    return communities;
  };
}
