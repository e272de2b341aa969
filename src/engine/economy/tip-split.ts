/** How one tip divides: what the receiver gets (the author share) and what the community pool keeps. */
export interface TipSplit {
  author: number;
  pool: number;
}

/**
 * Splits `amount` (a positive integer) by `authorSharePercent` (0–100): the receiver gets
 * floor(amount × share / 100) and the pool the remainder, so the two always add up to the amount
 * exactly and rounding never creates or loses a point. A 1-point tip at 90 % is 0 to the author
 * and 1 to the pool; 10 at 90 % is 9 and 1; 15 at 90 % is 13 and 2.
 */
export function splitTip(amount: number, authorSharePercent: number): TipSplit {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`tip amount ${amount} is not a non-negative integer`);
  const share = Math.min(100, Math.max(0, Math.trunc(authorSharePercent)));
  // Integer arithmetic: amount × share stays far below 2^53 for any allowed amount.
  const author = Math.floor((amount * share) / 100);
  return { author, pool: amount - author };
}
