import { naturalKeys } from "../../core/events.js";
import type { Place } from "../../core/identity.js";
import { messageLink, parseMessageLink } from "../moderation/message-links.js";

/**
 * What a bounty is on: a question, named by its message key. A thread or a forum post is named by
 * its starter message — on Discord a thread started from a message (and every forum post) has that
 * message's id, on Slack a thread is its parent's ts, in the console the parent's key — so the
 * thread a command is used in and a link to the question's message name the same question.
 */
export interface BountyQuestion {
  /** The question's message key (see {@link questionKeyOfThread}). */
  key: string;
  /** The question's thread, where the answerer is told; absent for a linked message (told by DM). */
  thread?: Place;
  /** A link that opens it, where the platform has one. */
  link?: string;
}

/**
 * The question key of a thread: what the knowledge capability passes to `bounties.awardIn` when an
 * answer in that thread is marked as the solution.
 */
export function questionKeyOfThread(place: Place & { threadId: string }): string {
  switch (place.platform) {
    case "discord":
      return naturalKeys.discordMessage(place.threadId);
    case "slack":
      return naturalKeys.slackMessage(place.workspaceId, place.channelId, place.threadId);
    case "console":
      return place.threadId.startsWith("console:msg:") ? place.threadId : naturalKeys.consoleMessage(place.threadId);
  }
}

/** The thread a command was used in, as a question; undefined outside a thread. */
export function questionHere(place: Place): BountyQuestion | undefined {
  if (!place.threadId) return undefined;
  const key = questionKeyOfThread({ ...place, threadId: place.threadId });
  const link = messageLink(key, place);
  return { key, thread: place, ...(link ? { link } : {}) };
}

/**
 * A message link a member gave, as a question in this workspace; `undefined` when it is no link,
 * `"elsewhere"` when it names a message of another server or workspace.
 */
export function questionFromLink(text: string, place: Place): BountyQuestion | "elsewhere" | undefined {
  const target = parseMessageLink(text, place);
  if (!target) return undefined;
  if (target.place.platform !== place.platform || target.place.workspaceId !== place.workspaceId) return "elsewhere";
  const link = messageLink(target.messageKey, target.place);
  return { key: target.messageKey, ...(link ? { link } : {}) };
}

/** The question the command names: the `question` option if given, else the thread it was used in. */
export function questionOf(option: string | undefined, place: Place): BountyQuestion | "elsewhere" | "not-a-link" | undefined {
  if (option !== undefined && option.trim() !== "") return questionFromLink(option, place) ?? "not-a-link";
  return questionHere(place);
}
