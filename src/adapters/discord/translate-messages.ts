import { ChannelType, type Message, type PartialMessage, PermissionFlagsBits } from "discord.js";
import { type MessageCreated, type MessageDeleted, type MessageEdited, naturalKeys } from "../../core/events.js";
import { discordActor, discordMemberRef, discordPlace } from "./identity.js";

/**
 * Gateway message events → neutral message events. Each function returns undefined for what the
 * engine should not hear: DMs (no server, so no community), bots (the bot itself included — Discord
 * echoes every message it posts), webhooks and system messages (joins, pins, "thread created").
 */
function fromPerson(message: Message | PartialMessage): boolean {
  if (message.partial) return true;
  return !message.author.bot && !message.webhookId && !message.system;
}

export function messageCreated(message: Message): MessageCreated | undefined {
  const guildId = message.guildId;
  if (!guildId || !fromPerson(message)) return undefined;
  const key = naturalKeys.discordMessage(message.id);
  const channel = message.channel;
  // A message in a thread replies to the thread's parent message, whose id is the thread's id
  // (Discord gives a thread started from a message that message's id). A forum post's first
  // message has the thread's own id: it starts the thread and is not a reply.
  const thread = channel.isThread() ? channel : undefined;
  const threadParentKey = thread && message.id !== thread.id ? naturalKeys.discordMessage(thread.id) : undefined;
  return {
    kind: "message.created",
    key,
    messageKey: key,
    at: message.createdAt,
    place: discordPlace(guildId, channel, message.channelId),
    author: discordActor(guildId, message.author, message.member),
    text: message.content,
    mentions: message.mentions.users.map((user) => discordMemberRef(guildId, user, message.mentions.members?.get(user.id))),
    ...(threadParentKey ? { threadParentKey } : {}),
    ...restrictedOf(message),
  };
}

/** Whether @everyone can't read where the message is (a private thread counts as restricted); nothing when unknown. */
function restrictedOf(message: Message): { restricted?: boolean } {
  const channel = message.channel;
  if (channel.type === ChannelType.PrivateThread) return { restricted: true };
  const everyone = message.guild?.roles.everyone;
  if (!everyone || channel.isDMBased()) return {};
  const permissions = channel.permissionsFor(everyone);
  return permissions ? { restricted: !permissions.has(PermissionFlagsBits.ViewChannel) } : {};
}

/**
 * Only real edits: discord.js also reports updates that are Discord filling in link previews,
 * which have no edit time.
 */
export function messageEdited(message: Message | PartialMessage): MessageEdited | undefined {
  const guildId = message.guildId;
  if (!guildId || message.partial || !fromPerson(message) || !message.editedAt) return undefined;
  const messageKey = naturalKeys.discordMessage(message.id);
  return {
    kind: "message.edited",
    // One edit, named by its edit time, so a re-delivered edit has the same key.
    key: naturalKeys.edited(messageKey, String(message.editedAt.getTime())),
    messageKey,
    at: message.editedAt,
    place: discordPlace(guildId, message.channel, message.channelId),
    author: discordActor(guildId, message.author, message.member),
    text: message.content,
  };
}

/**
 * A deletion, also of messages discord.js never cached (a partial carries only ids). Discord gives
 * no deletion time: `now` is the engine's clock.
 */
export function messageDeleted(message: Message | PartialMessage, now: Date): MessageDeleted | undefined {
  const guildId = message.guildId;
  if (!guildId || !fromPerson(message)) return undefined;
  const messageKey = naturalKeys.discordMessage(message.id);
  return {
    kind: "message.deleted",
    key: naturalKeys.deleted(messageKey),
    messageKey,
    at: now,
    place: discordPlace(guildId, message.channel, message.channelId),
  };
}
