import { wordsOf, type SearchTerm } from "./kb-search-terms.js";

/**
 * A short piece of an answer for a search result: around the first place a search term occurs,
 * whitespace collapsed, cut at word boundaries, with "…" where it was cut. Plain text: callers pass
 * it through `memberText()`, since the answer is what a member wrote.
 */
export function snippetOf(text: string, terms: readonly SearchTerm[], max = 160): string {
  const flat = text.replace(/\s+/gu, " ").trim();
  if (flat.length <= max) return flat;
  const lower = flat.toLowerCase();
  let at = -1;
  for (const t of terms) {
    const needle = t.cjk ? t.raw.toLowerCase() : (t.words[0] ?? "");
    const i = needle ? lower.indexOf(needle) : -1;
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  let start = at < 0 ? 0 : Math.max(0, at - Math.floor(max / 3));
  if (start > 0) {
    const space = flat.indexOf(" ", start);
    start = space >= 0 && space < at ? space + 1 : start;
  }
  let end = Math.min(flat.length, start + max);
  if (end < flat.length) {
    const space = flat.lastIndexOf(" ", end);
    if (space > start + max / 2) end = space;
  }
  return `${start > 0 ? "…" : ""}${flat.slice(start, end)}${end < flat.length ? "…" : ""}`;
}

/**
 * How closely a solved question covers a new one: the share of the new question's terms found in
 * the solved question's title or text (words compared lower-case and without accents; a CJK piece
 * as a substring). 1 means every term is there. See docs/knowledge-search.md for the threshold.
 */
export function coverageOf(terms: readonly SearchTerm[], solved: { title: string; questionText: string }): { matched: number; share: number } {
  if (terms.length === 0) return { matched: 0, share: 0 };
  const text = `${solved.title} ${solved.questionText}`;
  const words = ` ${wordsOf(text).join(" ")} `;
  const folded = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  let matched = 0;
  for (const t of terms) {
    if (t.cjk ? folded.includes(t.raw.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()) : words.includes(` ${t.words.join(" ")} `)) matched++;
  }
  return { matched, share: matched / terms.length };
}
