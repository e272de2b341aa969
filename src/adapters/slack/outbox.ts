import type { webApi } from "@slack/bolt";
import type { Place } from "../../core/identity.js";
import type { Outbox } from "../../core/outbox.js";
import type { Reply } from "../../core/reply.js";
import { renderMessage } from "./render-blocks.js";

/**
 * Posting first (announcements, level-ups, scheduled boards) into a Slack channel or thread.
 * `messageId` is the new message's `ts`. Slack has no idempotency key for `chat.postMessage`, so
 * `dedupeKey` cannot be honoured here; callers record what they posted (e.g. level-ups are marked
 * announced) instead. An ephemeral reply has no one to be shown to and is posted normally.
 */
export class SlackOutbox implements Outbox {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly team: string,
  ) {}

  async post(to: Place, reply: Reply): Promise<{ messageId: string }> {
    if (to.platform !== "slack" || to.workspaceId !== this.team) throw new Error(`the Slack outbox of ${this.team} cannot post to ${to.platform}:${to.workspaceId}`);
    const res = await this.client.chat.postMessage({ channel: to.channelId, ...(to.threadId ? { thread_ts: to.threadId } : {}), ...renderMessage(reply, this.team) });
    return { messageId: res.ts ?? "" };
  }
}
