// Tables of accepted answers (src/engine/knowledge/; migration 20261201_1920_solutions).

/**
 * One question that has (or had) an accepted answer: the thread's or forum post's starter, the reply
 * marked as its solution and the points that mark granted. A question has one row for life; marking,
 * changing and unmarking update it, and every change of points is a ledger row of its own.
 */
export interface SolvedQuestionTable {
  community_id: string;
  /** The question's starter message key (see `questionKeyOfThread`). */
  question_key: string;
  /** `accepted` while a reply is marked as the solution; `unaccepted` once the mark was taken off. */
  state: "accepted" | "unaccepted";
  /** The accepted reply's message key (the last one, once unaccepted). */
  answer_key: string;
  answer_author_id: string;
  /** The question's starter, when known ("" when the bot never saw the question). */
  asker_id: string;
  /** Who marked (or unmarked) it last. */
  marked_by: string;
  /** Event time of the last change, UTC: an older mark or unmark that arrives later is ignored. */
  changed_at: string;
  /** Where the question's thread is (a JSON `Place`): the answerer is told there. */
  thread_place: string;
  /** The question's channel (`<platform>:<workspace>:<channel>`). */
  channel_key: string;
  /** How many awards this question has granted so far; the next award's ledger key carries it. */
  award_seq: number;
  /** The ledger key of the award in force, or null (unaccepted, or a setting of 0 points). */
  award_key: string | null;
  /** The points that award granted: its reversal takes back exactly this, whatever the setting is now. */
  award_points: number;
  /** Bounty points paid to the answerer by the first accept (never taken back). */
  bounty_paid: number;
}
