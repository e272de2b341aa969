// Tables of the points capability besides the ledger, totals and members (migration 20261201_1720_totals_histogram).

/**
 * How many members of a community have points in [points, points + width) in `period` — width 1
 * (exactly `points`) or 256 (a coarse range starting at a multiple of 256); members at 0 points
 * are in no row. The totals table grouped by points, kept in the same transactions as the totals.
 * A member's rank is 1 + the members in the rows above their points: a walk over at most a few
 * hundred rows, not over members. See docs/standing.md.
 */
export interface TotalsHistogramTable {
  community_id: string;
  /** `all`, `week:2026-W48` or `month:2026-11`, as in totals. */
  period: string;
  /** 1 or 256. */
  width: number;
  /** The range's first value (a multiple of `width`). */
  points: number;
  /** Never 0: a row whose count reaches 0 is deleted in the transaction that emptied it. */
  members: number;
}
