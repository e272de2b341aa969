// Tables of the economy's bounties (src/engine/economy/bounties.*; migration 20261201_1820_bounties).

/** Where a bounty stands: held in escrow, paid to an answerer, or refunded to the poster. */
export type BountyStatus = "open" | "awarded" | "expired";

/**
 * One bounty: points a member put on a question, held in the wallet account `@escrow:<id>`. The
 * movements themselves are wallet entries keyed `bounty:<id>:escrow|award|refund`; this row says
 * what the bounty is on and how it ended. At most one open bounty per question.
 */
export interface BountyTable {
  community_id: string;
  /** `b` + 12 hex digits, derived from the posting interaction's key. */
  id: string;
  /** The interaction that posted it. */
  cause_key: string;
  /** The question's message key: the thread's (or forum post's) starter message, or a linked message. */
  question_key: string;
  /** JSON Place of the question's thread (the answerer is told there); null: told by DM. */
  question_place: string | null;
  /** A link that opens the question, where the platform has one. */
  question_link: string | null;
  poster_id: string;
  poster_name: string;
  amount: number;
  status: BountyStatus;
  created_at: string;
  expires_at: string;
  answerer_id: string | null;
  answerer_name: string | null;
  settled_by: string | null;
  settle_key: string | null;
  settled_at: string | null;
}
