/**
 * Builders for message-shaped gateway dispatches: MESSAGE_CREATE / UPDATE / DELETE, MESSAGE_REACTION_ADD / REMOVE,
 * THREAD_CREATE. Each returns the `d` of the dispatch, typed with discord-api-types (re-exported by discord.js), so a
 * missing or misspelt field is a compile error instead of a silently dropped event.
 *
 * Shapes follow the Discord gateway docs (topics/gateway-events) and what discord.js 14 reads in
 * src/client/actions/{MessageCreate,MessageUpdate,MessageDelete,MessageReactionAdd,MessageReactionRemove}.js.
 */
import {
  MessageReferenceType,
  type MessageFlags,
  type TextChannelType,
  MessageType,
  ReactionType,
  type APIEmbed,
  type APIGuildMember,
  type APIMessageTopLevelComponent,
  type APIThreadChannel,
  type APIUserWithMember,
  type GatewayMessageCreateDispatchData,
  type GatewayMessageDeleteDispatchData,
  type GatewayMessageReactionAddDispatchData,
  type GatewayMessageReactionRemoveDispatchData,
  type GatewayMessageUpdateDispatchData,
  type GatewayThreadCreateDispatchData,
  type APIGuildMemberNoUser,
} from "discord.js";
import type { FakeWorld } from "../world.js";

export interface MessageCreateInput {
  channelId: string;
  authorId: string;
  content: string;
  /** Defaults to the channel's guild (threads included); pass null for a DM. */
  guildId?: string | null;
  /** Defaults to a fresh snowflake. Reusing an id lets a test replay "the same" message. */
  id?: string;
  /** Marks the author as a bot (for the "ignore other bots" path). */
  bot?: boolean;
  /** User ids mentioned; they get `<@id>` semantics (Discord resolves them into `mentions` with member data). */
  mentions?: string[];
  mentionRoles?: string[];
  mentionEveryone?: boolean;
  /** Makes the message a reply to this message id (type 19 + message_reference). */
  replyTo?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  /** Set to make the message come from a webhook (webhook messages have no member). */
  webhookId?: string;
  timestamp?: string;
}

export interface MessageUpdateInput {
  id: string;
  channelId: string;
  content: string;
  guildId?: string | null;
  /** Needed only when the fake has not seen the original message. */
  authorId?: string;
  editedAt?: string;
  embeds?: APIEmbed[];
}

export interface MessageRefInput {
  id: string;
  channelId: string;
  guildId?: string | null;
}

export interface ReactionInput {
  userId: string;
  messageId: string;
  channelId: string;
  guildId?: string | null;
  /** Unicode emoji: `{ name: "⭐" }`. Custom emoji: `{ name: "kudos", id: "123" }`. */
  emoji: { name: string; id?: string; animated?: boolean };
  /** Defaults to the author of the message if the fake knows it. */
  messageAuthorId?: string;
  burst?: boolean;
}

export interface ThreadCreateInput {
  parentId: string;
  id?: string;
  name?: string;
  ownerId?: string;
  guildId?: string;
  kind?: "public_thread" | "private_thread";
  /** True for a thread just made; false for one the bot was merely added to. Defaults to true. */
  newlyCreated?: boolean;
}

/** Strips `user` from a member: gateway message events carry the user separately as `author`. */
export function memberWithoutUser(member: APIGuildMember): APIGuildMemberNoUser {
  const { user: _user, ...rest } = member;
  return { ...rest, joined_at: rest.joined_at ?? new Date(0).toISOString() };
}

/**
 * The guild a channel belongs to. An unknown channel is an error rather than "must be a DM": discord.js silently
 * drops events for channels it does not know, and a test that never fires is the hardest kind to debug.
 */
function resolveGuild(world: FakeWorld, channelId: string, guildId: string | null | undefined): string | null {
  if (guildId !== undefined) return guildId;
  if (!world.channel(channelId)) {
    throw new Error(
      `FakeDiscord: channel ${channelId} is unknown to the fake. Add it to a guild's channels, dispatch a ` +
        `THREAD_CREATE for it first, or pass guildId explicitly (null for a DM).`,
    );
  }
  return world.guildOfChannel(channelId);
}

