import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { type Community } from "../engine/communities/community.repo.js";
import { settingsSchema } from "../engine/communities/settings.js";

/** A community as the operations commands see it: the engine's view, and when it began. */
export interface CommunityRecord extends Community {
  createdAt: string;
}

/** Every community, oldest first, for listing in a message. */
export async function allCommunities(db: Kysely<Database>): Promise<CommunityRecord[]> {
  const rows = await db.selectFrom("communities").select(["id", "name", "settings", "created_at"]).orderBy("created_at").orderBy("id").execute();
  return rows.map((r) => ({ id: r.id, name: r.name, settings: settingsSchema.parse(JSON.parse(r.settings)), createdAt: r.created_at }));
}

export function listCommunities(communities: readonly CommunityRecord[]): string {
  return communities.map((c) => `  ${c.id}  ${c.name}`).join("\n") || "  (none yet)";
}

/**
 * `--community <id or name>`, as `npm run talks:ics` reads it: the one named, or, without the flag,
 * the only community there is. Anything else is an error that lists the communities.
 */
export async function chooseCommunity(db: Kysely<Database>, wanted: string | undefined): Promise<{ ok: true; community: CommunityRecord } | { ok: false; error: string }> {
  const communities = await allCommunities(db);
  const found = wanted !== undefined ? communities.filter((c) => c.id === wanted || c.name === wanted) : communities;
  if (found.length === 0) {
    return { ok: false, error: wanted !== undefined ? `No community is called or numbered "${wanted}". Communities:\n${listCommunities(communities)}` : "There are no communities yet: start the bot once." };
  }
  if (found.length > 1) return { ok: false, error: `Several communities${wanted !== undefined ? ` match "${wanted}"` : ""}; name one with --community <id>:\n${listCommunities(found)}` };
  return { ok: true, community: found[0]! };
}
