import { createHash } from "node:crypto";
import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes } from "discord.js";
import { z } from "zod";
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
import type { Logger } from "../../log.js";
import { DISCORD_API_BASE } from "./client-options.js";
import { channelOfPlace } from "./identity.js";
import { type RenderedMessage, renderReply } from "./render-reply.js";

/**
 * The bot speaking first on Discord (posts, edits, deletes, DMs) through REST, so a channel need
 * not be in discord.js's cache.
 *
 * A post carries a nonce derived from its dedupe key, with `enforce_nonce`: if the request is sent
 * again (@discordjs/rest retries timeouts and 5xx; the delivery loop retries after a crash),
 * Discord returns the message it already created instead of posting twice. Discord remembers
 * nonces for "a few minutes"; {@link NONCE_WINDOW_MS} is what we count on.
 *
 * Rate limits: @discordjs/rest normally waits a 429 out inside the call (the caller never sees
 * it) — fine for answering an interaction, wrong for a delivery loop that should move on and come
 * back at `Retry-After`. Give this outbox a REST built by {@link outboxRest}, which rejects on rate
 * limits (`rejectOnRateLimit`), so a 429 — or REST's own "this bucket is exhausted" — comes back as
 * `{ reason: "rate-limited", retryAfterMs }`. With the client's REST it still works, only slower.
 */
const NONCE_LENGTH = 25;

/** How long we rely on Discord to drop a repeated nonce: under its "few minutes", to be safe. */
export const NONCE_WINDOW_MS = 2 * 60_000;

/** A nonce for `key`: the same key always gives the same nonce, at most 25 characters. */
export function nonceFor(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, NONCE_LENGTH);
}

export interface OutboxRestOptions {
  token: string;
  /** Discord's REST base (default Discord's), as `DISCORD_API_URL` sets for the client. */
  apiUrl?: string | undefined;
  /**
   * Retries of a timeout or 5xx inside one call (default 1; posts carry a nonce, so a retry cannot
   * post twice). The delivery loop retries on top, so keep calls short: a call must end well within
   * the loop's claim lease (60 s by default).
   */
  retries?: number;
  /** Per request, in ms (default 15 000, @discordjs/rest's own). */
  timeoutMs?: number;
  /** Told of every rate limit met, a 429 or an exhausted bucket (telemetry; the rejection itself goes to the loop). */
  onRateLimited?: () => void;
}

/** A REST client for {@link DiscordOutbox} that hands 429s back instead of waiting them out. */
export function outboxRest(o: OutboxRestOptions): REST {
  return new REST({
    api: o.apiUrl ?? DISCORD_API_BASE,
    // Called for an answered 429 and for a bucket known to be empty alike (RESTEvents.RateLimited
    // fires for the second only), so this is where every rate limit on this client is seen.
    rejectOnRateLimit: () => {
      o.onRateLimited?.();
      return true;
    },
    retries: o.retries ?? 1,
    timeout: o.timeoutMs ?? 15_000,
  }).setToken(o.token);
}

const createdMessage = z.object({ id: z.string() });
const dmChannel = z.object({ id: z.string() });

/** Discord's JSON error codes that mean "you may not" (docs: topics/opcodes-and-status-codes). */
const NOT_ALLOWED_CODES = new Set([
  50001, // Missing Access
  50003, // Cannot execute action on a DM channel
  50005, // Cannot edit a message authored by another user
  50007, // Cannot send messages to this user (DMs closed, blocked, no shared server)
  50013, // Missing Permissions
  50021, // Cannot execute action on a system message
  50083, // Operation on an archived thread
  160005, // Thread is locked
  20016, // Slowmode rate limit
  40001, // Unauthorized
]);

export class DiscordOutbox implements Outbox {
  readonly platform = "discord" as const;
  readonly dedupeWindowMs = NONCE_WINDOW_MS;

  constructor(
    private readonly rest: REST,
    private readonly log: Logger,
  ) {}

  async post(to: Place, reply: Reply, dedupeKey: string): Promise<PostResult> {
    if (to.platform !== "discord") return refused("rejected", `the Discord outbox cannot post to ${to.platform}`);
    return this.send(channelOfPlace(to), to.workspaceId, reply, dedupeKey);
  }

  async edit(to: Place, messageId: string, reply: Reply): Promise<EditResult> {
    if (to.platform !== "discord") return refused("rejected", `the Discord outbox cannot edit on ${to.platform}`);
    const message = this.render(reply, to.workspaceId);
    // PATCH changes only what is sent: say content even when empty, or an old text would stay; and
    // list only the new files as `attachments`, so the edit's pictures replace the old ones.
    const body = { content: message.content ?? "", embeds: message.embeds, components: message.components, allowed_mentions: { parse: [] }, attachments: attachmentsOf(message) };
    return this.call(async () => {
      const edited = createdMessage.parse(await this.rest.patch(Routes.channelMessage(channelOfPlace(to), messageId), { body, ...restFiles(message) }));
      return { ok: true, messageId: edited.id };
    });
  }

