/**
 * The fake's model of Discord: users, guilds, roles, members, channels, threads and the messages it has seen.
 *
 * Both halves of the fake read it: the gateway (READY / GUILD_CREATE, dispatch builders that fill in authors and
 * members) and REST (role grants change member roles, sent messages become fetchable). Keeping one model is what makes
 * "bot posts a message, user clicks its button, bot fetches the message" behave like the real thing.
 */
import {
  ChannelType,
  GuildFeature,
  PermissionFlagsBits,
  type ApplicationFlags,
  type ChannelFlags,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  type RoleFlags,
  type UserFlags,
  type APIApplicationCommand,
  type APIChannel,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GatewayReadyDispatchData,
} from "discord.js";
import { MessageGuards } from "./rest/message-guards.js";
import { SnowflakeFactory, snowflakeTime } from "./snowflake.js";
import type { FakeChannelKind, FakeChannelSpec, FakeDiscordOptions, FakeGuildSpec, FakeMemberSpec, FakeRoleSpec } from "./types.js";

const CHANNEL_TYPES: Record<FakeChannelKind, ChannelType> = {
  text: ChannelType.GuildText,
  announcement: ChannelType.GuildAnnouncement,
  forum: ChannelType.GuildForum,
  voice: ChannelType.GuildVoice,
  category: ChannelType.GuildCategory,
  public_thread: ChannelType.PublicThread,
  private_thread: ChannelType.PrivateThread,
};

const P = PermissionFlagsBits;

/** What @everyone can do in a typical community server. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  P.ViewChannel | P.SendMessages | P.SendMessagesInThreads | P.CreatePublicThreads | P.ReadMessageHistory |
  P.AddReactions | P.EmbedLinks | P.AttachFiles | P.UseExternalEmojis | P.UseApplicationCommands |
  P.ChangeNickname | P.CreateInstantInvite | P.Connect | P.Speak;

/** What a community bot is usually invited with. */
export const DEFAULT_BOT_PERMISSIONS =
  P.ViewChannel | P.SendMessages | P.SendMessagesInThreads | P.CreatePublicThreads | P.ManageThreads |
  P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory | P.AddReactions | P.UseExternalEmojis |
  P.ManageRoles | P.ManageMessages;

/** Fixed join date so payloads are stable across runs. */
const LONG_AGO = "2023-01-01T00:00:00.000Z";

export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  roles: APIRole[];
  /** userId → member; roles are mutated by REST role grants. */
  members: Map<string, APIGuildMember>;
  channelIds: string[];
  joinedAt: string;
  /** Id of the bot's managed role. */
  botRoleId: string;
  /** User ids banned through REST. */
  bans: Set<string>;
}

export interface ChannelState {
  api: APIChannel;
  guildId: string | null;
}

/** What REST needs to know about an interaction the fake handed out (looked up by token). */
export interface InteractionContext {
  id: string;
  /** InteractionType: 2 command, 3 component, 5 modal submit. */
  type: number;
  token: string;
  applicationId: string;
  guildId: string | null;
  channelId: string | null;
  userId: string;
  /** The message a component interaction came from (`update()` edits it). */
  messageId: string | null;
  /** Id of the message created by the initial response, once there is one (`@original`). */
  originalMessageId: string | null;
  /** Set by the first callback; Discord answers a second one with 40060 "already acknowledged". */
  acknowledged: boolean;
}

function toPermissionString(value: bigint | string | undefined, fallback: bigint): string {
  if (value === undefined) return fallback.toString();
  return typeof value === "bigint" ? value.toString() : value;
}

export class FakeWorld {
  readonly ids = new SnowflakeFactory();
  readonly bot: APIUser;
  readonly applicationId: string;
  readonly guilds = new Map<string, GuildState>();
  readonly users = new Map<string, APIUser>();
  readonly channels = new Map<string, ChannelState>();
  /** Every message the fake created or dispatched, by id (latest version). */
  readonly messages = new Map<string, APIMessage & { guild_id?: string }>();
  readonly interactions = new Map<string, InteractionContext>();
  /** Registered application commands by scope ("global" or a guild id), as PUT .../commands left them. */
  readonly commands = new Map<string, APIApplicationCommand[]>();
  /** Nonce de-duplication, closed DMs and delete permissions (rest/message-guards.ts). */
  readonly messageGuards: MessageGuards;
  /** Ids handed to commands by name, so re-registering keeps an id (Discord does) and interactions agree with it. */
  private readonly commandIds = new Map<string, string>();

