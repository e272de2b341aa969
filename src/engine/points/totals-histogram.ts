import type { WriteQueue } from "../write-queue.js";
import { applyHistogramDeltas, type HistogramDelta } from "./totals-histogram.repo.js";

/**
 * Keeps `totals_histogram` equal to the totals grouped by points, and by ranges of COARSE_WIDTH
 * points (rows at 0 points left out), without a histogram write per event: every totals row a transaction moves from `before` to
 * `after` points is folded here into ±1 per (community, period, points) — a member moving from a
 * to b is −1 at a and +1 at b, a new member only +1 at b, and the same for the ranges of a and b when
 * they differ — and the net changes are written once,
 * just before the transaction commits (`WriteQueue.beforeCommit`), so they commit or roll back
 * with the totals that caused them. A rolled-back batch drops what it folded (`onRollback`); the
 * queue then retries its writes one by one, and those fold their own changes again.
 *
 * A batch of hundreds of events mostly nets out to a few dozen rows: members' points cluster at
 * small values and each event moves a member by a few points.
 */
export class TotalsHistogram {
  // Community → period → width → points → change. Nested maps keyed by the strings and numbers the
  // totals rows already carry: a lookup builds no key string (a joined key cost ~1.5 KB of garbage
  // per event, three totals rows each moving up to four entries).
  private readonly deltas = new Map<string, Map<string, { exact: Map<number, HistogramDelta>; coarse: Map<number, HistogramDelta> }>>();

  constructor(writes: WriteQueue) {
    writes.onRollback(() => this.deltas.clear());
    writes.beforeCommit(async (trx) => {
      if (this.deltas.size === 0) return;
      const changed: HistogramDelta[] = [];
      for (const periods of this.deltas.values()) {
        for (const widths of periods.values()) {
          for (const d of widths.exact.values()) if (d.delta !== 0) changed.push(d);
          for (const d of widths.coarse.values()) if (d.delta !== 0) changed.push(d);
        }
      }
      this.deltas.clear();
      if (changed.length > 0) await applyHistogramDeltas(trx, changed.sort(byKey));
    });
  }

  /** A member's totals row in `period` went from `before` to `after` points in the open transaction. */
  moved(community: string, period: string, before: number, after: number): void {
    if (before === after) return;
    let periods = this.deltas.get(community);
    if (!periods) this.deltas.set(community, (periods = new Map()));
    let widths = periods.get(period);
    if (!widths) periods.set(period, (widths = { exact: new Map(), coarse: new Map() }));
    if (before !== 0) add(widths.exact, community, period, 1, before, -1);
    if (after !== 0) add(widths.exact, community, period, 1, after, 1);
    // The coarse rows change only when the member crosses a multiple of COARSE_WIDTH (or leaves or
    // reaches 0): most events move a member a few points inside one range.
    const from = before === 0 ? undefined : coarseStart(before);
    const to = after === 0 ? undefined : coarseStart(after);
    if (from === to) return;
    if (from !== undefined) add(widths.coarse, community, period, COARSE_WIDTH, from, -1);
    if (to !== undefined) add(widths.coarse, community, period, COARSE_WIDTH, to, 1);
  }
}

function add(byPoints: Map<number, HistogramDelta>, community: string, period: string, width: number, points: number, delta: number): void {
  const entry = byPoints.get(points);
  if (entry) entry.delta += delta;
  else byPoints.set(points, { community, period, width, points, delta });
}

/**
 * Width of the coarse rows: a rank sums at most COARSE_WIDTH exact rows (those of the member's own
 * range) and one coarse row per COARSE_WIDTH points above it, whatever the number of distinct
 * values. 256 is about √ of the ~73 000 values a busy year spreads all-time points over. The
 * migration that made the table uses the same number: changing it needs a migration rebuilding them.
 */
export const COARSE_WIDTH = 256;

/** The first value of the coarse range holding `points`: rounded down to a multiple of COARSE_WIDTH (negatives too). */
export function coarseStart(points: number): number {
  return Math.floor(points / COARSE_WIDTH) * COARSE_WIDTH;
}

/** The histogram's key order, the same in every process (see applyHistogramDeltas). */
function byKey(a: HistogramDelta, b: HistogramDelta): number {
  if (a.community !== b.community) return a.community < b.community ? -1 : 1;
  if (a.period !== b.period) return a.period < b.period ? -1 : 1;
  if (a.width !== b.width) return a.width - b.width;
  return a.points - b.points;
}
