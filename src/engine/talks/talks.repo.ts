import type { Kysely, Selectable } from "kysely";
import type { Database, TalkProposalTable, TalkRsvpTable, TalkTable } from "../../db/schema.js";

/**
 * Reads and writes of the talks tables. Every function takes the database or the transaction it
 * runs in as its first argument: the talks service calls them inside the write queue's
 * transaction, timers inside the scheduler's.
 */
type Db = Kysely<Database>;

export type TalkRow = Selectable<TalkTable>;
export type RsvpRow = Selectable<TalkRsvpTable>;
export type ProposalRow = Selectable<TalkProposalTable>;
export type RsvpStatus = RsvpRow["status"];

const changed = (r: { numUpdatedRows?: bigint; numInsertedOrUpdatedRows?: bigint | undefined }) => Number(r.numUpdatedRows ?? r.numInsertedOrUpdatedRows ?? 0) > 0;

export async function insertTalk(db: Db, row: Omit<TalkRow, "version">): Promise<void> {
  await db.insertInto("talks").values({ ...row, version: 0 }).execute();
}

export async function findTalk(db: Db, communityId: string, id: string): Promise<TalkRow | undefined> {
  return db.selectFrom("talks").selectAll().where("community_id", "=", communityId).where("id", "=", id).executeTakeFirst();
}

