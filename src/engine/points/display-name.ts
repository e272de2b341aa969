/** Longest display name stored (in code points): Discord allows 32, Slack 80. */
export const MAX_DISPLAY_NAME = 80;

// C0 and C1 controls (incl. DEL, tab, newline), the bidi embeddings/overrides U+202A–U+202E and
// isolates U+2066–U+2069, and the bidi marks U+200E, U+200F, U+061C: none belongs in a name shown on
// a leaderboard, and the overrides make text read backwards ("…rekcaH" shown as "Hacker…"). Lone
// surrogates too (with the `u` flag the range matches only unpaired ones).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]+/gu;

const NEEDS_WORK = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]|\s\s|^\s|\s$/u;

/** Only this much of a name is looked at: a name a platform let through at a megabyte is not kept whole. */
const READ_AT_MOST = 1024;

/**
 * A display name as stored: unsafe characters dropped, whitespace collapsed, at most
 * {@link MAX_DISPLAY_NAME} code points (never half a surrogate pair). Falls back to `fallback`
 * when nothing printable is left.
 */
export function cleanDisplayName(name: string, fallback: string): string {
  // Most names need nothing: short, nothing unsafe, no stray spaces.
  if (name.length <= MAX_DISPLAY_NAME && name !== "" && !NEEDS_WORK.test(name)) return name;
  const cleaned = name.slice(0, READ_AT_MOST).replace(UNSAFE, " ").replace(/\s+/gu, " ").trim();
  if (cleaned === "") return fallback;
  const points = Array.from(cleaned);
  return points.length <= MAX_DISPLAY_NAME ? cleaned : points.slice(0, MAX_DISPLAY_NAME).join("").trimEnd();
}

/** The part of a namespaced member id after the workspace, used when no name is known. */
export function nameFromId(memberId: string): string {
  return memberId.split(":").pop() || memberId;
}
