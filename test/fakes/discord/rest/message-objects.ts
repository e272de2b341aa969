/**
 * Turns what the bot POSTs/PATCHes (a message create/edit body) into the message object Discord answers with.
 * discord.js builds its Message from that answer, so it must be complete: id, channel_id, author, content,
 * timestamp, embeds, components, attachments, mentions, flags, type, message_reference.
 * Also holds the two validation errors a bot most often hits, so the fake fails where Discord would.
 */
import {
  MessageFlags,
  MessageReferenceType,
  MessageType,
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIMessageReference,
  type APIMessageTopLevelComponent,
} from "discord.js";
import type { RecordedFile } from "../types.js";
import type { FakeWorld } from "../world.js";

/** The parts of a create/edit body the fake reads (RESTPostAPIChannelMessageJSONBody, loosely). */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  tts?: boolean;
  message_reference?: APIMessageReference;
  attachments?: { id: string | number; filename?: string; description?: string }[];
  sticker_ids?: string[];
  poll?: unknown;
}

export interface ApiError {
  status: number;
  body: { code: number; message: string; errors?: unknown };
}

export function asMessageBody(value: unknown): MessageBody {
  return value !== null && typeof value === "object" ? (value as MessageBody) : {};
}

/** Discord's answers to the usual mistakes (codes from the docs' JSON error code table). */
export function validateMessageBody(body: MessageBody, files: RecordedFile[], isEdit: boolean): ApiError | null {
  const empty =
    !body.content && !(body.embeds?.length) && !(body.components?.length) && files.length === 0 &&
    !(body.sticker_ids?.length) && body.poll === undefined && !(body.attachments?.length);
  if (empty && !isEdit) return { status: 400, body: { code: 50006, message: "Cannot send an empty message" } };
  if (body.content !== undefined && body.content.length > 2000) {
    return {
      status: 400,
      body: {
        code: 50035,
        message: "Invalid Form Body",
        errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length." }] } },
      },
    };
  }
  if (body.embeds && body.embeds.length > 10) {
    return { status: 400, body: { code: 50035, message: "Invalid Form Body", errors: { embeds: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 10 or fewer in length." }] } } } };
  }
  return null;
}

function attachmentsFrom(world: FakeWorld, body: MessageBody, files: RecordedFile[], channelId: string): APIAttachment[] {
  return files.map((file, i) => {
    const id = world.ids.next();
    // `attachments[n]` describes `files[n]` (its id is n); discord.js sends only ids and descriptions.
    const meta = body.attachments?.find((a) => `files[${String(a.id)}]` === file.field) ?? body.attachments?.[i];
    const filename = meta?.filename ?? file.filename ?? `file${i}`;
    const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${filename}`;
    return {
      id,
      filename,
      size: file.size,
      url,
      proxy_url: url,
      ...(file.contentType && { content_type: file.contentType }),
      ...(meta?.description !== undefined && { description: meta.description }),
    };
  });
}

export interface NewMessageContext {
  channelId: string;
  /** Extra fields for interaction responses (webhook_id, application_id, interaction_metadata, type). */
  extra?: Partial<APIMessage>;
}

export function newBotMessage(world: FakeWorld, body: MessageBody, files: RecordedFile[], ctx: NewMessageContext): APIMessage {
  const reference = body.message_reference;
  const referenced = reference?.message_id ? world.messages.get(reference.message_id) : undefined;
  const guildId = world.guildOfChannel(ctx.channelId);
  return {
    id: world.ids.next(),
    channel_id: ctx.channelId,
    author: world.bot,
    content: body.content ?? "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: body.tts ?? false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: attachmentsFrom(world, body, files, ctx.channelId),
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    pinned: false,
    type: reference ? MessageType.Reply : MessageType.Default,
    // Only flags a sender may set survive (e.g. SuppressEmbeds, SuppressNotifications, Ephemeral via interactions).
    flags: (body.flags ?? 0) as MessageFlags,
    ...(reference && {
      message_reference: {
        type: reference.type ?? MessageReferenceType.Default,
        channel_id: reference.channel_id ?? ctx.channelId,
        ...(reference.message_id && { message_id: reference.message_id }),
        ...((reference.guild_id ?? guildId) && { guild_id: reference.guild_id ?? guildId ?? undefined }),
      },
      referenced_message: referenced ?? null,
    }),
    ...ctx.extra,
  };
}

/** Applies an edit body to a stored message, as PATCH does: only the fields sent change. */
export function editedMessage(world: FakeWorld, original: APIMessage, body: MessageBody, files: RecordedFile[]): APIMessage {
  const keptAttachments = body.attachments
    ? original.attachments.filter((a) => body.attachments?.some((kept) => String(kept.id) === a.id))
    : original.attachments;
  return {
    ...original,
    ...(body.content !== undefined && { content: body.content ?? "" }),
    ...(body.embeds !== undefined && { embeds: body.embeds ?? [] }),
    ...(body.components !== undefined && { components: body.components ?? [] }),
    ...(body.flags !== undefined && { flags: ((original.flags ?? 0) & MessageFlags.Ephemeral) | body.flags }),
    attachments: [...keptAttachments, ...attachmentsFrom(world, body, files, original.channel_id)],
    edited_timestamp: new Date().toISOString(),
  };
}
