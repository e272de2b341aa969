import type { Place } from "../../core/identity.js";
import { memberText } from "../../core/reply.js";
import type { Settings } from "../communities/settings.js";
import { settingPlace } from "../levels/level-up-announcement.js";

/** Why a feedback request was refused, as the private answer to give (nothing was written). */
export class FeedbackRefusal extends Error {}

/** Longest feedback, answer or close reason, in characters (Discord's modal inputs allow 4 000; Slack's section text 3 000). */
export const TEXT_MAX = 1500;

/** How many pieces of feedback one member may send in any 24 hours. */
export const DAILY_LIMIT = 5;

/** The window {@link DAILY_LIMIT} counts over: a rolling day, so there is no midnight to game. */
export const DAY_MS = 24 * 3_600_000;

/**
 * Where organizers read feedback: `channels.feedback`, else the talks organizers' channel, else
 * the mod queue. Undefined when none is set — then feedback is refused rather than posted where it
 * was sent, because the card's Answer and Close buttons are for organizers only.
 */
export function feedbackPlace(settings: Settings): Place | undefined {
  return settingPlace(settings.channels.feedback) ?? settingPlace(settings.talks.organizersChannel) ?? settingPlace(settings.channels.modQueue);
}

/**
 * Text a member or organizer typed (feedback, an answer, a reason): trimmed, 1–{@link TEXT_MAX}
 * characters. `what` names it in the refusal.
 */
export function checkedText(text: string | undefined, what: string): string {
  const trimmed = (text ?? "").trim();
  if (trimmed === "") throw new FeedbackRefusal(`The ${what} is empty: write 1–${TEXT_MAX} characters.`);
  const length = Array.from(trimmed).length;
  if (length > TEXT_MAX) throw new FeedbackRefusal(`The ${what} is ${length} characters long: at most ${TEXT_MAX} are accepted.`);
  return trimmed;
}

/** A one-line excerpt of member text for lists and DMs, already wrapped as member text. */
export function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  return memberText(chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : flat);
}