  constructor(options: FakeDiscordOptions) {
    this.messageGuards = new MessageGuards(options.nonceWindowMs);
    const botId = options.botUserId ?? this.ids.next();
    this.applicationId = options.applicationId ?? botId;
    this.bot = {
      id: botId,
      username: options.botUsername ?? "guildkeeper",
      discriminator: "0",
      global_name: null,
      avatar: null,
      bot: true,
      verified: true,
      mfa_enabled: false,
      flags: 0 as UserFlags,
      public_flags: 0 as UserFlags,
    };
    this.users.set(botId, this.bot);
    const botPermissions = toPermissionString(options.botPermissions, DEFAULT_BOT_PERMISSIONS);
    for (const spec of options.guilds ?? []) this.addGuild(spec, botPermissions);
  }

  /** A known user, or a plausible one made up on the spot (and remembered, so it stays the same). */
  user(id: string, overrides: Partial<APIUser> = {}): APIUser {
    const known = this.users.get(id);
    if (known) return known;
    const made: APIUser = {
      id,
      username: `user${id.slice(-4)}`,
      discriminator: "0",
      global_name: null,
      avatar: null,
      public_flags: 0 as UserFlags,
      ...overrides,
    };
    this.users.set(id, made);
    return made;
  }

  guild(id: string): GuildState {
    const guild = this.guilds.get(id);
    if (!guild) throw new Error(`FakeDiscord: unknown guild ${id}; add it to the options' guilds`);
    return guild;
  }

  /** The member record; a user the guild spec did not list is made a plain member, as if they had just joined. */
  member(guildId: string, userId: string): APIGuildMember {
    const guild = this.guild(guildId);
    let member = guild.members.get(userId);
    if (!member) {
      member = this.makeMember({ userId }, LONG_AGO);
      guild.members.set(userId, member);
    }
    return member;
  }

  /** Permissions a member has guild-wide (roles OR-ed, admin and owner get everything), as Discord computes them. */
  memberPermissions(guildId: string, userId: string): bigint {
    const guild = this.guild(guildId);
    if (guild.ownerId === userId) return this.allPermissions();
    const member = this.member(guildId, userId);
    let bits = 0n;
    for (const role of guild.roles) {
      if (role.id === guild.id || member.roles.includes(role.id)) bits |= BigInt(role.permissions);
    }
    return (bits & P.Administrator) !== 0n ? this.allPermissions() : bits;
  }

  channel(id: string): ChannelState | undefined {
    return this.channels.get(id);
  }

  /** Guild of a channel (threads included), or null for DMs / unknown channels. */
  guildOfChannel(channelId: string): string | null {
    return this.channels.get(channelId)?.guildId ?? null;
  }

  /** Adds a channel (e.g. a thread made by THREAD_CREATE or by REST) so later messages in it resolve. */
  addChannel(guildId: string, spec: FakeChannelSpec): APIChannel {
    const api = this.describeChannel(guildId, spec);
    this.channels.set(spec.id, { api, guildId });
    this.guild(guildId).channelIds.push(spec.id);
    return api;
  }

  /** The id of the command with this name in this scope (stable across re-registration); made up if never registered. */
  commandId(name: string, guildId: string | null): string {
    const registered = (guildId && this.commands.get(guildId)?.find((c) => c.name === name)) || this.commands.get("global")?.find((c) => c.name === name);
    if (registered) return registered.id;
    return this.idForCommand(guildId ?? "global", name);
  }

  /** A stable id for a command name within a scope ("global" or a guild id). */
  idForCommand(scope: string, name: string): string {
    const key = `${scope}/${name}`;
    let id = this.commandIds.get(key);
    if (!id) {
      id = this.ids.next();
      this.commandIds.set(key, id);
    }
    return id;
  }

  grantRole(guildId: string, userId: string, roleId: string): void {
    const member = this.member(guildId, userId);
    if (!member.roles.includes(roleId)) member.roles.push(roleId);
  }

  revokeRole(guildId: string, userId: string, roleId: string): void {
    const member = this.member(guildId, userId);
    member.roles = member.roles.filter((r) => r !== roleId);
  }

