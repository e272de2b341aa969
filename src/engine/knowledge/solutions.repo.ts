import type { Kysely } from "kysely";
import { prepared } from "../../db/prepared.js";
import type { Database, KbEntryTable, SolvedQuestionTable } from "../../db/schema.js";

type Db = Kysely<Database>;

/** A `solved_questions` row as stored. */
export type SolvedRow = SolvedQuestionTable;

/** A `kb_entries` row as stored. */
export type KbEntryRow = KbEntryTable;

export async function solvedQuestion(db: Db, communityId: string, questionKey: string): Promise<SolvedRow | undefined> {
  return db.selectFrom("solved_questions").selectAll().where("community_id", "=", communityId).where("question_key", "=", questionKey).executeTakeFirst();
}

/** Questions whose accepted (or last accepted) answer is `answerKey`. */
// Every message delete asks this and deletes the message's entries (below): prepared, as the points
// path's queries are, so a delete does not pay kysely's compile each time (db/prepared.ts).
const solvedByAnswerQuery = prepared((db: Db, a: { community: string; answer: string }) =>
  db.selectFrom("solved_questions").selectAll().where("community_id", "=", a.community).where("answer_key", "=", a.answer),
);

export async function solvedByAnswer(db: Db, communityId: string, answerKey: string): Promise<SolvedRow[]> {
  return (await solvedByAnswerQuery(db, { community: communityId, answer: answerKey })).rows;
}

/** Writes the question's row whole: the caller has read it in this transaction and decided what it becomes. */
export async function saveSolved(db: Db, row: SolvedRow): Promise<void> {
  const { community_id, question_key, ...rest } = row;
  await db
    .insertInto("solved_questions")
    .values(row)
    .onConflict((oc) => oc.columns(["community_id", "question_key"]).doUpdateSet(rest))
    .execute();
}

/** Writes or replaces the question's knowledge-base entry. */
export async function saveKbEntry(db: Db, row: KbEntryRow): Promise<void> {
  const { community_id, question_key, ...rest } = row;
  await db
    .insertInto("kb_entries")
    .values(row)
    .onConflict((oc) => oc.columns(["community_id", "question_key"]).doUpdateSet(rest))
    .execute();
}

export async function kbEntry(db: Db, communityId: string, questionKey: string): Promise<KbEntryRow | undefined> {
  return db.selectFrom("kb_entries").selectAll().where("community_id", "=", communityId).where("question_key", "=", questionKey).executeTakeFirst();
}

/** Deletes the entries `messageKey` is the question or the answer of; how many went. */
const deleteKbEntriesOfMessageQuery = prepared((db: Db, a: { community: string; message: string }) =>
  db
    .deleteFrom("kb_entries")
    .where("community_id", "=", a.community)
    .where((eb) => eb.or([eb("question_key", "=", a.message), eb("answer_key", "=", a.message)])),
);

export async function deleteKbEntriesOfMessage(db: Db, communityId: string, messageKey: string): Promise<number> {
  return Number((await deleteKbEntriesOfMessageQuery(db, { community: communityId, message: messageKey })).numAffectedRows ?? 0);
}

/** Deletes the entries `memberId` asked or answered; how many went. */
export async function deleteKbEntriesOfMember(db: Db, communityId: string, memberId: string): Promise<number> {
  const r = await db
    .deleteFrom("kb_entries")
    .where("community_id", "=", communityId)
    .where((eb) => eb.or([eb("asker_id", "=", memberId), eb("answer_author_id", "=", memberId)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteKbEntry(db: Db, communityId: string, questionKey: string): Promise<void> {
  await db.deleteFrom("kb_entries").where("community_id", "=", communityId).where("question_key", "=", questionKey).execute();
}

/** Who wrote a message the points capability recorded, and the thread it replies to ("" member: a tombstone). */
export async function recordedMessage(db: Db, messageKey: string): Promise<{ member_id: string; thread_parent_key: string | null; channel_key: string; deleted_at: string | null } | undefined> {
  return db.selectFrom("messages").select(["member_id", "thread_parent_key", "channel_key", "deleted_at"]).where("message_key", "=", messageKey).executeTakeFirst();
}