export async function talkById(db: Db, id: string): Promise<TalkRow | undefined> {
  return db.selectFrom("talks").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function updateTalk(db: Db, id: string, values: Partial<Omit<TalkRow, "id" | "community_id">>): Promise<void> {
  await db.updateTable("talks").set(values).where("id", "=", id).execute();
}

/** Bumps the talk's version (one per change its announcement shows) and returns the new one. */
export async function bumpVersion(db: Db, id: string, at: string): Promise<number> {
  await db.updateTable("talks").set((eb) => ({ version: eb("version", "+", 1), updated_at: at })).where("id", "=", id).execute();
  const row = await db.selectFrom("talks").select("version").where("id", "=", id).executeTakeFirstOrThrow();
  return Number(row.version);
}

/** Scheduled talks that have not ended yet, soonest first. */
export async function upcomingTalks(db: Db, communityId: string, now: string, limit = 25): Promise<TalkRow[]> {
  return db
    .selectFrom("talks")
    .selectAll()
    .where("community_id", "=", communityId)
    .where("status", "=", "scheduled")
    .where("ends_at", ">", now)
    .orderBy("starts_at")
    .limit(limit)
    .execute();
}

export async function seriesTalks(db: Db, seriesId: string, fromStartsAt: string): Promise<TalkRow[]> {
  return db.selectFrom("talks").selectAll().where("series_id", "=", seriesId).where("starts_at", ">=", fromStartsAt).orderBy("starts_at").execute();
}

/** Talks whose voice channel is `channelKey` and that overlap [from, to]. */
export async function talksInChannel(db: Db, communityId: string, channelKey: string, from: string, to: string): Promise<TalkRow[]> {
  return db
    .selectFrom("talks")
    .selectAll()
    .where("community_id", "=", communityId)
    .where("where_channel", "=", channelKey)
    .where("status", "=", "scheduled")
    .where("starts_at", "<=", to)
    .where("ends_at", ">=", from)
    .execute();
}

export async function insertSeries(db: Db, row: Database["talk_series"]): Promise<void> {
  await db.insertInto("talk_series").values(row).execute();
}

export async function findSeries(db: Db, id: string): Promise<Database["talk_series"] | undefined> {
  return db.selectFrom("talk_series").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function allSeries(db: Db, communityId: string): Promise<Database["talk_series"][]> {
  return db.selectFrom("talk_series").selectAll().where("community_id", "=", communityId).execute();
}

// ---- RSVPs ----------------------------------------------------------------------------------------

export async function rsvpsOf(db: Db, talkId: string): Promise<RsvpRow[]> {
  // Waitlist order: who asked first (member id breaks ties, so every process agrees).
  return db.selectFrom("talk_rsvps").selectAll().where("talk_id", "=", talkId).orderBy("asked_at").orderBy("member_id").execute();
}

export async function saveRsvp(db: Db, row: RsvpRow): Promise<void> {
  await db
    .insertInto("talk_rsvps")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["talk_id", "member_id"]).doUpdateSet((eb) => ({
        display_name: eb.ref("excluded.display_name"),
        status: eb.ref("excluded.status"),
        remind: eb.ref("excluded.remind"),
        asked_at: eb.ref("excluded.asked_at"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

// ---- reminder deliveries ----------------------------------------------------------------------------

/** Records that a talk's reminder was decided (sent or skipped); false if it already was. */
export async function recordReminder(db: Db, talkId: string, reminder: string, outcome: "sent" | "skipped", at: string): Promise<boolean> {
  const r = await db
    .insertInto("talk_reminders")
    .values({ talk_id: talkId, reminder, outcome, decided_at: at })
    .onConflict((oc) => oc.columns(["talk_id", "reminder"]).doNothing())
    .executeTakeFirst();
  return changed(r);
}

export async function remindersOf(db: Db, talkId: string): Promise<Database["talk_reminders"][]> {
  return db.selectFrom("talk_reminders").selectAll().where("talk_id", "=", talkId).orderBy("decided_at").execute();
}

// ---- attendance ---------------------------------------------------------------------------------------

/** Records that a member attended; false if they already had (by any route). */
export async function recordAttendance(db: Db, row: Database["talk_attendance"]): Promise<boolean> {
  const r = await db.insertInto("talk_attendance").values(row).onConflict((oc) => oc.columns(["talk_id", "member_id"]).doNothing()).executeTakeFirst();
  return changed(r);
}

export async function attendanceOf(db: Db, talkId: string): Promise<Database["talk_attendance"][]> {
  return db.selectFrom("talk_attendance").selectAll().where("talk_id", "=", talkId).orderBy("at").orderBy("member_id").execute();
}

// ---- voice sessions -------------------------------------------------------------------------------------

export async function openVoiceSession(db: Db, channelKey: string, memberId: string): Promise<Database["voice_sessions"] | undefined> {
  return db.selectFrom("voice_sessions").selectAll().where("channel_key", "=", channelKey).where("member_id", "=", memberId).where("left_at", "is", null).executeTakeFirst();
}

export async function insertVoiceSession(db: Db, row: Database["voice_sessions"]): Promise<boolean> {
  const r = await db.insertInto("voice_sessions").values(row).onConflict((oc) => oc.column("key").doNothing()).executeTakeFirst();
  return changed(r);
}

export async function closeVoiceSession(db: Db, key: string, leftAt: string): Promise<void> {
  await db.updateTable("voice_sessions").set({ left_at: leftAt }).where("key", "=", key).where("left_at", "is", null).execute();
}

/** Every session still open in a community's channels on one workspace (`<platform>:<workspace>:` prefix). */
export async function openVoiceSessionsIn(db: Db, communityId: string, channelPrefix: string): Promise<Database["voice_sessions"][]> {
  return db.selectFrom("voice_sessions").selectAll().where("community_id", "=", communityId).where("left_at", "is", null).where("channel_key", "like", `${channelPrefix}%`).execute();
}

/** A member's sessions in a channel that overlap [from, to]. */
export async function voiceSessions(db: Db, channelKey: string, from: string, to: string, memberId?: string): Promise<Database["voice_sessions"][]> {
  let q = db
    .selectFrom("voice_sessions")
    .selectAll()
    .where("channel_key", "=", channelKey)
    .where("joined_at", "<=", to)
    .where((eb) => eb.or([eb("left_at", "is", null), eb("left_at", ">=", from)]));
  if (memberId) q = q.where("member_id", "=", memberId);
  return q.orderBy("member_id").orderBy("joined_at").execute();
}

// ---- proposals --------------------------------------------------------------------------------------------

export async function insertProposal(db: Db, row: ProposalRow): Promise<void> {
  await db.insertInto("talk_proposals").values(row).execute();
}

export async function findProposal(db: Db, communityId: string, id: string): Promise<ProposalRow | undefined> {
  return db.selectFrom("talk_proposals").selectAll().where("community_id", "=", communityId).where("id", "=", id).executeTakeFirst();
}

/** Moves an open proposal on; false if it was no longer open (someone else decided first). */
export async function decideProposal(db: Db, id: string, status: "scheduled" | "declined"): Promise<boolean> {
  const r = await db.updateTable("talk_proposals").set({ status }).where("id", "=", id).where("status", "=", "open").executeTakeFirst();
  return changed(r);
}
