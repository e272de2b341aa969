import { naturalKeys, type CommandInvoked, type MessageCreated, type MessageDeleted, type ReactionChanged } from "../../src/core/events.js";
import type { Actor, MemberRef, Place } from "../../src/core/identity.js";

/** Short builders for neutral events in one Discord-like test guild. */
export const GUILD = "g1";

export function member(name: string, extra: Partial<Actor> = {}): Actor {
  return { id: `discord:${GUILD}:${name}`, platform: "discord", workspaceId: GUILD, userId: name, displayName: name, isBot: false, ...extra };
}

export function ref(name: string): MemberRef {
  return { id: `discord:${GUILD}:${name}`, displayName: name };
}

export function place(channelId = "general", threadId?: string): Place {
  return { platform: "discord", workspaceId: GUILD, channelId, ...(threadId ? { threadId } : {}) };
}

export function message(o: { id: string; by: Actor; at: Date | string; text?: string; channel?: string; thread?: string; mentions?: MemberRef[] }): MessageCreated {
  const key = naturalKeys.discordMessage(o.id);
  return {
    kind: "message.created",
    key,
    messageKey: key,
    at: new Date(o.at),
    place: place(o.channel, o.thread),
    author: o.by,
    text: o.text ?? `message ${o.id}`,
    mentions: o.mentions ?? [],
    ...(o.thread ? { threadParentKey: naturalKeys.discordMessage(o.thread) } : {}),
  };
}

export function reaction(o: { message: string; by: Actor; at: Date | string; emoji?: string; added?: boolean; channel?: string; author?: MemberRef }): ReactionChanged {
  const emoji = o.emoji ?? "👍";
  return {
    kind: o.added === false ? "reaction.removed" : "reaction.added",
    key: naturalKeys.discordReaction(o.message, o.by.userId, emoji),
    messageKey: naturalKeys.discordMessage(o.message),
    at: new Date(o.at),
    place: place(o.channel),
    actor: o.by,
    emoji,
    ...(o.author ? { messageAuthor: o.author } : {}),
  };
}

export function deletion(o: { message: string; at: Date | string; channel?: string }): MessageDeleted {
  const messageKey = naturalKeys.discordMessage(o.message);
  return { kind: "message.deleted", key: `${messageKey}:deleted`, messageKey, at: new Date(o.at), place: place(o.channel) };
}

let commandCounter = 0;
export function command(o: { name: string; by: Actor; at?: Date | string; subcommand?: string; options?: Record<string, unknown>; id?: string }): CommandInvoked {
  return {
    kind: "command",
    key: naturalKeys.discordInteraction(o.id ?? `i${++commandCounter}`),
    at: new Date(o.at ?? "2026-11-26T12:00:00Z"),
    place: place(),
    actor: o.by,
    name: o.name,
    ...(o.subcommand ? { subcommand: o.subcommand } : {}),
    options: o.options ?? {},
  };
}
