import type { Kysely, Transaction } from "kysely";
import { prepared } from "../../db/prepared.js";
import type { Database } from "../../db/schema.js";
import type { RememberedText } from "./message-texts.js";

type Db = Kysely<Database> | Transaction<Database>;

// Every message delete runs this: prepared (db/prepared.ts).
const forgetQuestionQuery = prepared((db: Kysely<Database>, a: { community: string; key: string }) =>
  db.deleteFrom("thread_questions").where("community_id", "=", a.community).where("question_key", "=", a.key),
);

/**
 * The questions of threads, kept in the database from the moment a thread gets its first reply —
 * the memory of recent texts (message-texts.ts) holds only the last few thousand messages and is
 * lost on a restart, and a question is often solved days after it was asked. One row per thread:
 * the first reply writes it, later ones find it already written (a set in memory spares them the
 * statement; after a restart the insert's conflict does).
 */
export class ThreadQuestions {
  private readonly written = new Set<string>();

  /** Drops what a rolled-back transaction may have claimed. */
  clear(): void {
    this.written.clear();
  }

  /** On a reply: records its thread's question, if the bot remembers it and has not recorded it. */
  async onReply(trx: Transaction<Database>, communityId: string, questionKey: string, question: RememberedText | undefined, at: string): Promise<void> {
    if (!question || this.written.has(questionKey)) return;
    this.written.add(questionKey);
    if (this.written.size > 50_000) this.written.clear();
    await trx
      .insertInto("thread_questions")
      .values({ community_id: communityId, question_key: questionKey, text: question.text, author_id: question.authorId, restricted: question.restricted === undefined ? null : question.restricted ? 1 : 0, at })
      .onConflict((oc) => oc.columns(["community_id", "question_key"]).doNothing())
      .execute();
  }

  /** The recorded question of a thread, as a remembered text. */
  async get(db: Db, communityId: string, questionKey: string): Promise<RememberedText | undefined> {
    const row = await db.selectFrom("thread_questions").select(["text", "author_id", "restricted"]).where("community_id", "=", communityId).where("question_key", "=", questionKey).executeTakeFirst();
    if (!row) return undefined;
    return { text: row.text, authorId: row.author_id, ...(row.restricted === null ? {} : { restricted: row.restricted === 1 }) };
  }

  async forgetMessage(trx: Db, communityId: string, messageKey: string): Promise<void> {
    this.written.delete(messageKey);
    await forgetQuestionQuery(trx, { community: communityId, key: messageKey });
  }

  async forgetMember(trx: Db, communityId: string, memberId: string): Promise<void> {
    await trx.deleteFrom("thread_questions").where("community_id", "=", communityId).where("author_id", "=", memberId).execute();
  }
}
