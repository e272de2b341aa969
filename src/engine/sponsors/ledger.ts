import type { ContributionRow, SponsorRow } from "./sponsors.repo.js";

/**
 * The sponsor ledger, E_t = E_{t−1} + β·R_t, per sponsor and currency:
 *
 * - R_t is the sum of the sponsor's contribution rows recorded in quarter t (corrections are
 *   negative rows, so R_t is net);
 * - E_t is the running total up to and including quarter t, each quarter weighted by β
 *   (`sponsors.beta`, default 1: E_t is then simply everything contributed so far); E before the
 *   first row is 0.
 *
 * Nothing is stored but the rows: E is folded from them whenever a report is asked for, so it can
 * never disagree with the ledger (and a change of β re-weighs the whole history).
 */
export interface LedgerLine {
  sponsor: Pick<SponsorRow, "id" | "name" | "tier" | "status"> & { addedIn: string };
  /** R_t: net contributions in the quarter, in the smallest unit, by currency. */
  quarter: Map<string, number>;
  /** E_t: by currency, in the smallest unit (β may make it fractional; shown rounded). */
  cumulative: Map<string, number>;
  /** Impressions in the quarter: the digest's rotation and the sponsor's own schedule. */
  impressions: { rotation: number; schedule: number };
}

/** Folds E_t = E_{t−1} + β·R_t over the quarters up to `quarter`, for each sponsor and currency. */
export function ledgerReport(
  sponsors: readonly (Pick<SponsorRow, "id" | "name" | "tier" | "status"> & { addedIn: string })[],
  rows: readonly Pick<ContributionRow, "sponsor_id" | "amount" | "currency" | "quarter">[],
  impressions: readonly { sponsor_id: string; source: string; n: number }[],
  quarter: string,
  beta: number,
): LedgerLine[] {
  const lines: LedgerLine[] = [];
  for (const sponsor of sponsors) {
    const own = rows.filter((r) => r.sponsor_id === sponsor.id && r.quarter <= quarter);
    // R_q per currency and quarter, then E folded quarter by quarter, in order.
    const byQuarter = new Map<string, Map<string, number>>();
    for (const r of own) {
      const q = byQuarter.get(r.quarter) ?? new Map<string, number>();
      q.set(r.currency, (q.get(r.currency) ?? 0) + r.amount);
      byQuarter.set(r.quarter, q);
    }
    const cumulative = new Map<string, number>();
    for (const q of [...byQuarter.keys()].sort()) {
      for (const [currency, r] of byQuarter.get(q)!) cumulative.set(currency, (cumulative.get(currency) ?? 0) + beta * r);
    }
    const seen = impressions.filter((i) => i.sponsor_id === sponsor.id);
    const count = (source: string) => seen.filter((i) => i.source === source).reduce((n, i) => n + i.n, 0);
    const line: LedgerLine = { sponsor, quarter: byQuarter.get(quarter) ?? new Map(), cumulative, impressions: { rotation: count("rotation"), schedule: count("schedule") } };
    // A sponsor not yet added by then, or removed with nothing on record by then, has no place in it.
    if ((sponsor.status === "active" && sponsor.addedIn <= quarter) || own.length > 0 || seen.length > 0) lines.push(line);
  }
  return lines;
}

/** A sponsor's net total in `currency` (for refusing a correction that would go below zero). */
export function netTotal(rows: readonly Pick<ContributionRow, "amount" | "currency">[], currency: string): number {
  return rows.filter((r) => r.currency === currency).reduce((sum, r) => sum + r.amount, 0);
}