  async delete(to: Place, messageId: string): Promise<DeleteResult> {
    if (to.platform !== "discord") return refused("rejected", `the Discord outbox cannot delete on ${to.platform}`);
    return this.call(async () => {
      await this.rest.delete(Routes.channelMessage(channelOfPlace(to), messageId));
      return { ok: true };
    });
  }

  /** POST /users/@me/channels (the same DM channel every time), then a post into it. */
  async dm(memberId: string, reply: Reply, dedupeKey: string): Promise<DmResult> {
    const member = parseNamespacedId(memberId);
    if (member?.platform !== "discord" || !/^\d+$/.test(member.localId)) return refused("rejected", `not a Discord member id: ${memberId}`);
    const opened = await this.call(async () => {
      const channel = dmChannel.parse(await this.rest.post(Routes.userChannels(), { body: { recipient_id: member.localId } }));
      return { ok: true as const, channelId: channel.id };
    });
    if (!opened.ok) return opened;
    const posted = await this.send(opened.channelId, member.workspaceId, reply, dedupeKey);
    if (!posted.ok) return posted;
    return { ...posted, place: { platform: "discord", workspaceId: member.workspaceId, channelId: opened.channelId } };
  }

  private send(channelId: string, guildId: string, reply: Reply, dedupeKey: string): Promise<PostResult> {
    const message = this.render(reply, guildId);
    const body = {
      ...(message.content !== undefined ? { content: message.content } : {}),
      embeds: message.embeds,
      components: message.components,
      // Raw REST does not apply the client's defaults: say again that nothing pings.
      allowed_mentions: { parse: [] },
      nonce: nonceFor(dedupeKey),
      enforce_nonce: true,
      ...(message.files ? { attachments: attachmentsOf(message) } : {}),
    };
    return this.call(async () => {
      const created = createdMessage.parse(await this.rest.post(Routes.channelMessages(channelId), { body, ...restFiles(message) }));
      return { ok: true, messageId: created.id };
    });
  }

  private render(reply: Reply, guildId: string) {
    return renderReply(reply, guildId, (problem) => this.log.warn({ problem }, "post rendered without a part Discord would refuse"));
  }

  /** Runs one REST call and turns whatever Discord answered into a result. */
  private async call<T extends { ok: true }>(request: () => Promise<T>): Promise<T | OutboxFailure> {
    try {
      return await request();
    } catch (error) {
      return discordFailure(error);
    }
  }
}

/**
 * The `attachments` of a message body with files: one entry per `files[n]` part, `id` being n, with
 * its file name and description (alt text) — Discord's "uploading files" shape, which raw REST must
 * build itself (discord.js does it for interaction replies).
 */
function attachmentsOf(message: RenderedMessage): { id: number; filename: string; description: string }[] {
  return (message.files ?? []).map((f, id) => ({ id, filename: f.name, description: f.description }));
}

/** The files for @discordjs/rest, which sends them as multipart `files[n]` beside `payload_json`. */
function restFiles(message: RenderedMessage): { files?: { name: string; data: Buffer; contentType: string }[] } {
  return message.files ? { files: message.files.map((f) => ({ name: f.name, data: f.data, contentType: f.contentType })) } : {};
}

/** What a thrown @discordjs/rest error means for the caller. Details never carry the URL or body. */
export function discordFailure(error: unknown): OutboxFailure {
  if (error instanceof RateLimitError) {
    return rateLimited(error.retryAfter, `rate limited on ${error.route}${error.global ? " (global)" : ""} for ${error.retryAfter} ms`);
  }
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === "number" ? error.code : Number(error.code);
    const detail = `${error.status} ${error.code} ${error.message}`.slice(0, 300);
    if (error.status === 429) return rateLimited(1_000, detail);
    if (NOT_ALLOWED_CODES.has(code) || error.status === 401 || error.status === 403) return refused("not-allowed", detail);
    if ((code >= 10_000 && code < 11_000) || error.status === 404) return refused("not-found", detail);
    if (error.status >= 500) return transientFailure(true, detail);
    return refused("rejected", detail);
  }
  if (error instanceof HTTPError) return transientFailure(true, `${error.status} ${error.message}`.slice(0, 300));
  if (error instanceof z.ZodError) return transientFailure(true, `Discord answered an unexpected shape: ${error.message}`.slice(0, 300));
  return networkFailure(error);
}
