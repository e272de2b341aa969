import { createHash, randomInt } from "node:crypto";
import type { Platform } from "../../core/identity.js";

/**
 * The `/link` code: eight characters a person reads on one screen and types on another, so no
 * look-alikes (0/O, 1/I). 32⁸ ≈ 10¹² codes, ten minutes, single use and three per member an hour
 * leave nothing worth guessing. Only its hash is stored.
 */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** How long a code can be spent. */
export const CODE_LIFETIME_MS = 10 * 60_000;
/** How many codes one member may ask for within {@link RATE_WINDOW_MS}. */
export const CODES_PER_WINDOW = 3;
export const RATE_WINDOW_MS = 60 * 60_000;

/** A fresh code, `ABCD-EF23`. */
export function newCode(): string {
  const raw = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `${raw.slice(0, 4)}-${raw.slice(4)}`;
}

/** What a member typed, as the code it means (case, spaces and dashes don't matter); undefined if it can't be one. */
export function normalizeCode(typed: string): string | undefined {
  const raw = typed.toUpperCase().replace(/[\s-]/g, "");
  if (raw.length !== 8 || [...raw].some((c) => !ALPHABET.includes(c))) return undefined;
  return `${raw.slice(0, 4)}-${raw.slice(4)}`;
}

export function hashCode(code: string): string {
  return createHash("sha256").update(code).digest("hex");
}

/** The platform of a namespaced member id (`slack:T1:U1` → `slack`). */
export function platformOf(memberId: string): string {
  return memberId.slice(0, memberId.indexOf(":"));
}

const NAMES: Record<Platform, string> = { discord: "Discord", slack: "Slack", console: "the console" };

/** A platform's name in a sentence. */
export function platformName(platform: string): string {
  return NAMES[platform as Platform] ?? platform;
}
