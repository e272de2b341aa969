import { webApi } from "@slack/bolt";
import { parseNamespacedId, type Place } from "../../core/identity.js";
import {
  type DeleteResult,
  type DmResult,
  type EditResult,
  networkFailure,
  type Outbox,
  type OutboxFailure,
  type PostResult,
  rateLimited,
  refused,
  transientFailure,
} from "../../core/outbox.js";
import type { Reply } from "../../core/reply.js";
import { uploadPictures } from "./pictures.js";
import { renderMessage } from "./render-blocks.js";

/**
 * The bot speaking first in one Slack workspace: posts into channels and threads, edits and
 * deletes its own messages, and direct messages (conversations.open, then chat.postMessage).
 * `messageId` is the message's `ts`.
 *
 * Slack has no idempotency key for chat.postMessage (`dedupeWindowMs` is 0): a request sent twice
 * is two messages. So the client must not retry on its own — {@link slackOutboxClient} builds one
 * with no retries — and the delivery loop decides when a repeat is worth the risk (docs/outbox.md).
 * Each post carries its dedupe key as message metadata, so a repeat can be recognised afterwards.
 *
 * A bot token deletes only the bot's own messages: a member's answers "not-allowed"
 * (`cant_delete_message`). Direct messages need the `im:write` scope.
 */
export class SlackOutbox implements Outbox {
  readonly platform = "slack" as const;
  readonly dedupeWindowMs = 0;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly team: string,
    /** Told, with Slack's error code, when a post went out but its pictures could not be uploaded. */
    private readonly onPictureFailed: (detail: string) => void = () => {},
  ) {}

  async post(to: Place, reply: Reply, dedupeKey: string): Promise<PostResult> {
    const wrong = this.notHere(to);
    if (wrong) return wrong;
    return this.send(to.channelId, to.threadId, reply, dedupeKey);
  }

  async edit(to: Place, messageId: string, reply: Reply): Promise<EditResult> {
    const wrong = this.notHere(to);
    if (wrong) return wrong;
    // chat.update cannot change a message's files, and uploading the edit's pictures again would
    // add a new file message on every edit: an edit changes the text only (docs/pictures.md).
    return this.call(async () => {
      const res = await this.client.chat.update({ channel: to.channelId, ts: messageId, ...renderMessage(reply, this.team) });
      return { ok: true, messageId: res.ts ?? messageId };
    });
  }

  async delete(to: Place, messageId: string): Promise<DeleteResult> {
    const wrong = this.notHere(to);
    if (wrong) return wrong;
    return this.call(async () => {
      await this.client.chat.delete({ channel: to.channelId, ts: messageId });
      return { ok: true };
    });
  }

  async dm(memberId: string, reply: Reply, dedupeKey: string): Promise<DmResult> {
    const member = parseNamespacedId(memberId);
    if (member?.platform !== "slack" || member.workspaceId !== this.team) return refused("rejected", `the Slack outbox of ${this.team} cannot message ${memberId}`);
    const opened = await this.call(async () => {
      const res = await this.client.conversations.open({ users: member.localId });
      const channelId = res.channel?.id;
      if (!channelId) throw new webApi.WebAPIPlatformError({ ok: false, error: "no_channel_in_answer" });
      return { ok: true as const, channelId };
    });
    if (!opened.ok) return opened;
    const posted = await this.send(opened.channelId, undefined, reply, dedupeKey);
    if (!posted.ok) return posted;
    return { ...posted, place: { platform: "slack", workspaceId: this.team, channelId: opened.channelId } };
  }

  private send(channel: string, threadTs: string | undefined, reply: Reply, dedupeKey: string | undefined): Promise<PostResult> {
    return this.call(async () => {
      const res = await this.client.chat.postMessage({
        channel,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...renderMessage(reply, this.team),
        ...(dedupeKey ? { metadata: { event_type: "guildkeeper_outbox", event_payload: { dedupe_key: dedupeKey.slice(0, 200) } } } : {}),
      });
      if (!res.ts) throw new webApi.WebAPIPlatformError({ ok: false, error: "no_ts_in_answer" });
      await this.sendPictures(reply, channel, threadTs);
      return { ok: true, messageId: res.ts };
    });
  }

  /**
   * The post's pictures, uploaded into the same channel or thread once the post is in. The post is
   * what the outbox tracks: a failed upload is logged and the post still counts as sent (its text
   * is complete), because reporting a failure would make the delivery loop post the text again.
   */
  private async sendPictures(reply: Reply, channel: string, threadTs: string | undefined): Promise<void> {
    if (!reply.attachments?.length) return;
    try {
      await uploadPictures(this.client, reply.attachments, { channel, threadTs });
    } catch (error) {
      this.onPictureFailed(slackFailure(error).detail);
    }
  }

  private notHere(to: Place): OutboxFailure | undefined {
    if (to.platform === "slack" && to.workspaceId === this.team) return undefined;
    return refused("rejected", `the Slack outbox of ${this.team} cannot reach ${to.platform}:${to.workspaceId}`);
  }

  private async call<T extends { ok: true }>(request: () => Promise<T>): Promise<T | OutboxFailure> {
    try {
      return await request();
    } catch (error) {
      return slackFailure(error);
    }
  }
}

