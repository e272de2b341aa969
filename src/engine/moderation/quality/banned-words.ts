import { DataSet, englishRecommendedTransformers, parseRawPattern, RegExpMatcher } from "obscenity";

/**
 * A community's banned words and phrases (`moderation.bannedWords`), matched by obscenity, which
 * sees through l33t spellings ("fr33 n1tr0"), repeated letters and confusable characters. Building a
 * matcher compiles the list, so one is kept per distinct list and reused for every message.
 */
export interface BannedWords {
  /** The banned phrase found in `text`, if any. */
  find(text: string): string | undefined;
}

const NONE: BannedWords = { find: () => undefined };
const cache = new Map<string, BannedWords>();

/** Patterns are literal text: obscenity's pattern syntax (`|`, `[`, `?`) in a phrase is escaped away. */
function literal(phrase: string): string {
  return phrase.replace(/[[\]|?\\]/g, " ").replace(/\s+/g, " ").trim();
}

export function bannedWords(list: readonly string[]): BannedWords {
  if (list.length === 0) return NONE;
  const key = list.join("\u0000");
  const known = cache.get(key);
  if (known) return known;
  const data = new DataSet<{ word: string }>();
  for (const word of list) {
    const pattern = literal(word);
    if (pattern) data.addPhrase((p) => p.setMetadata({ word }).addPattern(parseRawPattern(pattern)));
  }
  const built = data.build();
  const matcher = new RegExpMatcher({ ...built, ...englishRecommendedTransformers });
  const matcherOf: BannedWords = {
    find(text) {
      const match = matcher.getAllMatches(text)[0];
      return match ? (data.getPayloadWithPhraseMetadata(match).phraseMetadata?.word ?? "a banned word") : undefined;
    },
  };
  // Bounded: a community that edits its list often leaves old matchers behind.
  if (cache.size >= 64) cache.delete(cache.keys().next().value as string);
  cache.set(key, matcherOf);
  return matcherOf;
}
