/**
 * Channel routes: send / fetch / edit / delete messages, reactions, typing, threads, DMs.
 * Paths and answers per the Discord docs (resources/message, resources/channel, resources/user#create-dm).
 */
import { ChannelType, MessageFlags, type APIChannel, type APIMessage } from "discord.js";
import { asMessageBody, editedMessage, newBotMessage, validateMessageBody } from "./message-objects.js";
import { apiError, route, type RestEffects, type Route, type RouteResponse } from "./router.js";
import type { FakeWorld } from "../world.js";
import { memberWithoutUser } from "../payloads/messages.js";

/** The gateway form of a message the bot created: plus guild_id and the author's member, as MESSAGE_CREATE has. */
function asGatewayMessage(world: FakeWorld, message: APIMessage): unknown {
  const guildId = world.guildOfChannel(message.channel_id);
  if (!guildId) return message;
  return { ...message, guild_id: guildId, member: memberWithoutUser(world.member(guildId, message.author.id)) };
}

/** Stores a message the bot created and (by default) echoes it as MESSAGE_CREATE, as Discord does. */
export function publishBotMessage(world: FakeWorld, effects: RestEffects, message: APIMessage, status = 200): RouteResponse {
  const guildId = world.guildOfChannel(message.channel_id);
  world.messages.set(message.id, { ...message, ...(guildId && { guild_id: guildId }) });
  return {
    status,
    body: message,
    after: () => {
      if (effects.echoBotMessages) effects.echo("MESSAGE_CREATE", asGatewayMessage(world, message));
    },
  };
}

export function publishBotEdit(world: FakeWorld, effects: RestEffects, message: APIMessage): RouteResponse {
  const guildId = world.guildOfChannel(message.channel_id);
  world.messages.set(message.id, { ...message, ...(guildId && { guild_id: guildId }) });
  return {
    status: 200,
    body: message,
    after: () => {
      if (effects.echoBotMessages) effects.echo("MESSAGE_UPDATE", asGatewayMessage(world, message));
    },
  };
}

/** Discord echoes the nonce a create carried in the message object it answers with. */
function withNonce(message: APIMessage, body: unknown): APIMessage {
  const nonce = (body as { nonce?: unknown } | null)?.nonce;
  return typeof nonce === "string" || typeof nonce === "number" ? { ...message, nonce } : message;
}

function unknownChannel(): RouteResponse {
  return apiError(404, 10003, "Unknown Channel");
}

function unknownMessage(): RouteResponse {
  return apiError(404, 10008, "Unknown Message");
}

/** Messages in a channel, newest first, as GET /channels/{id}/messages returns them. */
function messagesIn(world: FakeWorld, channelId: string): APIMessage[] {
  return [...world.messages.values()]
    // Ephemeral interaction replies are visible to one user only and never listed.
    .filter((m) => m.channel_id === channelId && ((m.flags ?? 0) & MessageFlags.Ephemeral) === 0)
    .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
    .map(({ guild_id: _g, ...m }) => m);
}

function startThread(world: FakeWorld, effects: RestEffects, parentId: string, name: string, messageId: string | null, privateThread: boolean): RouteResponse {
  const guildId = world.guildOfChannel(parentId);
  if (!guildId) return unknownChannel();
  // A thread started from a message takes the message's id (Discord docs: "Start Thread from Message").
  const id = messageId ?? world.ids.next();
  const thread = world.addChannel(guildId, { id, name, parentId, kind: privateThread ? "private_thread" : "public_thread", ownerId: world.bot.id });
  return {
    status: 201,
    body: thread,
    after: () => effects.echo("THREAD_CREATE", { ...thread, newly_created: true }),
  };
}