export function messageCreate(world: FakeWorld, input: MessageCreateInput): GatewayMessageCreateDispatchData {
  const id = input.id ?? world.ids.next();
  const guildId = resolveGuild(world, input.channelId, input.guildId);
  const author = world.user(input.authorId, input.bot ? { bot: true } : {});
  if (input.bot) author.bot = true;
  const mentions: APIUserWithMember[] = (input.mentions ?? []).map((userId) => ({
    ...world.user(userId),
    ...(guildId && { member: memberWithoutUser(world.member(guildId, userId)) }),
  }));
  const channelType = world.channel(input.channelId)?.api.type;
  const referenced = input.replyTo ? world.messages.get(input.replyTo) : undefined;
  return {
    id,
    channel_id: input.channelId,
    ...(guildId && { guild_id: guildId }),
    author,
    // Webhook messages have no member; everything else in a guild does.
    ...(guildId && !input.webhookId && { member: memberWithoutUser(world.member(guildId, input.authorId)) }),
    ...(input.webhookId && { webhook_id: input.webhookId }),
    content: input.content,
    timestamp: input.timestamp ?? new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: input.mentionEveryone ?? false,
    mentions,
    mention_roles: input.mentionRoles ?? [],
    attachments: [],
    embeds: input.embeds ?? [],
    components: input.components ?? [],
    pinned: false,
    type: input.replyTo ? MessageType.Reply : MessageType.Default,
    flags: 0 as MessageFlags,
    ...(input.replyTo && {
      message_reference: {
        type: MessageReferenceType.Default,
        message_id: input.replyTo,
        channel_id: input.channelId,
        ...(guildId && { guild_id: guildId }),
      },
      referenced_message: referenced ?? null,
    }),
    // Discord adds the channel's type; discord.js uses it to build a partial channel it has not cached.
    ...(channelType !== undefined && { channel_type: channelType as TextChannelType }),
  };
}

/**
 * MESSAGE_UPDATE: since 2024 Discord sends the whole message, so this starts from the message the fake already knows
 * (sent by the bot over REST, or dispatched earlier) and applies the edit.
 */
export function messageUpdate(world: FakeWorld, input: MessageUpdateInput): GatewayMessageUpdateDispatchData {
  const known = world.messages.get(input.id);
  const authorId = input.authorId ?? known?.author.id;
  if (!authorId) {
    throw new Error(`FakeDiscord.messageUpdate: message ${input.id} is unknown to the fake; pass authorId`);
  }
  const base = known ?? messageCreate(world, { channelId: input.channelId, authorId, content: input.content, id: input.id, guildId: input.guildId });
  const guildId = resolveGuild(world, input.channelId, input.guildId);
  return {
    ...base,
    ...(guildId && { guild_id: guildId }),
    ...(guildId && !base.webhook_id && { member: memberWithoutUser(world.member(guildId, authorId)) }),
    content: input.content,
    ...(input.embeds && { embeds: input.embeds }),
    edited_timestamp: input.editedAt ?? new Date().toISOString(),
  };
}

export function messageDelete(world: FakeWorld, input: MessageRefInput): GatewayMessageDeleteDispatchData {
  const guildId = resolveGuild(world, input.channelId, input.guildId);
  return { id: input.id, channel_id: input.channelId, ...(guildId && { guild_id: guildId }) };
}

export function reactionAdd(world: FakeWorld, input: ReactionInput): GatewayMessageReactionAddDispatchData {
  const guildId = resolveGuild(world, input.channelId, input.guildId);
  const messageAuthorId = input.messageAuthorId ?? world.messages.get(input.messageId)?.author.id;
  return {
    user_id: input.userId,
    channel_id: input.channelId,
    message_id: input.messageId,
    ...(guildId && { guild_id: guildId, member: world.member(guildId, input.userId) }),
    ...(messageAuthorId && { message_author_id: messageAuthorId }),
    emoji: { id: input.emoji.id ?? null, name: input.emoji.name, ...(input.emoji.animated !== undefined && { animated: input.emoji.animated }) },
    burst: input.burst ?? false,
    burst_colors: [],
    type: input.burst ? ReactionType.Super : ReactionType.Normal,
  };
}

/** MESSAGE_REACTION_REMOVE carries no member and no message author (Discord docs, gateway-events#message-reaction-remove). */
export function reactionRemove(world: FakeWorld, input: ReactionInput): GatewayMessageReactionRemoveDispatchData {
  const guildId = resolveGuild(world, input.channelId, input.guildId);
  return {
    user_id: input.userId,
    channel_id: input.channelId,
    message_id: input.messageId,
    ...(guildId && { guild_id: guildId }),
    emoji: { id: input.emoji.id ?? null, name: input.emoji.name, ...(input.emoji.animated !== undefined && { animated: input.emoji.animated }) },
    burst: input.burst ?? false,
    type: input.burst ? ReactionType.Super : ReactionType.Normal,
  };
}

export function threadCreate(world: FakeWorld, input: ThreadCreateInput): GatewayThreadCreateDispatchData {
  const guildId = input.guildId ?? world.guildOfChannel(input.parentId);
  if (!guildId) throw new Error(`FakeDiscord.threadCreate: parent channel ${input.parentId} is unknown; pass guildId`);
  const thread = world.describeChannel(guildId, {
    id: input.id ?? world.ids.next(),
    kind: input.kind ?? "public_thread",
    parentId: input.parentId,
    ...(input.name !== undefined && { name: input.name }),
    ...(input.ownerId !== undefined && { ownerId: input.ownerId }),
  }) as APIThreadChannel;
  return { ...thread, ...(input.newlyCreated !== false && { newly_created: true as const }) };
}
