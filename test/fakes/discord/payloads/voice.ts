/**
 * VOICE_STATE_UPDATE (needs the GuildVoiceStates intent): a member joined (`channelId` set), moved
 * or left (`channelId: null`) a voice or stage channel. Shape: Discord docs
 * resources/voice#voice-state-object (guild_id, channel_id, user_id, member, session_id and the
 * mute/deaf flags); discord.js `src/client/actions/VoiceStateUpdate.js` reads `guild_id`,
 * `user_id`, `member` and `channel_id`.
 */
import type { GatewayVoiceStateUpdateDispatchData } from "discord.js";
import type { FakeWorld } from "../world.js";

export interface VoiceStateInput {
  guildId: string;
  userId: string;
  /** The channel now, or null when the member left voice. */
  channelId: string | null;
  sessionId?: string;
}

export function voiceStateUpdate(world: FakeWorld, input: VoiceStateInput): GatewayVoiceStateUpdateDispatchData {
  world.guild(input.guildId);
  if (input.channelId !== null && !world.channel(input.channelId)) throw new Error(`FakeDiscord: no channel ${input.channelId}`);
  return {
    guild_id: input.guildId,
    channel_id: input.channelId,
    user_id: input.userId,
    member: world.member(input.guildId, input.userId),
    session_id: input.sessionId ?? `voice-session-${input.userId}`,
    deaf: false,
    mute: false,
    self_deaf: false,
    self_mute: false,
    self_video: false,
    suppress: false,
    request_to_speak_timestamp: null,
  };
}
