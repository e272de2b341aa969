/**
 * What one pass over a message's characters tells: how many letters (and of them capitals), how
 * much is visible at all, the longest run of one character, and the entropy of the characters.
 * Runs on every message, so it allocates nothing per character: counts go into one reused table.
 */
export interface TextShape {
  /** Letters of any script; a CJK, kana or hangul character counts as 3 (one carries a word's worth). */
  letters: number;
  upper: number;
  /** Letters that have a case (Latin, Cyrillic, Greek, …). */
  cased: number;
  /** Capitals in words of at least 5 letters (shouting is in long words; acronyms are short). */
  longWordUpper: number;
  digits: number;
  /** Characters that are not white space and not emoji. */
  visible: number;
  longestRun: number;
  /** Shannon entropy in bits per character, over the visible characters (lower-cased). */
  entropy: number;
}

const BUCKETS = 512;
const counts = new Int32Array(BUCKETS);
const touched = new Int32Array(BUCKETS);

const LETTER = /\p{L}/u;
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const EMOJI = /\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}\u{FE0F}\u{200D}]/u;

export function shapeOf(text: string): TextShape {
  let letters = 0;
  let upper = 0;
  let cased = 0;
  let visible = 0;
  let digits = 0;
  let longWordUpper = 0;
  let wordLetters = 0;
  let wordUpper = 0;
  let run = 0;
  let longestRun = 0;
  let previous = -1;
  let distinct = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code === 32 || code === 10 || code === 9 || code === 13) {
      previous = -1;
      run = 0;
      if (wordLetters >= 5) longWordUpper += wordUpper;
      wordLetters = wordUpper = 0;
      continue;
    }
    const ascii = code < 128;
    const isLetter = ascii ? (code >= 65 && code <= 90) || (code >= 97 && code <= 122) : LETTER.test(ch);
    if (!isLetter && !ascii && EMOJI.test(ch)) continue;
    visible++;
    if (!isLetter) {
      if (wordLetters >= 5) longWordUpper += wordUpper;
      wordLetters = wordUpper = 0;
      if (code >= 48 && code <= 57) digits++;
    } else wordLetters++;
    let lowerCode = code;
    if (isLetter) {
      if (ascii) {
        cased++;
        if (code <= 90) {
          upper++;
          wordUpper++;
          lowerCode = code + 32;
        }
        letters++;
      } else {
        const lower = ch.toLowerCase();
        const upperCh = ch.toUpperCase();
        if (lower !== upperCh) {
          cased++;
          if (ch !== lower) {
            upper++;
            wordUpper++;
          }
          lowerCode = lower.codePointAt(0)!;
        }
        letters += WIDE.test(ch) ? 3 : 1;
      }
    }
    run = lowerCode === previous ? run + 1 : 1;
    if (run > longestRun) longestRun = run;
    previous = lowerCode;
    const bucket = lowerCode % BUCKETS;
    if (counts[bucket] === 0) touched[distinct++] = bucket;
    counts[bucket] = counts[bucket]! + 1;
  }
  if (wordLetters >= 5) longWordUpper += wordUpper;
  let entropy = 0;
  for (let i = 0; i < distinct; i++) {
    const bucket = touched[i]!;
    const p = counts[bucket]! / visible;
    entropy -= p * Math.log2(p);
    counts[bucket] = 0;
  }
  return { letters, upper, cased, longWordUpper, digits, visible, longestRun, entropy };
}
