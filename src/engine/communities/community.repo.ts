import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { type Settings, settingsSchema } from "./settings.js";

export interface Community {
  id: string;
  name: string;
  settings: Settings;
}

type Db = Kysely<Database>;

function toCommunity(row: { id: string; name: string; settings: string }): Community {
  // Parsing on read fills in defaults for settings added after the row was written.
  return { id: row.id, name: row.name, settings: settingsSchema.parse(JSON.parse(row.settings)) };
}

export async function findCommunityByWorkspace(db: Db, platform: string, workspaceId: string): Promise<Community | undefined> {
  const row = await db
    .selectFrom("community_workspaces as w")
    .innerJoin("communities as c", "c.id", "w.community_id")
    .select(["c.id", "c.name", "c.settings"])
    .where("w.platform", "=", platform)
    .where("w.workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return row && toCommunity(row);
}

export async function insertCommunity(db: Db, c: Community & { createdAt: Date }): Promise<void> {
  await db
    .insertInto("communities")
    .values({ id: c.id, name: c.name, settings: JSON.stringify(c.settings), created_at: c.createdAt.toISOString() })
    .execute();
}

/** Links a workspace to a community; returns false if the workspace already belonged to one. */
export async function linkWorkspace(db: Db, platform: string, workspaceId: string, communityId: string): Promise<boolean> {
  const result = await db
    .insertInto("community_workspaces")
    .values({ platform, workspace_id: workspaceId, community_id: communityId })
    .onConflict((oc) => oc.columns(["platform", "workspace_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateSettings(db: Db, id: string, settings: Settings): Promise<void> {
  await db.updateTable("communities").set({ settings: JSON.stringify(settings) }).where("id", "=", id).execute();
}
