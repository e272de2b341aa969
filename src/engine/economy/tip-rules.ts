import { DateTime } from "luxon";
import { currentPeriod } from "../calendar.js";

/** What the rules need to know about a tip and the giver's week, loaded in the tip's transaction. */
export interface TipCheck {
  amount: number;
  /** `economy.authorShare`, percent. */
  authorShare: number;
  /** The giver's spendable balance (their person's). */
  balance: number;
  /** Points the giver's person has tipped this ISO week, and the allowance. */
  givenThisWeek: number;
  weeklyAllowance: number;
  /** Points the giver's person has tipped the receiver's person this ISO week, and the cap. */
  givenToReceiverThisWeek: number;
  pairWeeklyCap: number;
}

/** Why a tip was refused; every refusal writes nothing. */
export type TipRefusal =
  | { reason: "too-small"; minimum: number; share: number }
  | { reason: "balance"; balance: number }
  | { reason: "allowance"; left: number; allowance: number }
  | { reason: "pair-cap"; left: number; cap: number };

/**
 * Whether the giver may tip `amount` now: the balance first (the hardest limit to explain away),
 * then the weekly allowance, then the per-pair cap, then the smallest tip that reaches the receiver. Pure: the service loads, this decides.
 */
export function refusalOf(c: TipCheck): TipRefusal | undefined {
  if (c.amount > c.balance) return { reason: "balance", balance: Math.max(0, c.balance) };
  const left = Math.max(0, c.weeklyAllowance - c.givenThisWeek);
  if (c.amount > left) return { reason: "allowance", left, allowance: c.weeklyAllowance };
  const pairLeft = Math.max(0, c.pairWeeklyCap - c.givenToReceiverThisWeek);
  if (c.amount > pairLeft) return { reason: "pair-cap", left: pairLeft, cap: c.pairWeeklyCap };
  // Last, so a spent allowance or cap is what is said: a tip whose author share rounds down to
  // nothing would only feed the pool, which is not what a tipper means.
  const minimum = smallestTip(c.authorShare);
  if (c.amount < minimum) return { reason: "too-small", minimum, share: c.authorShare };
  return undefined;
}

/** The giving week of `at`: its ISO week in the community's timezone (`week:2026-W49`), as totals name weeks. */
export function givingWeek(at: Date, timezone: string): string {
  return currentPeriod("week", at, timezone);
}

/** When the giving week of `at` ends and the allowance resets: the next Monday 00:00 in the community's timezone. */
export function weekResetsAt(at: Date, timezone: string): Date {
  return DateTime.fromJSDate(at, { zone: timezone }).startOf("week").plus({ weeks: 1 }).toJSDate();
}

/**
 * The smallest tip that gives the receiver at least 1 point: ceil(100 / share) — 2 at 90 %, 1 at
 * 100 %. With a share of 0 every tip goes to the pool, as the organizers chose, so 1.
 */
export function smallestTip(authorShare: number): number {
  return authorShare <= 0 ? 1 : Math.ceil(100 / Math.min(100, authorShare));
}
