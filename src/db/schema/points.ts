// Tables of the points capability besides the ledger, totals and members (migration 20261201_1700_totals_histogram).

/**
 * How many members of a community have exactly `points` (never 0) in `period`: the totals table
 * grouped by points, kept in the same transactions as the totals. A member's rank is 1 + the sum
 * of `members` over the rows with more points — a walk over distinct point values, not members.
 * See docs/standing.md.
 */
export interface TotalsHistogramTable {
  community_id: string;
  /** `all`, `week:2026-W48` or `month:2026-11`, as in totals. */
  period: string;
  points: number;
  /** Never 0: a row whose count reaches 0 is deleted in the transaction that emptied it. */
  members: number;
}
