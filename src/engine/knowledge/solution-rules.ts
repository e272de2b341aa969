import { normalizeEmoji } from "../../core/emoji.js";
import type { Settings } from "../communities/settings.js";

/**
 * Who may mark which reply as a question's solution, decided from what was loaded: pure, so every
 * way of marking (✅, the message action, `/solved`) gets the same answer and the tests can run it
 * over any sequence.
 */

/** The reaction emoji that mark a solution, normalised (Slack `white_check_mark`, `heavy_check_mark`). */
let marks: ReadonlySet<string> | undefined;
export function isSolutionEmoji(emoji: string): boolean {
  marks ??= new Set([normalizeEmoji("white_check_mark"), normalizeEmoji("heavy_check_mark"), normalizeEmoji("✅"), normalizeEmoji("✔️")]);
  return marks.has(emoji);
}

/** Why a mark or an unmark was not made. */
export type Refusal =
  | "not-allowed" // neither the asker nor a moderator
  | "unknown-asker" // the bot never saw the question: only a moderator can mark it
  | "is-question" // the question's own first message
  | "not-a-reply" // not a reply in a thread or forum post
  | "other-thread" // a reply in another thread than the one named
  | "unknown-answer" // a message the bot never saw (no author known)
  | "deleted" // a message that was deleted
  | "bot" // bots' messages are no answers
  | "own-question" // the asker's own reply
  | "own-answer" // the marker's own reply
  | "stale" // an older change that arrived after a newer one
  | "already" // this reply is the solution already
  | "not-solved" // nothing to unmark
  | "other-answer"; // the unmark names a reply that is not the accepted one

/** What a mark is about, by person (linked accounts count as one person). */
export interface MarkFacts {
  questionKey: string;
  answerKey: string;
  answerIsBot: boolean;
  actorPerson: string;
  /** Undefined when the bot never saw the question's first message. */
  askerPerson: string | undefined;
  answerPerson: string;
  isModerator: boolean;
  at: string;
  current: { state: "accepted" | "unaccepted"; answer_key: string; changed_at: string } | undefined;
}

/** `ok` with whether an accepted answer is replaced (`change`) or the question gets its first (`new`). */
export type MarkDecision = { ok: true; change: boolean } | { ok: false; reason: Refusal };

export function decideMark(f: MarkFacts): MarkDecision {
  if (f.answerKey === f.questionKey) return { ok: false, reason: "is-question" };
  if (f.answerIsBot) return { ok: false, reason: "bot" };
  const isAsker = f.askerPerson !== undefined && f.actorPerson === f.askerPerson;
  if (!isAsker && !f.isModerator) return { ok: false, reason: f.askerPerson === undefined ? "unknown-asker" : "not-allowed" };
  if (f.answerPerson === f.askerPerson) return { ok: false, reason: "own-question" };
  if (f.answerPerson === f.actorPerson) return { ok: false, reason: "own-answer" };
  // Event time decides between changes: a replay of an older mark, after an unmark, changes nothing.
  if (f.current && f.at < f.current.changed_at) return { ok: false, reason: "stale" };
  if (f.current?.state === "accepted" && f.current.answer_key === f.answerKey) return { ok: false, reason: "already" };
  return { ok: true, change: f.current?.state === "accepted" };
}

/** What an unmark is about. `answerKey` undefined: whatever reply is accepted (`/solved undo`). */
export interface UnmarkFacts {
  answerKey: string | undefined;
  actorPerson: string;
  askerPerson: string | undefined;
  isModerator: boolean;
  /** A deletion of the accepted answer unmarks it whoever deleted it. */
  system: boolean;
  at: string;
  current: { state: "accepted" | "unaccepted"; answer_key: string; changed_at: string } | undefined;
}

export function decideUnmark(f: UnmarkFacts): { ok: true } | { ok: false; reason: Refusal } {
  if (!f.current || f.current.state !== "accepted") return { ok: false, reason: "not-solved" };
  if (f.answerKey !== undefined && f.answerKey !== f.current.answer_key) return { ok: false, reason: "other-answer" };
  const isAsker = f.askerPerson !== undefined && f.actorPerson === f.askerPerson;
  if (!f.system && !isAsker && !f.isModerator) return { ok: false, reason: "not-allowed" };
  if (f.at < f.current.changed_at) return { ok: false, reason: "stale" };
  return { ok: true };
}

/**
 * Whether a question asked in `channelKey` may go into the knowledge base, which anyone can search
 * with `/ask`. Adapters do not report whether a channel is private, so the engine knows only its
 * own staff channels: the moderators' queue and the organizers' feedback channel never go in.
 */
export function isPublicChannel(settings: Settings, channelKey: string): boolean {
  return channelKey !== settings.channels.modQueue && channelKey !== settings.channels.feedback;
}
