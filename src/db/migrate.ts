import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import * as foundation from "./migrations/20261126_1530_foundation.js";
import * as levelsAndNotices from "./migrations/20261126_1700_levels_and_notices.js";
import * as linkCodes from "./migrations/20261126_1800_link_codes.js";
import * as pointsEvents from "./migrations/20261201_1130_points_events.js";

/**
 * Migrations are listed here rather than read from the file system, so they work the same from
 * TypeScript sources, a bundle or a test. Names sort by time; never rename or edit a landed one.
 */
const migrations: Record<string, Migration> = {
  "20261126_1530_foundation": foundation,
  "20261126_1700_levels_and_notices": levelsAndNotices,
  "20261126_1800_link_codes": linkCodes,
  "20261201_1130_points_events": pointsEvents,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
