// Tables of the reviews capability (src/engine/reviews/; migration 20261201_1930_code_reviews).

/** Where a code-review request stands. */
export type CodeReviewStatus = "open" | "claimed" | "done" | "cancelled";

/** What a request asks to be reviewed: a pull-request (or any https) URL, or a short snippet. */
export type CodeReviewSubjectKind = "url" | "snippet";

/**
 * One code-review request: numbered per community, keyed by the interaction that made it, its card
 * in `channels.reviews` edited in place on every change. The reviewer's points are a ledger row
 * keyed `review:<community>:<number>:reviewer`, not a column here (`points` records what was paid).
 */
export interface CodeReviewTable {
  community_id: string;
  number: number;
  request_key: string;
  requester_id: string;
  requester_name: string;
  subject_kind: CodeReviewSubjectKind;
  subject: string;
  description: string | null;
  /** JSON Place of the card. */
  card_place: string;
  /** The card's outbox dedupe key (edits name it). */
  card_key: string;
  revision: number;
  status: CodeReviewStatus;
  /** How many times it was claimed; the current claim's number, and its lapse timer's. */
  claims: number;
  claimer_id: string | null;
  claimer_name: string | null;
  claim_key: string | null;
  claimed_at: string | null;
  /** When the current claim lapses if not done. */
  claim_until: string | null;
  released_id: string | null;
  released_name: string | null;
  released_how: "lapsed" | "released" | null;
  closed_by: string | null;
  close_key: string | null;
  closed_at: string | null;
  points: number | null;
  created_at: string;
  updated_at: string;
}
