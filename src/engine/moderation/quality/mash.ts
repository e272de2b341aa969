import { loadOnFirstUse } from "../../load-on-first-use.js";
import { LIMITS } from "./weights.js";
import type { TextShape } from "./text-shape.js";

/**
 * Keyboard mash ("asdfgh", "jkdfhgkjdfhg") and low-entropy text ("aaaaaaaa", "!!!!!!!!", "lolololol").
 *
 * Mash is recognised in Latin-script words only, by what any real word in any language using that
 * script has: vowels, and not five keys in a row of one keyboard line. Some languages do write long
 * runs of consonants (Czech "čtvrt", Welsh "cwm"), so before a message is marked down for it the
 * language detector (tinyld) is asked: a language it recognises with confidence, other than English,
 * wins and the message is left alone. The detector costs ~0.1–1 ms, so it runs only then.
 */

/**
 * tinyld, loaded on the first message that looks like mash rather than at start: its n-gram tables
 * cost a process ~8 MiB of heap and ~18 MiB of memory in all, and most messages never ask it.
 * Synchronous, like the scorer that calls it (the first load takes some tens of ms, once).
 */
const languageDetector = loadOnFirstUse<typeof import("tinyld")>("tinyld");

// Each key's line and position on QWERTY, QWERTZ and AZERTY: five neighbours in a row on one line is mash.
const LINES = ["qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "yxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn"];
const POSITION = new Map<number, number[]>();
LINES.forEach((line, l) => [...line].forEach((ch, i) => POSITION.set(ch.charCodeAt(0), [...(POSITION.get(ch.charCodeAt(0)) ?? []), l * 16 + i])));
const VOWEL = new Set([..."aeiouyäöüàáâãåèéêëìíîïòóôõùúûýæøœ"].map((c) => c.charCodeAt(0)));
const LATIN_WORD = /[a-zà-ÿ]{5,}/g;

function adjacent(a: number, b: number): boolean {
  const pa = POSITION.get(a);
  const pb = POSITION.get(b);
  if (!pa || !pb) return false;
  for (const x of pa) for (const y of pb) if (x >> 4 === y >> 4 && Math.abs((x & 15) - (y & 15)) === 1) return true;
  return false;
}

/** No vowel at all, six consonants in a row, or five neighbouring keys of one line: no word of a Latin-script language. */
function isMashWord(word: string): boolean {
  let vowels = 0;
  let consonantRun = 0;
  let keyRun = 1;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (VOWEL.has(c)) {
      vowels++;
      consonantRun = 0;
    } else if (++consonantRun >= 6) return true;
    keyRun = i > 0 && adjacent(word.charCodeAt(i - 1), c) ? keyRun + 1 : 1;
    if (keyRun >= 5) return true;
  }
  // A long word with hardly any vowels ("asdkjhaskjdh"); short ones may be real ("strengths").
  return vowels === 0 || (word.length >= 10 && vowels / word.length < 0.2);
}

/** Languages whose real words can look like mash to the vowel test. */
const CONSONANT_HEAVY = new Set(["cs", "sk", "pl", "hr", "sr", "sl", "cy", "ka", "hy", "ga", "nl", "de", "is", "hu", "et", "fi"]);

function confidentlyConsonantHeavy(text: string): boolean {
  const best = languageDetector().detectAll(text)[0];
  return best !== undefined && best.accuracy >= 0.5 && CONSONANT_HEAVY.has(best.lang) && text.split(/\s+/).length >= 4;
}

/** One word typed three times or more and nothing else ("asdf asdf asdf"). */
function sameWordRepeated(text: string): boolean {
  const words = text.toLowerCase().trim().split(/\s+/);
  return words.length >= 3 && words.every((w) => w === words[0]);
}

export function isMash(text: string, shape: TextShape): boolean {
  if (sameWordRepeated(text)) return true;
  if (shape.longestRun >= LIMITS.runLength && shape.longestRun * 2 >= shape.visible) return true;
  if (shape.visible >= LIMITS.entropyMinLength && shape.entropy < LIMITS.entropyBits) return true;
  if (shape.letters < 5) return false;
  const words = text.toLowerCase().match(LATIN_WORD);
  if (!words) return false;
  let mash = 0;
  for (const w of words) if (isMashWord(w)) mash++;
  // Half the words or more ("run sqlfmt" is half: one unusual tool name beside a real word is not).
  const allWords = text.trim().split(/\s+/).length;
  const mashy = mash > 0 && mash / words.length >= 0.5 && (allWords <= 2 ? mash === allWords : mash / allWords >= 0.5);
  return mashy && !confidentlyConsonantHeavy(text);
}
