import type { Kysely } from "kysely";
import { prepared } from "../../db/prepared.js";
import type { Database, LevelUpTable } from "../../db/schema.js";

type Db = Kysely<Database>;

const recordQuery = prepared((db: Db, a: LevelUpTable) =>
  db
    .insertInto("level_ups")
    .values({ community_id: a.community_id, member_id: a.member_id, level: a.level, reached_at: a.reached_at, channel_key: a.channel_key, announced_at: a.announced_at })
    .onConflict((oc) => oc.columns(["community_id", "member_id", "level"]).doNothing()),
);

/** True the first time a member reaches `level`; false ever after. */
export async function recordLevelUp(db: Db, row: LevelUpTable): Promise<boolean> {
  return Number((await recordQuery(db, row)).numAffectedRows ?? 0) > 0;
}

export async function markAnnounced(db: Db, communityId: string, memberId: string, level: number, at: string): Promise<void> {
  await db
    .updateTable("level_ups")
    .set({ announced_at: at })
    .where("community_id", "=", communityId)
    .where("member_id", "=", memberId)
    .where("level", "=", level)
    .where("announced_at", "is", null)
    .execute();
}

/** Level-ups reached but not announced (e.g. the process stopped in between), oldest first. */
export async function unannounced(db: Db, communityId: string, limit = 100) {
  return db
    .selectFrom("level_ups as l")
    .leftJoin("members as m", (j) => j.onRef("m.community_id", "=", "l.community_id").onRef("m.member_id", "=", "l.member_id"))
    .select(["l.member_id", "l.level", "l.channel_key", "l.reached_at", "m.display_name"])
    .where("l.community_id", "=", communityId)
    .where("l.announced_at", "is", null)
    .orderBy("l.reached_at")
    .limit(limit)
    .execute();
}
