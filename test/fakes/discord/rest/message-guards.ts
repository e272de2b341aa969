/**
 * Three things Discord decides before it creates or deletes a message, which the bot's outbox depends on:
 *
 * - **nonce + enforce_nonce**: "If true and nonce is present, it will be checked for uniqueness in the past few
 *   minutes. If another message was created by the same author with the same nonce, that message will be returned
 *   and no new message will be created" (docs resources/message#create-message). The window is `nonceWindowMs`
 *   (default 3 minutes), measured with `Date.now()`, so a test that fakes Date can step past it.
 * - **closed DMs**: a member who does not take DMs from the bot (privacy settings, blocked) makes a post into the
 *   DM channel fail with 403 50007 "Cannot send messages to this user".
 * - **Manage Messages**: deleting someone else's message needs it (403 50013), and in a DM it is never allowed (50003).
 */
import { ChannelType, PermissionFlagsBits, type APIMessage } from "discord.js";
import type { FakeWorld } from "../world.js";
import { apiError, type RouteResponse } from "./router.js";

export const DEFAULT_NONCE_WINDOW_MS = 3 * 60_000;

interface RememberedNonce {
  messageId: string;
  at: number;
}

/** Per-world state of the guards (kept beside the world, so world.ts stays the model of Discord's data). */
export class MessageGuards {
  private readonly nonces = new Map<string, RememberedNonce>();
  /** User ids whose DMs are closed to the bot. */
  readonly closedDms = new Set<string>();

  constructor(public nonceWindowMs: number = DEFAULT_NONCE_WINDOW_MS) {}

  /** The message an earlier create with the same author and nonce made, if still within the window. */
  repeatOf(world: FakeWorld, authorId: string, body: unknown): APIMessage | undefined {
    const nonce = enforcedNonce(body);
    if (nonce === undefined) return undefined;
    const seen = this.nonces.get(`${authorId}:${nonce}`);
    if (!seen || Date.now() - seen.at > this.nonceWindowMs) return undefined;
    const message = world.messages.get(seen.messageId);
    if (!message) return undefined;
    const { guild_id: _g, ...rest } = message;
    return rest;
  }

  /** Remembers the nonce of a message just created (any nonce: enforcement is checked on the repeat). */
  remember(authorId: string, body: unknown, messageId: string): void {
    const nonce = nonceOf(body);
    if (nonce !== undefined) this.nonces.set(`${authorId}:${nonce}`, { messageId, at: Date.now() });
  }

  /** 403 50007 when the channel is a DM with a member whose DMs are closed. */
  refuseDm(world: FakeWorld, channelId: string): RouteResponse | null {
    const channel = world.channel(channelId)?.api;
    if (channel?.type !== ChannelType.DM || !("recipients" in channel)) return null;
    const closed = channel.recipients?.some((u) => this.closedDms.has(u.id));
    return closed ? apiError(403, 50007, "Cannot send messages to this user") : null;
  }

  /** Whether the bot may delete `message`: its own always; others' with Manage Messages, never in a DM. */
  refuseDelete(world: FakeWorld, message: APIMessage & { guild_id?: string }): RouteResponse | null {
    if (message.author.id === world.bot.id) return null;
    const guildId = world.guildOfChannel(message.channel_id);
    if (!guildId) return apiError(403, 50003, "Cannot execute action on a DM channel");
    const allowed = (world.memberPermissions(guildId, world.bot.id) & PermissionFlagsBits.ManageMessages) !== 0n;
    return allowed ? null : apiError(403, 50013, "Missing Permissions");
  }
}

function nonceOf(body: unknown): string | undefined {
  const nonce = (body as { nonce?: unknown } | null)?.nonce;
  return typeof nonce === "string" || typeof nonce === "number" ? String(nonce) : undefined;
}

function enforcedNonce(body: unknown): string | undefined {
  return (body as { enforce_nonce?: unknown } | null)?.enforce_nonce === true ? nonceOf(body) : undefined;
}
