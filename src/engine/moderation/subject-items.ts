import type { ItemRow } from "./moderation.repo.js";

/**
 * Queue items about no single message (tips going back and forth between two members) are keyed
 * `subject:…` in `mod_items.message_key`, a prefix no message key has: deciding one deletes nothing
 * and takes no points back, and its card shows the history it was raised with.
 */
export const SUBJECT_PREFIX = "subject:";

/** Whether a queue item is a subject (see review-queue.ts `flagSubject`) rather than a message. */
export function isSubjectItem(item: Pick<ItemRow, "message_key">): boolean {
  return item.message_key.startsWith(SUBJECT_PREFIX);
}
