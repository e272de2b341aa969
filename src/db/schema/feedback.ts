// Tables of the feedback capability (src/engine/feedback/; migration 20261201_1940_feedback).

/** Where a piece of feedback stands: waiting for organizers, answered (the member got the answer by DM), or closed. */
export type FeedbackState = "open" | "answered" | "closed";

/** One piece of member feedback, keyed by the `/feedback send` interaction and numbered per community. */
export interface FeedbackTable {
  id: string;
  community_id: string;
  /** 1, 2, 3 … per community. */
  number: number;
  /** The sending interaction's natural key (unique per community). */
  key: string;
  member_id: string;
  member_name: string;
  text: string;
  /** The outbox dedupe key of the organizers' card. */
  card_key: string;
  state: FeedbackState;
  /** The organizers' answer, as the member was sent it. */
  answer: string | null;
  /** Why it was closed, if the organizer said. */
  reason: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  /** The interaction that answered or closed it. */
  decided_key: string | null;
  created_at: string;
  decided_at: string | null;
}