  /**
   * Keeps the model in step with what the client was told: a dispatched message becomes fetchable, a dispatched
   * thread becomes a known channel, and so on. Without this, "user posts, bot fetches it back" would 404.
   */
  observeDispatch(t: string, d: unknown): void {
    switch (t) {
      case "MESSAGE_CREATE":
      case "MESSAGE_UPDATE": {
        const message = d as APIMessage & { guild_id?: string; member?: unknown };
        const { member: _member, ...stored } = message;
        this.messages.set(message.id, { ...this.messages.get(message.id), ...stored });
        break;
      }
      case "MESSAGE_DELETE":
        this.messages.delete((d as { id: string }).id);
        break;
      case "THREAD_CREATE":
      case "CHANNEL_CREATE": {
        const channel = d as APIChannel & { guild_id?: string; newly_created?: boolean };
        if (!this.channels.has(channel.id) && channel.guild_id && this.guilds.has(channel.guild_id)) {
          const { newly_created: _new, ...api } = channel;
          this.channels.set(channel.id, { api: api as APIChannel, guildId: channel.guild_id });
          this.guild(channel.guild_id).channelIds.push(channel.id);
        }
        break;
      }
      case "GUILD_MEMBER_ADD": {
        const added = d as APIGuildMember & { guild_id: string };
        const { guild_id: guildId, ...member } = added;
        this.guilds.get(guildId)?.members.set(member.user.id, member);
        break;
      }
      case "GUILD_MEMBER_REMOVE": {
        const removed = d as { guild_id: string; user: APIUser };
        this.guilds.get(removed.guild_id)?.members.delete(removed.user.id);
        break;
      }
      case "GUILD_MEMBER_UPDATE": {
        const update = d as { guild_id: string; user: APIUser; roles: string[] };
        if (this.guilds.has(update.guild_id)) this.member(update.guild_id, update.user.id).roles = [...update.roles];
        break;
      }
      default:
        break;
    }
  }

  readyPayload(sessionId: string, resumeGatewayUrl: string): GatewayReadyDispatchData {
    return {
      v: 10,
      user: this.bot,
      // READY lists every guild as unavailable; each one then arrives as its own GUILD_CREATE.
      guilds: [...this.guilds.keys()].map((id) => ({ id, unavailable: true })),
      session_id: sessionId,
      resume_gateway_url: resumeGatewayUrl,
      shard: [0, 1],
      application: { id: this.applicationId, flags: 0 as ApplicationFlags, flags_new: "0" },
    };
  }

