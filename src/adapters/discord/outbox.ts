import { createHash } from "node:crypto";
import { type REST, Routes } from "discord.js";
import { z } from "zod";
import type { Place } from "../../core/identity.js";
import type { Outbox } from "../../core/outbox.js";
import type { Reply } from "../../core/reply.js";
import type { Logger } from "../../log.js";
import { channelOfPlace } from "./identity.js";
import { renderReply } from "./render-reply.js";

/**
 * Posts the bot speaks first (level-ups, notices, scheduled boards) through REST, so a channel
 * need not be in discord.js's cache.
 *
 * A post with a `dedupeKey` carries a nonce derived from it, with `enforce_nonce`: if the request
 * is sent again (@discordjs/rest retries timeouts and 5xx; a process retries after a crash),
 * Discord returns the message it already created instead of posting twice. Discord remembers
 * nonces for a few minutes, so callers still record what they posted.
 */
const NONCE_LENGTH = 25;

/** A nonce for `key`: the same key always gives the same nonce, at most 25 characters. */
export function nonceFor(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, NONCE_LENGTH);
}

const createdMessage = z.object({ id: z.string() });

export class DiscordOutbox implements Outbox {
  constructor(
    private readonly rest: REST,
    private readonly log: Logger,
  ) {}

  async post(to: Place, reply: Reply, dedupeKey?: string): Promise<{ messageId: string }> {
    if (to.platform !== "discord") throw new Error(`the Discord outbox cannot post to ${to.platform}`);
    const message = renderReply(reply, to.workspaceId, (problem) => this.log.warn({ problem }, "post rendered without a part Discord would refuse"));
    const body = {
      ...(message.content !== undefined ? { content: message.content } : {}),
      embeds: message.embeds,
      components: message.components,
      // Raw REST does not apply the client's defaults: say again that nothing pings.
      allowed_mentions: { parse: [] },
      ...(dedupeKey ? { nonce: nonceFor(dedupeKey), enforce_nonce: true } : {}),
    };
    const created = createdMessage.parse(await this.rest.post(Routes.channelMessages(channelOfPlace(to)), { body }));
    return { messageId: created.id };
  }
}