export const channelRoutes: Route[] = [
  route("GET", "/channels/:channel", ({ params }, world) => {
    const channel = world.channel(params.channel ?? "");
    return channel ? { status: 200, body: channel.api } : unknownChannel();
  }),

  // Only what the bot edits on a channel: a forum post's tags (at most five, each the forum's own).
  route("PATCH", "/channels/:channel", ({ params, body }, world) => {
    const channel = world.channel(params.channel ?? "");
    if (!channel) return unknownChannel();
    const tags = (body as { applied_tags?: unknown } | null)?.applied_tags;
    if (tags !== undefined) {
      const api = channel.api as APIChannel & { applied_tags?: string[]; parent_id?: string | null };
      const forum = api.parent_id ? (world.channel(api.parent_id)?.api as (APIChannel & { available_tags?: { id: string }[] }) | undefined) : undefined;
      const known = new Set((forum?.available_tags ?? []).map((t) => t.id));
      if (!Array.isArray(tags) || tags.length > 5 || !tags.every((t) => typeof t === "string" && known.has(t)) || !api.applied_tags) return apiError(400, 50035, "Invalid Form Body");
      api.applied_tags = [...tags];
    }
    return { status: 200, body: channel.api };
  }),

  route("POST", "/channels/:channel/messages", ({ params, body, files }, world, effects) => {
    const channelId = params.channel ?? "";
    if (!world.channel(channelId)) return unknownChannel();
    const msgBody = asMessageBody(body);
    const invalid = validateMessageBody(msgBody, files, false);
    if (invalid) return invalid;
    const ref = msgBody.message_reference;
    // Replying to a message that does not exist fails unless fail_if_not_exists is false.
    if (ref?.message_id && !world.messages.has(ref.message_id) && (ref as { fail_if_not_exists?: boolean }).fail_if_not_exists !== false) {
      return { status: 400, body: { code: 50035, message: "Invalid Form Body", errors: { message_reference: { _errors: [{ code: "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", message: "Unknown message" }] } } } };
    }
    // Outbox realism (message-guards.ts): a repeated nonce returns the first message; closed DMs refuse.
    const repeat = world.messageGuards.repeatOf(world, world.bot.id, body);
    if (repeat) return { status: 200, body: repeat };
    const closedDm = world.messageGuards.refuseDm(world, channelId);
    if (closedDm) return closedDm;
    const created = withNonce(newBotMessage(world, msgBody, files, { channelId }), body);
    world.messageGuards.remember(world.bot.id, body, created.id);
    return publishBotMessage(world, effects, created);
  }),

  route("GET", "/channels/:channel/messages", ({ params, query }, world) => {
    if (!world.channel(params.channel ?? "")) return unknownChannel();
    const limit = Number(query.get("limit") ?? 50);
    return { status: 200, body: messagesIn(world, params.channel ?? "").slice(0, limit) };
  }),

  route("GET", "/channels/:channel/messages/:message", ({ params }, world) => {
    const message = world.messages.get(params.message ?? "");
    if (!message || message.channel_id !== params.channel) return unknownMessage();
    const { guild_id: _g, ...rest } = message;
    return { status: 200, body: rest };
  }),

  route("PATCH", "/channels/:channel/messages/:message", ({ params, body, files }, world, effects) => {
    const original = world.messages.get(params.message ?? "");
    if (!original || original.channel_id !== params.channel) return unknownMessage();
    // Only the author may edit content (Discord: 50005 "Cannot edit a message authored by another user").
    if (original.author.id !== world.bot.id) return apiError(403, 50005, "Cannot edit a message authored by another user");
    const msgBody = asMessageBody(body);
    const invalid = validateMessageBody(msgBody, files, true);
    if (invalid) return invalid;
    return publishBotEdit(world, effects, editedMessage(world, original, msgBody, files));
  }),

  route("DELETE", "/channels/:channel/messages/:message", ({ params }, world, effects) => {
    const message = world.messages.get(params.message ?? "");
    if (!message || message.channel_id !== params.channel) return unknownMessage();
    const refusal = world.messageGuards.refuseDelete(world, message);
    if (refusal) return refusal;
    world.messages.delete(message.id);
    const guildId = world.guildOfChannel(message.channel_id);
    return { status: 204, after: () => effects.echo("MESSAGE_DELETE", { id: message.id, channel_id: message.channel_id, ...(guildId && { guild_id: guildId }) }) };
  }),

  route("POST", "/channels/:channel/messages/bulk-delete", ({ params, body }, world, effects) => {
    const channelId = params.channel ?? "";
    if (!world.channel(channelId)) return unknownChannel();
    const ids = ((body ?? {}) as { messages?: string[] }).messages ?? [];
    if (ids.length < 2 || ids.length > 100) return apiError(400, 50016, "Provided too few or too many messages to delete. Must provide at least 2 and fewer than 100 messages to delete.");
    for (const id of ids) world.messages.delete(id);
    const guildId = world.guildOfChannel(channelId);
    return { status: 204, after: () => effects.echo("MESSAGE_DELETE_BULK", { ids, channel_id: channelId, ...(guildId && { guild_id: guildId }) }) };
  }),

  // The emoji segment arrives URL-encoded ("%E2%AD%90" or "name:id"); the recorded path has it decoded.
  route("PUT", "/channels/:channel/messages/:message/reactions/:emoji/@me", ({ params }, world) =>
    world.messages.has(params.message ?? "") ? { status: 204 } : unknownMessage(),
  ),
  route("DELETE", "/channels/:channel/messages/:message/reactions/:emoji/:user", ({ params }, world) =>
    world.messages.has(params.message ?? "") ? { status: 204 } : unknownMessage(),
  ),
  route("DELETE", "/channels/:channel/messages/:message/reactions", () => ({ status: 204 })),

  route("POST", "/channels/:channel/typing", ({ params }, world) => (world.channel(params.channel ?? "") ? { status: 204 } : unknownChannel())),

  route("POST", "/channels/:channel/messages/:message/threads", ({ params, body }, world, effects) => {
    const name = (body as { name?: string } | null)?.name ?? "thread";
    if (!world.messages.has(params.message ?? "")) return unknownMessage();
    return startThread(world, effects, params.channel ?? "", name, params.message ?? null, false);
  }),
  route("POST", "/channels/:channel/threads", ({ params, body }, world, effects) => {
    const b = (body ?? {}) as { name?: string; type?: number };
    return startThread(world, effects, params.channel ?? "", b.name ?? "thread", null, b.type === ChannelType.PrivateThread);
  }),

  // Open a DM: answer a DM channel and remember it, so sending to it works.
  route("POST", "/users/@me/channels", ({ body }, world) => {
    const recipientId = (body as { recipient_id?: string } | null)?.recipient_id;
    if (!recipientId) return apiError(400, 50035, "Invalid Form Body");
    const existing = [...world.channels.values()].find(
      (c) => c.api.type === ChannelType.DM && "recipients" in c.api && c.api.recipients?.some((u) => u.id === recipientId),
    );
    if (existing) return { status: 200, body: existing.api };
    const dm: APIChannel = { id: world.ids.next(), type: ChannelType.DM, name: null, last_message_id: null, recipients: [world.user(recipientId)] };
    world.channels.set(dm.id, { api: dm, guildId: null });
    return { status: 200, body: dm };
  }),
];
