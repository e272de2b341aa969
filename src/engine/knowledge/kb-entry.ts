import type { KbEntryRow } from "./solutions.repo.js";

/** How much of a question's first message makes its title when the thread's title is not known. */
const TITLE_CHARS = 100;

/** The first ~100 characters of `text` on one line, cut at a word where one is near. */
export function titleOf(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= TITLE_CHARS) return line;
  const cut = line.slice(0, TITLE_CHARS);
  const space = cut.lastIndexOf(" ");
  return `${(space > TITLE_CHARS * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A knowledge-base row for a solved question from what is known of it (texts may be empty). */
export function kbEntryOf(a: {
  communityId: string;
  questionKey: string;
  answerKey: string;
  title?: string;
  questionText: string;
  answerText: string;
  questionLink: string;
  answerLink: string;
  channelKey: string;
  askerId: string;
  answerAuthorId: string;
  solvedAt: string;
}): KbEntryRow {
  const title = a.title?.trim() || titleOf(a.questionText) || titleOf(a.answerText) || "A solved question";
  return {
    community_id: a.communityId,
    question_key: a.questionKey,
    title,
    question_text: a.questionText,
    answer_text: a.answerText,
    question_link: a.questionLink,
    answer_link: a.answerLink,
    answer_key: a.answerKey,
    channel_key: a.channelKey,
    asker_id: a.askerId,
    answer_author_id: a.answerAuthorId,
    solved_at: a.solvedAt,
  };
}
