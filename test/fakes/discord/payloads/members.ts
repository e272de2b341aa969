/**
 * Builders for member joins and leaves (GUILD_MEMBER_ADD / GUILD_MEMBER_REMOVE; both need the GuildMembers intent).
 * Shapes: Discord docs topics/gateway-events#guild-member-add (a guild member object plus guild_id) and
 * #guild-member-remove (guild_id + user).
 */
import type { GatewayGuildMemberAddDispatchData, GatewayGuildMemberRemoveDispatchData } from "discord.js";
import type { FakeMemberSpec } from "../types.js";
import type { FakeWorld } from "../world.js";

export interface MemberAddInput extends FakeMemberSpec {
  guildId: string;
}

export interface MemberRemoveInput {
  guildId: string;
  userId: string;
}

export function memberAdd(world: FakeWorld, input: MemberAddInput): GatewayGuildMemberAddDispatchData {
  world.guild(input.guildId);
  const { guildId, ...spec } = input;
  return { ...world.describeMember(spec), guild_id: guildId };
}

export function memberRemove(world: FakeWorld, input: MemberRemoveInput): GatewayGuildMemberRemoveDispatchData {
  world.guild(input.guildId);
  return { guild_id: input.guildId, user: world.user(input.userId) };
}
