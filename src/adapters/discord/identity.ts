import {
  type APIInteractionDataResolvedGuildMember,
  type APIInteractionGuildMember,
  type Channel,
  GuildMember,
  PermissionFlagsBits,
  type PermissionsBitField,
  type User,
} from "discord.js";
import { type Actor, type MemberRef, memberId, type Place } from "../../core/identity.js";

/**
 * Discord people and places as the engine's neutral Actor, MemberRef and Place. Everything is read
 * from the event's own payload (which always carries the member's roles and, for interactions, the
 * member's permissions), never from caches that may have evicted it.
 */
type AnyMember = GuildMember | APIInteractionGuildMember | APIInteractionDataResolvedGuildMember;

/** Nickname, else global display name, else username — what Discord shows in that server. */
export function displayNameOf(user: User, member?: AnyMember | null): string {
  if (member instanceof GuildMember) return member.displayName;
  return member?.nick ?? user.globalName ?? user.username;
}

function roleIdsOf(guildId: string, member: AnyMember | null | undefined): string[] | undefined {
  if (!member) return undefined;
  if (member instanceof GuildMember) return member.roles.cache.filter((role) => role.id !== guildId).map((role) => role.id);
  return [...member.roles];
}

/**
 * The person behind a message, reaction or interaction. `permissions` is the member's permission set
 * as an interaction reports it; with it the actor says whether Discord calls them a server admin.
 */
export function discordActor(guildId: string, user: User, member?: AnyMember | null, permissions?: Readonly<PermissionsBitField> | null): Actor {
  const roleIds = roleIdsOf(guildId, member);
  return {
    id: memberId("discord", guildId, user.id),
    platform: "discord",
    workspaceId: guildId,
    userId: user.id,
    displayName: displayNameOf(user, member),
    isBot: user.bot,
    ...(roleIds ? { roleIds } : {}),
    // `has` counts Administrator as having every permission, so this is "Manage Server or Administrator".
    ...(permissions ? { isPlatformAdmin: permissions.has(PermissionFlagsBits.ManageGuild) } : {}),
  };
}

/** Someone known only by id (a partial user): their name is unknown, so the id stands in. */
export function actorById(guildId: string, userId: string): Actor {
  return { id: memberId("discord", guildId, userId), platform: "discord", workspaceId: guildId, userId, displayName: userId, isBot: false };
}

export function discordMemberRef(guildId: string, user: User, member?: AnyMember | null): MemberRef {
  return { id: memberId("discord", guildId, user.id), displayName: displayNameOf(user, member), isBot: user.bot };
}

/**
 * Where something happened. A thread is reported as its parent channel plus the thread, so channel
 * rules (no-points channels, announcements) apply to the channel's threads too.
 */
export function discordPlace(guildId: string, channel: Channel | null, channelId: string): Place {
  if (channel?.isThread() && channel.parentId) {
    return { platform: "discord", workspaceId: guildId, channelId: channel.parentId, threadId: channel.id };
  }
  return { platform: "discord", workspaceId: guildId, channelId };
}

/** The Discord channel a place names: the thread when there is one. */
export function channelOfPlace(place: Place): string {
  return place.threadId ?? place.channelId;
}
