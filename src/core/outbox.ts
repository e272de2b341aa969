import type { Place } from "./identity.js";
import type { Reply } from "./reply.js";

/**
 * How the engine and scheduled jobs speak first (announcements, level-ups, weekly boards), as
 * opposed to answering a command. Each adapter implements it for its platform.
 */
export interface Outbox {
  /**
   * Posts `reply` at `to`. `dedupeKey` names the post: an adapter that can (Discord's nonce with
   * `enforce_nonce`) uses it so a retried request does not post twice.
   */
  post(to: Place, reply: Reply, dedupeKey?: string): Promise<{ messageId: string }>;
}
