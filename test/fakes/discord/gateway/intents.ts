/**
 * Which gateway intent an event needs, and what Discord withholds without the MessageContent intent.
 * Source: Discord docs topics/gateway#list-of-intents and #message-content-intent.
 *
 * Why the fake enforces this: a bot that forgot an intent works against a naive fake and then hears nothing in
 * production. Here the test fails instead, with a message naming the missing intent.
 */
import { GatewayIntentBits } from "discord.js";

const GUILD_ONLY: Record<string, number> = {
  GUILD_CREATE: GatewayIntentBits.Guilds,
  GUILD_UPDATE: GatewayIntentBits.Guilds,
  GUILD_DELETE: GatewayIntentBits.Guilds,
  GUILD_ROLE_CREATE: GatewayIntentBits.Guilds,
  GUILD_ROLE_UPDATE: GatewayIntentBits.Guilds,
  GUILD_ROLE_DELETE: GatewayIntentBits.Guilds,
  CHANNEL_CREATE: GatewayIntentBits.Guilds,
  CHANNEL_UPDATE: GatewayIntentBits.Guilds,
  CHANNEL_DELETE: GatewayIntentBits.Guilds,
  THREAD_CREATE: GatewayIntentBits.Guilds,
  THREAD_UPDATE: GatewayIntentBits.Guilds,
  THREAD_DELETE: GatewayIntentBits.Guilds,
  THREAD_LIST_SYNC: GatewayIntentBits.Guilds,
  GUILD_MEMBER_ADD: GatewayIntentBits.GuildMembers,
  GUILD_MEMBER_UPDATE: GatewayIntentBits.GuildMembers,
  GUILD_MEMBER_REMOVE: GatewayIntentBits.GuildMembers,
  GUILD_BAN_ADD: GatewayIntentBits.GuildModeration,
  GUILD_BAN_REMOVE: GatewayIntentBits.GuildModeration,
  VOICE_STATE_UPDATE: GatewayIntentBits.GuildVoiceStates,
  PRESENCE_UPDATE: GatewayIntentBits.GuildPresences,
  GUILD_SCHEDULED_EVENT_CREATE: GatewayIntentBits.GuildScheduledEvents,
  GUILD_SCHEDULED_EVENT_UPDATE: GatewayIntentBits.GuildScheduledEvents,
  GUILD_SCHEDULED_EVENT_DELETE: GatewayIntentBits.GuildScheduledEvents,
};

/** Events whose intent depends on guild vs DM. */
const BY_CONTEXT: Record<string, { guild: number; dm: number }> = {
  MESSAGE_CREATE: { guild: GatewayIntentBits.GuildMessages, dm: GatewayIntentBits.DirectMessages },
  MESSAGE_UPDATE: { guild: GatewayIntentBits.GuildMessages, dm: GatewayIntentBits.DirectMessages },
  MESSAGE_DELETE: { guild: GatewayIntentBits.GuildMessages, dm: GatewayIntentBits.DirectMessages },
  MESSAGE_DELETE_BULK: { guild: GatewayIntentBits.GuildMessages, dm: GatewayIntentBits.DirectMessages },
  MESSAGE_REACTION_ADD: { guild: GatewayIntentBits.GuildMessageReactions, dm: GatewayIntentBits.DirectMessageReactions },
  MESSAGE_REACTION_REMOVE: { guild: GatewayIntentBits.GuildMessageReactions, dm: GatewayIntentBits.DirectMessageReactions },
  MESSAGE_REACTION_REMOVE_ALL: { guild: GatewayIntentBits.GuildMessageReactions, dm: GatewayIntentBits.DirectMessageReactions },
  MESSAGE_REACTION_REMOVE_EMOJI: { guild: GatewayIntentBits.GuildMessageReactions, dm: GatewayIntentBits.DirectMessageReactions },
  TYPING_START: { guild: GatewayIntentBits.GuildMessageTyping, dm: GatewayIntentBits.DirectMessageTyping },
};

/** The intent bit an event needs, or null when it is always sent (READY, RESUMED, INTERACTION_CREATE, ...). */
export function requiredIntent(t: string, d: unknown): number | null {
  const fixed = GUILD_ONLY[t];
  if (fixed !== undefined) return fixed;
  const contextual = BY_CONTEXT[t];
  if (!contextual) return null;
  const inGuild = typeof d === "object" && d !== null && "guild_id" in d && Boolean((d as { guild_id?: unknown }).guild_id);
  return inGuild ? contextual.guild : contextual.dm;
}

export function intentName(bit: number): string {
  return Object.entries(GatewayIntentBits).find(([, value]) => value === bit)?.[0] ?? `intent ${bit}`;
}

interface MessageLike {
  author?: { id?: string };
  guild_id?: string;
  mentions?: { id: string }[];
  content?: string;
  embeds?: unknown[];
  attachments?: unknown[];
  components?: unknown[];
  poll?: unknown;
}

/**
 * Without MessageContent, guild messages arrive with content, embeds, attachments, components and poll emptied —
 * except the bot's own messages and messages that mention it (DMs are always full).
 */
export function withMessageContentRules(t: string, d: unknown, intents: number, botId: string): unknown {
  if (t !== "MESSAGE_CREATE" && t !== "MESSAGE_UPDATE") return d;
  if ((intents & GatewayIntentBits.MessageContent) !== 0) return d;
  const message = d as MessageLike;
  if (!message.guild_id) return d;
  if (message.author?.id === botId || message.mentions?.some((m) => m.id === botId)) return d;
  const { poll: _poll, ...rest } = message;
  return { ...rest, content: "", embeds: [], attachments: [], components: [] };
}
