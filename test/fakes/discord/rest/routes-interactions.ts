/**
 * Interaction responses: POST /interactions/{id}/{token}/callback and the webhook routes behind
 * editReply / followUp / fetchReply / deleteReply (/webhooks/{appId}/{token}[/messages/{id|@original}]).
 *
 * discord.js sends these without Authorization (auth: false) and always with `?with_response=false` unless the
 * bot asks for `withResponse`; then Discord answers 200 with an InteractionCallbackResponse instead of 204.
 * Callback types (docs interactions/receiving-and-responding#interaction-response-object-interaction-callback-type):
 * 4 reply, 5 deferReply, 6 deferUpdate, 7 update, 8 autocomplete, 9 showModal.
 */
import {
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  type APIMessage,
  type RESTPostAPIInteractionCallbackWithResponseResult,
} from "discord.js";
import { asMessageBody, editedMessage, newBotMessage, validateMessageBody, type MessageBody } from "./message-objects.js";
import { publishBotEdit, publishBotMessage } from "./routes-channels.js";
import { apiError, route, type RestEffects, type Route, type RouteResponse } from "./router.js";
import type { RecordedFile } from "../types.js";
import type { FakeWorld, InteractionContext } from "../world.js";

function isEphemeral(flags: number | undefined): boolean {
  return ((flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

/** Ephemeral messages exist only for the invoking user: Discord never dispatches them over the gateway. */
function publish(world: FakeWorld, effects: RestEffects, message: APIMessage): RouteResponse {
  if (!isEphemeral(message.flags)) return publishBotMessage(world, effects, message);
  world.messages.set(message.id, message);
  return { status: 200, body: message };
}

function publishEdit(world: FakeWorld, effects: RestEffects, message: APIMessage): RouteResponse {
  if (!isEphemeral(message.flags)) return publishBotEdit(world, effects, message);
  world.messages.set(message.id, message);
  return { status: 200, body: message };
}

/** A message sent as (or on behalf of) an interaction: webhook-authored, with interaction metadata. */
function interactionMessage(world: FakeWorld, ctx: InteractionContext, body: MessageBody, files: RecordedFile[]): APIMessage {
  return newBotMessage(world, body, files, {
    channelId: ctx.channelId ?? "",
    extra: {
      webhook_id: ctx.applicationId,
      application_id: ctx.applicationId,
      type: ctx.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
      interaction_metadata: {
        id: ctx.id,
        type: ctx.type,
        user: world.user(ctx.userId),
        authorizing_integration_owners: ctx.guildId ? { 0: ctx.guildId } : {},
        ...(ctx.originalMessageId && { original_response_message_id: ctx.originalMessageId }),
      } as APIMessage["interaction_metadata"],
    },
  });
}

function callbackResult(ctx: InteractionContext, type: InteractionResponseType, message: APIMessage | undefined): RESTPostAPIInteractionCallbackWithResponseResult {
  return {
    interaction: {
      id: ctx.id,
      type: ctx.type,
      ...(message && {
        response_message_id: message.id,
        response_message_loading: ((message.flags ?? 0) & MessageFlags.Loading) !== 0,
        response_message_ephemeral: isEphemeral(message.flags),
      }),
    },
    resource: { type, ...(message && { message }) },
  };
}

function callback(world: FakeWorld, effects: RestEffects, params: Record<string, string>, query: URLSearchParams, rawBody: unknown, files: RecordedFile[]): RouteResponse {
  const ctx = world.interactions.get(params.token ?? "");
  if (!ctx || ctx.id !== params.interaction) return apiError(404, 10062, "Unknown interaction");
  if (ctx.acknowledged) return apiError(400, 40060, "Interaction has already been acknowledged.");
  const { type, data } = (rawBody ?? {}) as { type?: InteractionResponseType; data?: unknown };
  const body = asMessageBody(data);

  let produced: RouteResponse | null = null;
  let message: APIMessage | undefined;
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const invalid = validateMessageBody(body, files, false);
      if (invalid) return invalid;
      message = interactionMessage(world, ctx, body, files);
      ctx.originalMessageId = message.id;
      produced = publish(world, effects, message);
      break;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      // The "Bot is thinking..." placeholder: an empty message flagged Loading, ephemeral if asked.
      message = interactionMessage(world, ctx, { content: "", flags: MessageFlags.Loading | (body.flags ?? 0) }, []);
      ctx.originalMessageId = message.id;
      produced = publish(world, effects, message);
      break;
    }
    case InteractionResponseType.DeferredMessageUpdate:
      // @original now means the message the component sits on.
      ctx.originalMessageId = ctx.messageId;
      break;
    case InteractionResponseType.UpdateMessage: {
      if (ctx.type !== InteractionType.MessageComponent && !ctx.messageId) return apiError(400, 40060, "Interaction has no message to update");
      const original = ctx.messageId ? world.messages.get(ctx.messageId) : undefined;
      if (!original) return apiError(404, 10008, "Unknown Message");
      ctx.originalMessageId = original.id;
      message = editedMessage(world, original, body, files);
      produced = publishEdit(world, effects, message);
      break;
    }
    case InteractionResponseType.Modal:
      if (ctx.type === InteractionType.ModalSubmit) return apiError(400, 50035, "Invalid Form Body: cannot respond to a modal with a modal");
      break;
    case InteractionResponseType.ApplicationCommandAutocompleteResult:
      break;
    default:
      return apiError(400, 50035, `Invalid Form Body: unsupported callback type ${String(type)}`);
  }
  ctx.acknowledged = true;

  const wantsResponse = query.get("with_response") === "true";
  return {
    status: wantsResponse ? 200 : 204,
    ...(wantsResponse && { body: callbackResult(ctx, type, message) }),
    ...(produced?.after && { after: produced.after }),
  };
}

function webhookContext(world: FakeWorld, params: Record<string, string>): InteractionContext | RouteResponse {
  const ctx = world.interactions.get(params.token ?? "");
  if (!ctx || params.app !== ctx.applicationId) return apiError(404, 10015, "Unknown Webhook");
  return ctx;
}

function isResponse(value: InteractionContext | RouteResponse): value is RouteResponse {
  return "status" in value;
}

/** Resolves `@original` (as sent, or URL-decoded from %40original) or an id to a stored message of this interaction. */
function targetMessage(world: FakeWorld, ctx: InteractionContext, messageParam: string): APIMessage | undefined {
  const id = messageParam === "@original" ? ctx.originalMessageId : messageParam;
  return id ? world.messages.get(id) : undefined;
}

export const interactionRoutes: Route[] = [
  route("POST", "/interactions/:interaction/:token/callback", ({ params, query, body, files }, world, effects) => callback(world, effects, params, query, body, files), false),

  // followUp(): a new message from the interaction's webhook.
  route("POST", "/webhooks/:app/:token", ({ params, body, files }, world, effects) => {
    const ctx = webhookContext(world, params);
    if (isResponse(ctx)) return ctx;
    const msgBody = asMessageBody(body);
    const invalid = validateMessageBody(msgBody, files, false);
    if (invalid) return invalid;
    return publish(world, effects, interactionMessage(world, ctx, msgBody, files));
  }, false),

  route("GET", "/webhooks/:app/:token/messages/:message", ({ params }, world) => {
    const ctx = webhookContext(world, params);
    if (isResponse(ctx)) return ctx;
    const message = targetMessage(world, ctx, params.message ?? "");
    return message ? { status: 200, body: message } : apiError(404, 10008, "Unknown Message");
  }, false),

  // editReply(): edits @original (the reply, the deferred placeholder, or after update/deferUpdate the component's message).
  route("PATCH", "/webhooks/:app/:token/messages/:message", ({ params, body, files }, world, effects) => {
    const ctx = webhookContext(world, params);
    if (isResponse(ctx)) return ctx;
    const original = targetMessage(world, ctx, params.message ?? "");
    if (!original) return apiError(404, 10008, "Unknown Message");
    const msgBody = asMessageBody(body);
    const invalid = validateMessageBody(msgBody, files, true);
    if (invalid) return invalid;
    const edited = editedMessage(world, original, msgBody, files);
    // Editing the deferred placeholder turns it into the real answer.
    edited.flags = ((edited.flags ?? 0) & ~MessageFlags.Loading) as MessageFlags;
    return publishEdit(world, effects, edited);
  }, false),

  route("DELETE", "/webhooks/:app/:token/messages/:message", ({ params }, world, effects) => {
    const ctx = webhookContext(world, params);
    if (isResponse(ctx)) return ctx;
    const message = targetMessage(world, ctx, params.message ?? "");
    if (!message) return apiError(404, 10008, "Unknown Message");
    world.messages.delete(message.id);
    const guildId = world.guildOfChannel(message.channel_id);
    return {
      status: 204,
      after: () => {
        if (!isEphemeral(message.flags)) effects.echo("MESSAGE_DELETE", { id: message.id, channel_id: message.channel_id, ...(guildId && { guild_id: guildId }) });
      },
    };
  }, false),
];
