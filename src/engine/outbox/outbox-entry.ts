import { channelKey, type Place } from "../../core/identity.js";
import type { Reply } from "../../core/reply.js";

/**
 * What the engine asks the durable outbox to say: one row, one platform. A community on Discord
 * and Slack gets one entry per place (see `OutboxWriter.postEverywhere`).
 *
 * Edits and deletes of the bot's own posts name the post by its dedupe key (`of`): the platform's
 * message id is not known when the decision is made, and is resolved when the edit is delivered —
 * after the post itself, which it waits for.
 */
export type OutboxMessage =
  /** A post in a channel or thread. */
  | { operation: "post"; to: Place; reply: Reply }
  /** A direct message to one member (namespaced member id). */
  | { operation: "dm"; memberId: string; reply: Reply }
  /** New content for our own post (or DM) enqueued under dedupe key `of`. */
  | { operation: "edit"; of: string; reply: Reply }
  /** New content for a message known by its platform id. */
  | { operation: "edit"; to: Place; messageId: string; reply: Reply }
  /** Delete our own post (or DM) enqueued under dedupe key `of`. */
  | { operation: "delete"; of: string }
  /** Delete a message known by its platform id: a member's, where the platform lets the bot. */
  | { operation: "delete"; to: Place; messageId: string };

/** One outbox row to write: what to say, for which community, under which dedupe key. */
export type OutboxEntry = OutboxMessage & {
  communityId: string;
  /**
   * Names this row for ever: enqueueing the same key again does nothing, so a decision replayed
   * after a crash or a redelivered event cannot say anything twice. Make it from the decision's
   * natural key, e.g. `levelup:<community>:<member>:<level>`.
   */
  dedupeKey: string;
};

/** The operations a row can hold. */
export type OutboxOperation = OutboxMessage["operation"];

/**
 * The dedupe key of one place's copy of a multi-place post: `<key>@<platform>:<workspace>:<channel>[/<thread>]`.
 * Later edits and deletes of that copy name it with this key.
 */
export function placeDedupeKey(dedupeKey: string, place: Place): string {
  return `${dedupeKey}@${channelKey(place)}${place.threadId ? `/${place.threadId}` : ""}`;
}