export interface SlackOutboxClientOptions {
  /** Web API base, ending in a slash (the adapter's `slackApiUrl`). */
  slackApiUrl?: string;
  /** Per request, in ms (default 15 000): a call must end well within the delivery loop's lease. */
  timeoutMs?: number;
  /** @slack/web-api's logger; give it the adapter's scrubbing Bolt logger. */
  logger?: webApi.WebClientOptions["logger"];
}

/**
 * A WebClient for {@link SlackOutbox}: 429s come back at once as `WebAPIRateLimitedError` with
 * `retryAfter` (`rejectRateLimitedCalls`) instead of pausing the client's queue, and nothing is
 * retried inside the client, where a repeated chat.postMessage would be a second message.
 */
export function slackOutboxClient(token: string, o: SlackOutboxClientOptions = {}): webApi.WebClient {
  return new webApi.WebClient(token, {
    ...(o.slackApiUrl ? { slackApiUrl: o.slackApiUrl } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: o.timeoutMs ?? 15_000,
  });
}

/** Slack error strings that mean "you may not" (method reference pages, chat.* and conversations.open). */
const NOT_ALLOWED = new Set([
  "cant_delete_message",
  "cant_update_message",
  "edit_window_closed",
  "not_in_channel",
  "is_archived",
  "restricted_action",
  "restricted_action_read_only_channel",
  "restricted_action_thread_only_channel",
  "restricted_action_non_threadable_channel",
  "posting_to_general_channel_denied",
  "user_not_visible",
  "invalid_user_combination",
  "cannot_dm_bot",
  "missing_scope",
  "not_allowed_token_type",
  "no_permission",
  "access_denied",
  "ekm_access_denied",
  "team_access_not_granted",
  "not_authed",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "token_expired",
]);

const NOT_FOUND = new Set(["channel_not_found", "message_not_found", "thread_not_found", "user_not_found", "user_disabled", "users_not_found"]);

/** "It's possible some aspect of the operation succeeded before the error was raised" (Slack's words). */
const MAYBE_DONE = new Set(["internal_error", "fatal_error", "no_ts_in_answer", "no_channel_in_answer"]);
const NOT_DONE = new Set(["service_unavailable", "request_timeout", "team_added_to_org"]);

/** What a thrown @slack/web-api error means for the caller. Details carry Slack's code, never a token. */
export function slackFailure(error: unknown): OutboxFailure {
  if (error instanceof webApi.WebAPIRateLimitedError) return rateLimited(error.retryAfter * 1000, `ratelimited, Retry-After ${error.retryAfter} s`);
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    if (code === "ratelimited") return rateLimited(1_000, code);
    if (NOT_ALLOWED.has(code)) return refused("not-allowed", code);
    if (NOT_FOUND.has(code)) return refused("not-found", code);
    if (MAYBE_DONE.has(code)) return transientFailure(true, code);
    if (NOT_DONE.has(code)) return transientFailure(false, code);
    return refused("rejected", code);
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    const detail = `HTTP ${error.statusCode} ${error.statusMessage}`;
    return error.statusCode >= 500 ? transientFailure(true, detail) : refused("rejected", detail);
  }
  if (error instanceof webApi.WebAPIRequestError) return networkFailure(error.original);
  return networkFailure(error);
}
