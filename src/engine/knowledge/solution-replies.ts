import { mention, type Reply } from "../../core/reply.js";
import type { Refusal } from "./solution-rules.js";

/** What members are told about accepted answers. Names are mentions (tokens); nothing typed becomes markup. */

type Who = { id: string; displayName?: string };

function pts(n: number): string {
  return `${n} point${n === 1 ? "" : "s"}`;
}

/** Posted in the question's thread, so the answerer (mentioned) is told and everyone sees it is solved. */
export function markedNotice(a: { marker: Who; answerer: Who; points: number; bounty: number; changed: boolean }): Reply {
  const earned = [a.points > 0 ? pts(a.points) : "", a.bounty > 0 ? `the ${a.bounty}-point bounty` : ""].filter(Boolean).join(" and ");
  return {
    text: `✅ ${mention(a.marker)} marked ${mention(a.answerer)}'s reply as the solution${a.changed ? " instead" : ""}.${earned ? ` ${mention(a.answerer)} earns ${earned} — thank you!` : ""}`,
    tone: "success",
  };
}

/** Posted in the thread when the mark is taken off (by the asker, a moderator, or the answer's deletion). */
export function unmarkedNotice(a: { answerer: Who; points: number; deleted: boolean }): Reply {
  const why = a.deleted ? "The accepted answer was deleted, so this question is no longer marked solved" : "The solution mark was taken off this question";
  return { text: `${why}${a.points > 0 ? `; the ${pts(a.points)} ${mention(a.answerer)} earned for it went back` : ""}.`, tone: "info" };
}

/** The private answer to whoever marked, for the message action and `/solved`. */
export function markedAnswer(a: { answerer: Who; points: number; bounty: number; changed: boolean }): Reply {
  const paid = [a.points > 0 ? pts(a.points) : "", a.bounty > 0 ? `the ${a.bounty}-point bounty` : ""].filter(Boolean).join(" and ");
  return { text: `Marked ${mention(a.answerer)}'s reply as the solution${a.changed ? " instead of the earlier one" : ""}${paid ? `; they earn ${paid} and are told in the thread` : ""}.`, ephemeral: true, tone: "success" };
}

export function unmarkedAnswer(a: { answerer: Who; points: number }): Reply {
  return { text: `Took the solution mark off ${mention(a.answerer)}'s reply${a.points > 0 ? `; their ${pts(a.points)} for it went back` : ""}. An awarded bounty stays paid.`, ephemeral: true, tone: "success" };
}

const HOW = "Mark a reply in the question's thread or forum post: react ✅ to it, use “Mark as solution” on it, or /solved with its message link.";

/** Why a mark or unmark was refused, in words for the one who tried. */
export function refusalText(reason: Refusal): string {
  const texts: Record<Refusal, string> = {
    "not-allowed": "Only the member who asked this question (who started the thread or forum post) or a moderator can mark its solution.",
    "unknown-asker": "I never saw this question's first message, so I can't tell who asked it: a moderator can mark its solution.",
    "is-question": `That is the question itself, not an answer. ${HOW}`,
    "not-a-reply": `That message is not a reply in a thread or forum post. ${HOW}`,
    "other-thread": "That message is a reply in another thread: use /solved in the thread it answers.",
    "unknown-answer": "I never saw that message, so I don't know who wrote it: use “Mark as solution” on the message itself.",
    deleted: "That message was deleted: it can't be the solution.",
    bot: "Bots' messages can't be marked as a solution: pick the member's reply that solved it.",
    "own-question": "You can't accept your own reply to your own question: mark the reply of the member who solved it.",
    "own-answer": "You can't mark your own reply as the solution: the asker or another moderator can.",
    stale: "This question's solution was changed since: nothing was done.",
    already: "That reply is already marked as the solution.",
    "not-solved": "This question has no accepted answer to take off.",
    "other-answer": "That reply is not the accepted answer: nothing was taken off.",
  };
  return texts[reason];
}
