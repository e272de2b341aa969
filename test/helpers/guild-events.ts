import { type ChatEvent, type CommandInvoked, type MessageCreated, type MessageDeleted, naturalKeys, type ReactionChanged } from "../../src/core/events.js";
import type { Actor, MemberRef, Place } from "../../src/core/identity.js";

/**
 * Event builders for any Discord-like guild (events.ts builds for the one guild `g1`). Many
 * guilds in one database are many communities, so a property test can run hundreds of streams
 * without a database each; ids are prefixed with the guild so keys never collide.
 */
export class GuildEvents {
  constructor(readonly guild: string) {}

  member(name: string, isBot = false): Actor {
    return { id: `discord:${this.guild}:${name}`, platform: "discord", workspaceId: this.guild, userId: name, displayName: name, isBot };
  }

  ref(name: string, isBot = false): MemberRef {
    return { id: `discord:${this.guild}:${name}`, displayName: name, isBot };
  }

  place(channelId = "general"): Place {
    return { platform: "discord", workspaceId: this.guild, channelId };
  }

  private messageKey(id: string): string {
    return naturalKeys.discordMessage(`${this.guild}-${id}`);
  }

  message(o: { id: string; by: Actor; at: Date; text?: string; thread?: string; mentions?: MemberRef[] }): MessageCreated {
    const key = this.messageKey(o.id);
    return {
      kind: "message.created",
      key,
      messageKey: key,
      at: o.at,
      place: this.place(),
      author: o.by,
      text: o.text ?? `message ${o.id}`,
      mentions: o.mentions ?? [],
      ...(o.thread ? { threadParentKey: this.messageKey(o.thread) } : {}),
    };
  }

  reaction(o: { message: string; by: Actor; at: Date; emoji?: string; added: boolean }): ReactionChanged {
    const emoji = o.emoji ?? "👍";
    return {
      kind: o.added ? "reaction.added" : "reaction.removed",
      key: naturalKeys.discordReaction(`${this.guild}-${o.message}`, o.by.userId, emoji),
      messageKey: this.messageKey(o.message),
      at: o.at,
      place: this.place(),
      actor: o.by,
      emoji,
    };
  }

  deletion(o: { message: string; at: Date }): MessageDeleted {
    const messageKey = this.messageKey(o.message);
    return { kind: "message.deleted", key: naturalKeys.deleted(messageKey), messageKey, at: o.at, place: this.place() };
  }

  thanksCommand(o: { id: string; by: Actor; to: MemberRef; at: Date }): CommandInvoked {
    return {
      kind: "command",
      key: naturalKeys.discordInteraction(`${this.guild}-${o.id}`),
      at: o.at,
      place: this.place(),
      actor: o.by,
      name: "thanks",
      options: { member: o.to },
    };
  }
}

/** Canonical order of events: time, then natural key; a reaction's add before its removal. */
export function byTimeThenKey(a: ChatEvent, b: ChatEvent): number {
  const at = a.at.getTime() - b.at.getTime();
  if (at !== 0) return at;
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}
