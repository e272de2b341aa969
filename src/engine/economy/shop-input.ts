import { z } from "zod";
import { nameKey } from "../sponsors/sponsor-input.js";

/**
 * What organizers and members type about rewards, checked before anything is written. A reward's
 * name is folded the way sponsors' names are (NFKC, lower case, single spaces), so `VIP  Pass` and
 * `vip pass` are one reward; it is shown back through `memberText`, never as markup.
 */

export const REWARD_NAME_MAX = 60;
export const COST_MAX = 1_000_000;
export const STOCK_MAX = 100_000;
export const REASON_MAX = 200;

/** A refusal of what was asked: the message names what was wrong and what is accepted. */
export class ShopRefusal extends Error {}

// Cc: control characters (line breaks included); the bidi embeddings, overrides and isolates.
const UNSAFE = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** A reward's name: 1–60 characters on one line. */
export const rewardNameSchema = z.string().trim().min(1).max(REWARD_NAME_MAX).refine((s) => !UNSAFE.test(s));
/** Why an organizer cancelled an order: 1–200 characters on one line. */
export const reasonSchema = z.string().trim().min(1).max(REASON_MAX).refine((s) => !UNSAFE.test(s));

/** The folded name a reward is looked up by. */
export function rewardKey(name: string): string {
  return nameKey(name);
}

/** "1 point", "50 points". */
export function points(n: number): string {
  return `${n} point${n === 1 ? "" : "s"}`;
}
