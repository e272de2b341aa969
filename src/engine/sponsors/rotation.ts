/**
 * Which sponsor a rotation slot (the weekly digest's shout-out) shows: a pure function of the
 * active sponsors and when each was last shown. No randomness — the same history picks the same
 * sponsor, on every process and after every restart.
 *
 * The rule (docs/sponsors.md proves it):
 *
 * 1. Each sponsor's **period** p is its tier's (`sponsors.goldWeeks` 1, `silverWeeks` 2,
 *    `bronzeWeeks` 4 by default; always powers of two). One slot a week can carry a demand of
 *    L = Σ 1/p; when L > 1 every period is stretched by the same factor f = 2^⌈log₂ L⌉, the
 *    smallest power of two that brings the demand to at most one a week. The **effective period**
 *    is P = p·f — still powers of two, so the periods nest.
 * 2. Weeks are cut into **windows** of P weeks aligned on week 0 (windows of 2 weeks start at even
 *    weeks, of 4 at multiples of 4, …). A sponsor not yet shown in its current window is **owed**.
 * 3. Among owed sponsors the shortest effective period goes first, then the one active longest,
 *    then by name: rate-monotonic scheduling, with a fixed order. With nested periods and a demand
 *    of at most one a week it shows every sponsor in every one of its windows, at the same place in
 *    each, so no two showings are more than P weeks apart and a due sponsor is never passed over.
 *    (Putting "due" sponsors first was tried and dropped: bonus showings then move who is due, and
 *    in simulations a few stable sets never settled.)
 * 4. A slot nobody is owed gets a bonus showing, shared in proportion to the tiers (stride
 *    scheduling): each sponsor's "pass" is the week it became active plus P for every showing
 *    since; the lowest pass wins, ties by the oldest last showing, then by name. Over time each
 *    sponsor's showings × P even out, so counts follow 1/P in bonus slots too.
 */

/** A sponsor as the rotation sees it. */
export interface RotationCandidate {
  id: string;
  name: string;
  /** The tier's period in weeks (a power of two). */
  periodWeeks: number;
  /** Week index (see `weekIndex`) it became active; counts as its "last shown" until it is shown. */
  activeSinceWeek: number;
  /** ISO instant it became active: orders sponsors of one period (the longest active first). */
  activeSince: string;
  /** Week index of its latest rotation impression, if any. */
  lastWeek?: number;
  /** ISO instant of its latest rotation impression, if any. */
  lastAt?: string;
  /** Rotation impressions since it became active (for sharing bonus slots). */
  shownSinceActive: number;
}

/** The pick and why, for tests, previews and `/sponsor list`. */
export interface RotationPick {
  id: string;
  /** `owed`: its window's showing; `bonus`: a slot nobody was owed. */
  why: "owed" | "bonus";
  effectiveWeeks: number;
}

/** The stretch factor f = 2^⌈log₂ L⌉ (at least 1) for periods `periods`. */
export function stretch(periods: readonly number[]): number {
  const demand = periods.reduce((sum, p) => sum + 1 / p, 0);
  let f = 1;
  // Compare exactly: demand ≤ f with powers of two adds no rounding worth fearing, but be strict.
  while (demand > f + 1e-9) f *= 2;
  return f;
}

/** The sponsor to show in the rotation slot of week `week`, or undefined when there are none. */
export function pickSponsor(candidates: readonly RotationCandidate[], week: number): RotationPick | undefined {
  if (candidates.length === 0) return undefined;
  const f = stretch(candidates.map((c) => c.periodWeeks));
  const scored = candidates.map((c) => {
    const effective = c.periodWeeks * f;
    const windowStart = Math.floor(week / effective) * effective;
    return { c, effective, owed: c.lastWeek === undefined || c.lastWeek < windowStart, pass: c.activeSinceWeek + c.shownSinceActive * effective };
  });
  const owed = scored.filter((s) => s.owed);
  if (owed.length > 0) {
    owed.sort((a, b) => a.effective - b.effective || compare(a.c.activeSince, b.c.activeSince) || compare(a.c.name, b.c.name) || compare(a.c.id, b.c.id));
    const s = owed[0]!;
    return { id: s.c.id, why: "owed", effectiveWeeks: s.effective };
  }
  scored.sort((a, b) => a.pass - b.pass || compare(a.c.lastAt ?? "", b.c.lastAt ?? "") || compare(a.c.name, b.c.name) || compare(a.c.id, b.c.id));
  const s = scored[0]!;
  return { id: s.c.id, why: "bonus", effectiveWeeks: s.effective };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
