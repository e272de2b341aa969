// Tables of the knowledge capability (src/engine/knowledge/; migrations 20261201_1900_knowledge_base and later).

/**
 * One solved question from a public channel and its accepted answer, as the knowledge base holds
 * it. Its full-text index (FTS5 on SQLite, a tsvector on Postgres) follows this table on its own
 * (triggers / a generated column), so writing or deleting a row here is all indexing takes.
 */
export interface KbEntryTable {
  community_id: string;
  question_key: string;
  /** The thread's or forum post's title, else the start of the question. */
  title: string;
  question_text: string;
  answer_text: string;
  question_link: string;
  answer_link: string;
  answer_key: string;
  channel_key: string;
  asker_id: string;
  answer_author_id: string;
  solved_at: string;
}

/**
 * A thread's question as it was when its first reply arrived (the text the bot remembered then),
 * so the knowledge base has the question's words whenever the thread is solved.
 */
export interface ThreadQuestionTable {
  community_id: string;
  question_key: string;
  text: string;
  author_id: string;
  /** 1 when the platform said not every member can read where it was asked; null when it didn't say. */
  restricted: number | null;
  at: string;
}