  guildCreatePayload(guildId: string): GatewayGuildCreateDispatchData {
    const g = this.guild(guildId);
    const channels = g.channelIds.map((id) => this.channels.get(id)?.api).filter((c): c is APIChannel => c !== undefined);
    const isThread = (c: APIChannel): boolean =>
      c.type === ChannelType.PublicThread || c.type === ChannelType.PrivateThread || c.type === ChannelType.AnnouncementThread;
    return {
      id: g.id,
      name: g.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: g.ownerId,
      region: "",
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 2,
      roles: g.roles,
      emojis: [],
      features: [GuildFeature.Community],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      max_presences: null,
      max_members: 500_000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: "en-US" as GatewayGuildCreateDispatchData["preferred_locale"],
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      stickers: [],
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
      // GUILD_CREATE-only fields:
      joined_at: g.joinedAt,
      large: false,
      unavailable: false,
      member_count: g.members.size,
      voice_states: [],
      members: [...g.members.values()],
      channels: channels.filter((c) => !isThread(c)) as GatewayGuildCreateDispatchData["channels"],
      threads: channels.filter(isThread) as GatewayGuildCreateDispatchData["threads"],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  private allPermissions(): bigint {
    return Object.values(P).reduce((acc, bit) => acc | bit, 0n);
  }

  private addGuild(spec: FakeGuildSpec, botPermissions: string): void {
    const joinedAt = LONG_AGO;
    const maxPosition = Math.max(0, ...(spec.roles ?? []).map((r, i) => r.position ?? i + 1));
    const botRoleId = this.ids.next();
    const roles: APIRole[] = [
      // @everyone: its id is the guild id, and discord.js relies on that (guild.roles.everyone).
      this.makeRole({ id: spec.id, name: "@everyone", permissions: toPermissionString(spec.everyonePermissions, DEFAULT_EVERYONE_PERMISSIONS), position: 0 }),
      ...(spec.roles ?? []).map((r, i) => this.makeRole({ ...r, position: r.position ?? i + 1 })),
      // The bot's integration role sits above the configured roles, as after a normal invite, so it may grant them.
      { ...this.makeRole({ id: botRoleId, name: this.bot.username, permissions: botPermissions, position: maxPosition + 1, managed: true }), tags: { bot_id: this.bot.id } },
    ];

    const members = new Map<string, APIGuildMember>();
    for (const m of spec.members ?? []) members.set(m.userId, this.makeMember(m, joinedAt));
    const botMember = this.makeMember({ userId: this.bot.id, roles: [botRoleId], bot: true }, joinedAt);
    members.set(this.bot.id, botMember);

    const ownerId = spec.ownerId ?? spec.members?.find((m) => m.userId !== this.bot.id)?.userId ?? this.bot.id;
    const state: GuildState = { id: spec.id, name: spec.name ?? `guild-${spec.id}`, ownerId, roles, members, channelIds: [], joinedAt, botRoleId, bans: new Set() };
    this.guilds.set(spec.id, state);
    for (const c of spec.channels ?? []) this.addChannel(spec.id, c);
  }

  private makeRole(spec: FakeRoleSpec): APIRole {
    return {
      id: spec.id,
      name: spec.name ?? `role-${spec.id}`,
      color: spec.color ?? 0,
      colors: { primary_color: spec.color ?? 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: spec.position ?? 1,
      permissions: toPermissionString(spec.permissions, 0n),
      managed: spec.managed ?? false,
      mentionable: false,
      flags: 0 as RoleFlags,
    };
  }

  /** A member object for a spec, without adding it to any guild (GUILD_MEMBER_ADD adds it when dispatched). */
  describeMember(spec: FakeMemberSpec): APIGuildMember {
    return this.makeMember(spec, new Date().toISOString());
  }

  private makeMember(spec: FakeMemberSpec, joinedAt: string): APIGuildMember {
    const user = this.user(spec.userId, {
      ...(spec.username !== undefined && { username: spec.username }),
      ...(spec.globalName !== undefined && { global_name: spec.globalName }),
      ...(spec.bot !== undefined && { bot: spec.bot }),
    });
    // A member spec may name a user that `user()` already invented: the spec wins.
    if (spec.username !== undefined) user.username = spec.username;
    if (spec.globalName !== undefined) user.global_name = spec.globalName;
    return {
      user,
      nick: spec.nick ?? null,
      avatar: null,
      banner: null,
      roles: [...(spec.roles ?? [])],
      joined_at: spec.joinedAt ?? joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  }

  /** The API channel object for a spec, without adding it to the world. */
  describeChannel(guildId: string, spec: FakeChannelSpec): APIChannel {
    const position = this.guilds.get(guildId)?.channelIds.length ?? 0;
    const type = CHANNEL_TYPES[spec.kind ?? "text"];
    const base = { id: spec.id, guild_id: guildId, name: spec.name ?? `channel-${spec.id}`, flags: 0 as ChannelFlags };
    if (type === ChannelType.PublicThread || type === ChannelType.PrivateThread) {
      if (!spec.parentId) throw new Error(`FakeDiscord: thread ${spec.id} needs a parentId`);
      const createdAt = new Date(snowflakeTime(spec.id) > 0 ? snowflakeTime(spec.id) : Date.now()).toISOString();
      return {
        ...base,
        type,
        parent_id: spec.parentId,
        owner_id: spec.ownerId ?? this.bot.id,
        last_message_id: null,
        rate_limit_per_user: 0,
        message_count: 0,
        member_count: 1,
        total_message_sent: 0,
        applied_tags: [],
        thread_metadata: {
          archived: spec.archived ?? false,
          auto_archive_duration: 1440,
          archive_timestamp: createdAt,
          locked: false,
          create_timestamp: createdAt,
        },
      };
    }
    const guildChannel = { ...base, position, permission_overwrites: [], parent_id: spec.parentId ?? null, nsfw: false };
    switch (type) {
      case ChannelType.GuildCategory:
        // Categories cannot sit in a category.
        return { ...guildChannel, type, parent_id: null };
      case ChannelType.GuildVoice:
        return { ...guildChannel, type, bitrate: 64_000, user_limit: 0, rtc_region: null, last_message_id: null, rate_limit_per_user: 0 };
      case ChannelType.GuildForum:
        return {
          ...guildChannel,
          type,
          topic: spec.topic ?? null,
          last_message_id: null,
          rate_limit_per_user: 0,
          available_tags: (spec.tags ?? []).map((t) => ({ id: t.id, name: t.name, moderated: false, emoji_id: null, emoji_name: null })),
          default_reaction_emoji: null,
          default_sort_order: null,
          default_forum_layout: 0,
          default_thread_rate_limit_per_user: 0,
        };
      case ChannelType.GuildAnnouncement:
        return { ...guildChannel, type, topic: spec.topic ?? null, last_message_id: null, default_auto_archive_duration: 1440 };
      default:
        return { ...guildChannel, type: ChannelType.GuildText, topic: spec.topic ?? null, last_message_id: null, rate_limit_per_user: 0, default_auto_archive_duration: 1440 };
    }
  }
}
