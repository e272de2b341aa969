import type { MessageCreated } from "../../core/events.js";
import type { Place } from "../../core/identity.js";
import { platformMessageId } from "../moderation/message-links.js";
import type { KbHit } from "./kb-search.repo.js";
import { coverageOf } from "./kb-search-snippet.js";
import type { SearchTerm } from "./kb-search-terms.js";

/**
 * When a new message in a help channel gets "this may help": the best solved match must contain at
 * least {@link MIN_MATCHED_TERMS} of the question's search terms and at least
 * {@link MIN_COVERAGE} of them (stop words are not terms). Worked out on the word level, the same on
 * SQLite and Postgres, so the threshold does not depend on either database's score scale.
 */
export const MIN_COVERAGE = 0.6;
export const MIN_MATCHED_TERMS = 3;

/** Openings of a question, in the languages of the stop-word list (lower-case, accents kept). */
const QUESTION_START =
  /^(how|why|what|which|where|when|who|is|are|does|do|did|can|could|should|would|will|has|have|any(one|body)|wie|warum|was|wieso|weshalb|wo|welche[rsnm]?|kann|gibt|hat|ist|comment|pourquoi|quel(le)?s?|où|est-ce|qui|как|почему|что|зачем|где|какой|можно|кто)(?![\p{L}\p{N}])/u;

/**
 * Whether a message reads as a question: a question mark (also `？`), an interrogative opening, or
 * the Japanese question endings; and at least three words (or ten characters of CJK text), so
 * "why?" alone is not one.
 */
export function looksLikeQuestion(text: string): boolean {
  const t = text.trim();
  const words = t.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  const cjk = (t.match(/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/gu) ?? []).length;
  if (words < 3 && cjk < 10) return false;
  return /[?？]/u.test(t) || QUESTION_START.test(t.toLowerCase()) || /(ですか|ますか|でしょうか|のか)[。.!！]?$/u.test(t);
}

/** The match, if it is close enough to suggest (see {@link MIN_COVERAGE}). */
export function closeMatch(terms: readonly SearchTerm[], hits: readonly KbHit[], ownKey: string): KbHit | undefined {
  const top = hits.find((h) => h.questionKey !== ownKey);
  if (!top) return undefined;
  const { matched, share } = coverageOf(terms, top);
  return matched >= MIN_MATCHED_TERMS && share >= MIN_COVERAGE ? top : undefined;
}

/**
 * Where the quiet reply goes: the question's own thread. On Slack and in the console any message
 * has one (its ts, its key); on Discord a forum post is a thread, but a message in a text channel
 * has none until someone starts it, so the reply goes to the channel.
 */
export function threadOf(event: MessageCreated): Place {
  const p = event.place;
  const base: Place = { platform: p.platform, workspaceId: p.workspaceId, channelId: p.channelId };
  if (p.threadId) return { ...base, threadId: p.threadId };
  if (p.platform === "slack") {
    const ts = platformMessageId(event.messageKey);
    return ts ? { ...base, threadId: ts } : base;
  }
  if (p.platform === "console") return { ...base, threadId: event.messageKey };
  return base;
}
