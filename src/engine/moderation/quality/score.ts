import type { BannedWords } from "./banned-words.js";
import { linksIn, without } from "./links.js";
import { isMash } from "./mash.js";
import { hasMassPing, hasPromoWords, hasScamWords, phraseOnly } from "./phrases.js";
import { shapeOf } from "./text-shape.js";
import { BASE, type FeatureName, LIMITS, WEIGHTS } from "./weights.js";

/** Rules that flag a message whatever its z-score says. */
export type HardRule = "banned-word" | "duplicate-spam" | "mention-storm" | "invite-spam" | "scam-link";

/** What the scorer is told besides the text: facts only the store knows. */
export interface ScoreInput {
  text: string;
  /** Distinct members the platform says are mentioned. */
  mentions: number;
  /** Earlier messages by the same member with the same text within the window (any channel). */
  repeats: number;
  /** Distinct other channels those repeats were in. */
  otherChannels: number;
  banned: BannedWords;
}

/** A message's quality: q in 0–1 (higher is better), the features that moved it, and hard rules hit. */
export interface QualityScore {
  q: number;
  features: FeatureName[];
  hard: HardRule[];
  /** The banned phrase found, for the card. */
  bannedWord?: string;
  hasLink: boolean;
  hasCode: boolean;
}

const FENCED = /```[\s\S]*?(```|$)/g;
const INLINE = /`[^`\n]+`/g;
// No `<` inside: each `<` scans to the next one at most, so a text of many `<@` stays linear.
const MARKUP = /<(@[!&]?|#|!)[^<>\s]*>/g;
/**
 * A bracket and an operator or separator: `f(x) = 1;`, `/^(?:a|b)$/`, `{ "a": 1 }`. Two separate
 * tests, not one `bracket.*operator|operator.*bracket` pattern: that one is quadratic (each operator
 * scans to the end of the text and back), seconds for a 40 000-character message of dots.
 */
const BRACKET = /[()[\]{}]/;
const OPERATOR = /[=;:,.|\\/]/;
const looksLikeCode = (prose: string) => BRACKET.test(prose) && OPERATOR.test(prose);

function codeSpans(text: string): { spans: number[]; fenced: boolean; inline: boolean } {
  const spans: number[] = [];
  let fenced = false;
  let inline = false;
  if (!text.includes("`")) return { spans, fenced, inline };
  for (const m of text.matchAll(FENCED)) {
    spans.push(m.index, m.index + m[0].length);
    fenced = true;
  }
  const rest = fenced ? without(text, spans) : text;
  if (INLINE.test(rest)) inline = true;
  INLINE.lastIndex = 0;
  return { spans, fenced, inline };
}

/**
 * A hash of the text as a repeat would match it — case and spacing do not make it new — in one pass
 * without building the normalised string: FNV-1a, two 32-bit lanes (64 bits), base 36. Not a
 * secret and not for security: only "did this member post this text a moment ago".
 */
export function textHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  let pendingSpace = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) {
      pendingSpace = started;
      continue;
    }
    if (pendingSpace) {
      a = Math.imul(a ^ 32, 0x01000193);
      b = Math.imul(b ^ 32, 0x5bd1e995);
      pendingSpace = false;
    }
    started = true;
    if (c >= 65 && c <= 90) c += 32;
    else if (c >= 128) c = text[i]!.toLowerCase().charCodeAt(0);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36).padStart(7, "0");
}

/** Whether the text is long enough to be compared for repeats ("ok" twice is not spam). */
export function worthComparing(text: string): boolean {
  return text.length >= LIMITS.repeatMinLength;
}

export function scoreMessage(input: ScoreInput): QualityScore {
  const text = input.text.length > LIMITS.scoredChars ? input.text.slice(0, LIMITS.scoredChars) : input.text;
  const features: FeatureName[] = [];
  const hard: HardRule[] = [];
  const code = codeSpans(text);
  const withoutCode = code.fenced ? without(text, code.spans) : text;
  const links = linksIn(withoutCode);
  const prose = without(withoutCode, links.spans).replace(MARKUP, " ").replace(INLINE, " ");
  const shape = shapeOf(prose);
  const hasLink = links.count > 0;
  const hasCode = code.fenced || code.inline;

  // Length: shortness alone costs little; substance earns a little.
  if (shape.letters >= LIMITS.longLetters) features.push("long");
  else if (shape.letters >= LIMITS.substantialLetters) features.push("substantial");
  else if (shape.letters < LIMITS.veryShortLetters && !hasLink && !hasCode) features.push("veryShort");

  // Code pasted without backticks is mostly symbols too, but brackets and operators give it away.
  const codeLike = looksLikeCode(prose);
  const symbols = shape.visible - shape.letters - shape.digits;
  if (shape.visible >= LIMITS.fewLettersMinVisible && shape.letters / shape.visible < LIMITS.fewLettersShare && symbols / shape.visible >= LIMITS.fewLettersSymbolShare && !hasCode && !codeLike) {
    features.push("fewLetters");
  }
  if (shape.longWordUpper >= LIMITS.shoutingMinLongUpper && shape.upper / shape.cased > LIMITS.shoutingShare) features.push("shouting");
  // A bare link to documentation is an answer; a bare link to anywhere else says nothing.
  if (hasLink && shape.letters < LIMITS.veryShortLetters && !hasCode && !links.doc) features.push("linkOnly");
  if (links.invite) features.push("invite");

  const massPing = hasMassPing(text);
  if (input.mentions >= LIMITS.manyMentions && input.mentions < LIMITS.mentionStorm) features.push("manyMentions");
  if (massPing) features.push("massPing");
  if (input.mentions >= LIMITS.mentionStorm || (massPing && (hasLink || input.mentions >= LIMITS.manyMentions))) hard.push("mention-storm");

  if (input.repeats >= 3) features.push("repeatedOften");
  else if (input.repeats >= 1) features.push("repeated");
  const channels = input.otherChannels + 1;
  if (channels >= LIMITS.duplicateChannels || (hasLink && channels >= LIMITS.duplicateChannelsWithLink)) hard.push("duplicate-spam");

  const phrase = hasLink || hasCode ? undefined : phraseOnly(prose);
  if (phrase === "filler") features.push("filler");
  else if (phrase === "thanks") features.push("thanksOnly");
  else if (!hasCode && !codeLike && shape.visible > 0 && isMash(prose, shape)) features.push("mash");

  const scam = hasScamWords(prose);
  const promo = !scam && hasPromoWords(prose);
  if (scam) features.push("scamWords");
  if (promo) features.push("promoWords");
  if (hasLink && (scam || links.lookalike || (links.shortener && promo))) hard.push("scam-link");
  if (links.invite && (shape.letters < LIMITS.inviteSpamLetters || promo || scam)) hard.push("invite-spam");

  if (code.fenced) features.push("codeBlock");
  else if (code.inline) features.push("inlineCode");
  if (links.doc) features.push("docLink");

  const bannedWord = input.banned.find(input.text);
  if (bannedWord !== undefined) hard.unshift("banned-word");

  let q = BASE;
  for (const f of features) q += WEIGHTS[f];
  q = Math.min(1, Math.max(0, Math.round(q * 1000) / 1000));
  return { q, features, hard, ...(bannedWord !== undefined ? { bannedWord } : {}), hasLink, hasCode };
}
