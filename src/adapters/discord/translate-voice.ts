import type { Guild, VoiceState } from "discord.js";
import { naturalKeys, type VoicePresenceChanged } from "../../core/events.js";
import { actorById, discordActor } from "./identity.js";

/**
 * Gateway voice states → neutral "joined / left a voice place" events (talk attendance). Discord
 * sends the member's whole new state; discord.js keeps the previous one, so a change of channel is
 * a left (the old channel) then a joined (the new one). Mute, deafen and video changes keep the
 * channel and say nothing. Voice states carry no time: they happen "now" by the engine's clock.
 *
 * After a restart discord.js knows who is in voice from GUILD_CREATE ({@link voiceSnapshot}); the
 * engine reconciles its sessions with that, so a leave missed while the bot was away earns nothing.
 */
export function voiceChanges(before: VoiceState, after: VoiceState, now: Date): VoicePresenceChanged[] {
  if (before.channelId === after.channelId) return [];
  const guildId = after.guild.id;
  const member = after.member ?? before.member;
  const actor = member ? discordActor(guildId, member.user, member) : actorById(guildId, after.id);
  const session = after.sessionId ?? before.sessionId ?? "none";
  const change = (kind: "voice.joined" | "voice.left", channelId: string): VoicePresenceChanged => ({
    kind,
    key: naturalKeys.discordVoice(guildId, actor.userId, channelId, session, kind === "voice.joined" ? "joined" : "left", now.getTime()),
    at: now,
    place: { platform: "discord", workspaceId: guildId, channelId },
    actor,
  });
  const events: VoicePresenceChanged[] = [];
  if (before.channelId) events.push(change("voice.left", before.channelId));
  if (after.channelId) events.push(change("voice.joined", after.channelId));
  return events;
}

/** Everyone in a voice or stage channel of the guild, as discord.js holds it from GUILD_CREATE. */
export function voiceSnapshot(guild: Guild): { channelId: string; actor: ReturnType<typeof discordActor> }[] {
  const present: { channelId: string; actor: ReturnType<typeof discordActor> }[] = [];
  for (const state of guild.voiceStates.cache.values()) {
    if (!state.channelId) continue;
    present.push({ channelId: state.channelId, actor: state.member ? discordActor(guild.id, state.member.user, state.member) : actorById(guild.id, state.id) });
  }
  return present;
}
