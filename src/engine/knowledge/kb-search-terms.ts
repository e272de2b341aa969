/**
 * What a member typed into `/ask` (or a question in a help channel), as search terms. Pure: the
 * repository turns terms into its own dialect's query, always quoted, so nothing a member types is
 * read as query syntax (`"`, `*`, `NEAR`, `-`, `:`, `AND`/`OR` are just characters or words here).
 */
export interface SearchTerm {
  /** The typed chunk, surrounding punctuation trimmed: `std::vector`, `useEffect`, `日本語`. */
  raw: string;
  /** Its words as the SQLite word index sees them: lower-case, accents removed (`std vector`). */
  words: string[];
  /** True when it holds CJK characters, which only the trigram index (SQLite) finds inside text. */
  cjk: boolean;
}

/** Hiragana, katakana, CJK ideographs, hangul, CJK compatibility ideographs. */
export const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;
const CJK_RUN = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]+/gu;

/** At most this many terms reach the database: a pasted paragraph must not become a huge OR. */
export const MAX_TERMS = 12;

/**
 * Words that carry no meaning for search, in the languages the community writes most; the database
 * still indexes them (a phrase like "not found" keeps them), a query just doesn't look for them alone.
 */
const STOPWORDS = new Set(
  (
    "a an and are as at be but by can could do does did for from had has have how i if in into is it its me my no not of on or our so " +
    "that the their them then there these they this to too was we were what when where which who why will with would you your " +
    "anyone someone help please thanks hi hello get got any some just also " +
    "der die das den dem des ein eine einen einem und oder aber ist sind war wie was wer warum wo ich du er sie es wir ihr mit von zu im in " +
    "auf für nicht kein keine bei hat habe kann noch schon " +
    "le la les un une des du de et ou mais est sont comment pourquoi que qui quoi je tu il elle nous vous ils avec pour dans sur pas ne ce " +
    "и в во не на я он она оно мы вы они что как почему где с со а но ли у к по из за это то же бы"
  ).split(" "),
);

/** Lower-case, accents removed, split on anything not a letter or digit: what unicode61 with remove_diacritics does. */
export function wordsOf(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "");
}

/**
 * The distinct terms of a query, in order, at most {@link MAX_TERMS}. A chunk of only punctuation
 * is no term; a lone stop word is none either, so "how do I" has none (it would match, and rank,
 * most of the index, and say nothing about which question is meant). A run of CJK
 * characters has no spaces between its words, so it becomes its overlapping 3-character pieces
 * (what the trigram index matches); shorter runs stay whole.
 */
export function searchTerms(query: string, max = MAX_TERMS): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const seen = new Set<string>();
  const add = (raw: string) => {
    const words = wordsOf(raw);
    if (words.length === 0) return;
    const id = words.join(" ");
    if (seen.has(id)) return;
    seen.add(id);
    terms.push({ raw, words, cjk: CJK.test(raw) });
  };
  for (const chunk of query.normalize("NFC").split(/\s+/u)) {
    const raw = chunk.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    if (raw === "") continue;
    if (CJK.test(raw)) {
      // The non-CJK parts of a mixed chunk (`useEffectが動かない`) are words of their own.
      for (const part of raw.split(CJK_RUN)) add(part);
      for (const run of raw.match(CJK_RUN) ?? []) {
        if (run.length <= 3) add(run);
        else for (let i = 0; i + 3 <= run.length; i++) add(run.slice(i, i + 3));
      }
      continue;
    }
    const words = wordsOf(raw);
    if (words.length !== 1 || !STOPWORDS.has(words[0]!)) add(raw);
  }
  return terms.slice(0, max);
}

/** An FTS5 string literal: double quotes doubled, so the content is one phrase and never syntax. */
export function fts5Quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
