/**
 * Builders for INTERACTION_CREATE payloads: slash commands (type 2), message components (type 3) and modal submits
 * (type 5), as a guild member sends them.
 *
 * Shapes: Discord docs interactions/receiving-and-responding#interaction-object, checked against what discord.js 14
 * reads in src/structures/BaseInteraction.js (it throws without `entitlements` and `authorizing_integration_owners`;
 * `interaction.channel` / `channelId` come only from the `channel` object), CommandInteraction#transformOption
 * (`data.resolved.users/members/roles/channels`) and ModalSubmitInteraction.transformComponent.
 *
 * Every interaction is registered in the world by token, so the REST side knows which channel a reply belongs to.
 */
import { randomBytes } from "node:crypto";
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ButtonStyle,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
  type APIApplicationCommandInteractionDataOption,
  type APIChannel,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteractionDataResolved,
  type APIInteractionDataResolvedChannel,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentGuildInteraction,
  type APIModalSubmitGuildInteraction,
  type MessageFlags,
} from "discord.js";
import type { FakeWorld } from "../world.js";
import { memberWithoutUser } from "./messages.js";

type CommandOption = APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommand>;

/** Short constructors for slash-command options as Discord delivers them (values already parsed). */
export const opt = {
  string: (name: string, value: string): CommandOption => ({ name, type: ApplicationCommandOptionType.String, value }),
  integer: (name: string, value: number): CommandOption => ({ name, type: ApplicationCommandOptionType.Integer, value }),
  number: (name: string, value: number): CommandOption => ({ name, type: ApplicationCommandOptionType.Number, value }),
  boolean: (name: string, value: boolean): CommandOption => ({ name, type: ApplicationCommandOptionType.Boolean, value }),
  /** The builder adds the user (and member, if they are in the guild) to `data.resolved`. */
  user: (name: string, userId: string): CommandOption => ({ name, type: ApplicationCommandOptionType.User, value: userId }),
  role: (name: string, roleId: string): CommandOption => ({ name, type: ApplicationCommandOptionType.Role, value: roleId }),
  channel: (name: string, channelId: string): CommandOption => ({ name, type: ApplicationCommandOptionType.Channel, value: channelId }),
  subcommand: (name: string, options: CommandOption[] = []): CommandOption =>
    ({ name, type: ApplicationCommandOptionType.Subcommand, options }) as CommandOption,
  group: (name: string, subcommands: CommandOption[]): CommandOption =>
    ({ name, type: ApplicationCommandOptionType.SubcommandGroup, options: subcommands }) as CommandOption,
};

/** Who clicks or types, and where. */
export interface InteractionActor {
  userId: string;
  /** Defaults to the guild of `channelId`. */
  guildId?: string;
  channelId: string;
  /** Roles to present for the member in this payload; defaults to their roles in the world. */
  roles?: string[];
  /** Member permission bitfield; defaults to what their roles grant (admins and the owner get everything). */
  permissions?: bigint | string;
  locale?: Locale;
}

export interface ChatInputInput extends InteractionActor {
  name: string;
  /** Defaults to a stable id per command name. */
  commandId?: string;
  options?: CommandOption[];
  /** Extra resolved data merged over what the builder derives from user/role/channel options. */
  resolved?: APIInteractionDataResolved;
}

export interface ComponentInput extends InteractionActor {
  customId: string;
  /**
   * The message carrying the component. If the fake knows it (the bot sent it, or it was dispatched) that message is
   * used as is; otherwise a bot message with a matching button is made up.
   */
  messageId?: string;
  /** Defaults to a button; for select menus give the type and `values`. */
  componentType?: ComponentType.Button | ComponentType.StringSelect | ComponentType.UserSelect | ComponentType.RoleSelect | ComponentType.ChannelSelect | ComponentType.MentionableSelect;
  values?: string[];
}

export interface ModalSubmitInput extends InteractionActor {
  customId: string;
  /** Text-input custom ids → submitted values. */
  fields: Record<string, string>;
  /** Set when the modal was opened from a component on this message. */
  messageId?: string;
}

function guildOf(world: FakeWorld, actor: InteractionActor): string {
  const guildId = actor.guildId ?? world.guildOfChannel(actor.channelId);
  if (!guildId) throw new Error(`FakeDiscord: channel ${actor.channelId} is not in a known guild; pass guildId`);
  return guildId;
}

function permissionString(value: bigint | string): string {
  return typeof value === "bigint" ? value.toString() : value;
}

function channelObject(world: FakeWorld, guildId: string, channelId: string): APIChannel {
  return world.channel(channelId)?.api ?? world.describeChannel(guildId, { id: channelId });
}

/** The fields every guild interaction shares; also registers the token for the REST side. */
export function base(world: FakeWorld, actor: InteractionActor, type: InteractionType, messageId: string | null) {
  const guildId = guildOf(world, actor);
  const worldMember = world.member(guildId, actor.userId);
  const member: APIInteractionGuildMember = {
    ...worldMember,
    user: world.user(actor.userId),
    roles: actor.roles ? [...actor.roles] : [...worldMember.roles],
    permissions: permissionString(actor.permissions ?? world.memberPermissions(guildId, actor.userId)),
  };
  const id = world.ids.next();
  // Real tokens are base64 of "interaction:<id>:<secret>" (hence the familiar "aW50ZXJhY3Rpb246" prefix).
  // base64url keeps them path-safe: discord.js puts them in URLs, where a ':' or '/' would arrive encoded.
  const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString("base64url")}`).toString("base64url");
  world.interactions.set(token, {
    id,
    type,
    token,
    applicationId: world.applicationId,
    guildId,
    channelId: actor.channelId,
    userId: actor.userId,
    messageId,
    originalMessageId: null,
    acknowledged: false,
  });
  return {
    id,
    application_id: world.applicationId,
    token,
    version: 1 as const,
    guild_id: guildId,
    guild: { id: guildId, locale: Locale.EnglishUS, features: [] },
    guild_locale: Locale.EnglishUS,
    channel_id: actor.channelId,
    channel: channelObject(world, guildId, actor.channelId),
    member,
    app_permissions: world.memberPermissions(guildId, world.bot.id).toString(),
    locale: actor.locale ?? Locale.EnglishUS,
    entitlements: [],
    // A guild install: Discord maps integration type 0 (GuildInstall) to the guild id.
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}

/** Walks options (into subcommands) and fills `resolved` the way Discord does for user/role/channel values. */
function resolveOptions(world: FakeWorld, guildId: string, options: CommandOption[]): APIInteractionDataResolved {
  const resolved: Required<Pick<APIInteractionDataResolved, "users" | "members" | "roles" | "channels">> = {
    users: {},
    members: {},
    roles: {},
    channels: {},
  };
  const guild = world.guild(guildId);
  const visit = (list: CommandOption[]): void => {
    for (const option of list) {
      if ("options" in option && option.options) visit(option.options as CommandOption[]);
      if (!("value" in option) || typeof option.value !== "string") continue;
      const value = option.value;
      if (option.type === ApplicationCommandOptionType.User || option.type === ApplicationCommandOptionType.Mentionable) {
        const role = guild.roles.find((r) => r.id === value);
        if (role) {
          resolved.roles[value] = role;
          continue;
        }
        resolved.users[value] = world.user(value);
        // Only people actually in the guild come with a member (an ex-member resolves to a bare user).
        const member = guild.members.get(value);
        if (member) {
          resolved.members[value] = { ...memberWithoutUser(member), permissions: world.memberPermissions(guildId, value).toString() };
        }
      } else if (option.type === ApplicationCommandOptionType.Role) {
        const role = guild.roles.find((r) => r.id === value);
        if (role) resolved.roles[value] = role;
      } else if (option.type === ApplicationCommandOptionType.Channel) {
        const channel = world.channel(value)?.api;
        if (channel && "name" in channel && channel.name) {
          resolved.channels[value] = {
            ...channel,
            name: channel.name,
            permissions: world.memberPermissions(guildId, world.bot.id).toString(),
          } as APIInteractionDataResolvedChannel;
        }
      }
    }
  };
  visit(options);
  return resolved;
}

export function chatInputInteraction(world: FakeWorld, input: ChatInputInput): APIChatInputApplicationCommandGuildInteraction {
  const common = base(world, input, InteractionType.ApplicationCommand, null);
  const options = input.options ?? [];
  // Same id the bot got back when it registered the command, so id-based routing in the bot works.
  const commandId = input.commandId ?? world.commandId(input.name, common.guild_id);
  const derived = resolveOptions(world, common.guild_id, options);
  const resolved: APIInteractionDataResolved = {
    users: { ...derived.users, ...input.resolved?.users },
    members: { ...derived.members, ...input.resolved?.members },
    roles: { ...derived.roles, ...input.resolved?.roles },
    channels: { ...derived.channels, ...input.resolved?.channels },
    ...(input.resolved?.attachments && { attachments: input.resolved.attachments }),
  };
  const hasResolved = Object.values(resolved).some((group) => Object.keys(group ?? {}).length > 0);
  return {
    ...common,
    type: InteractionType.ApplicationCommand,
    data: {
      id: commandId,
      type: ApplicationCommandType.ChatInput,
      name: input.name,
      ...(options.length > 0 && { options }),
      ...(hasResolved && { resolved }),
    },
  };
}

/** A bot message carrying one component with this custom id, for component interactions on unknown messages. */
function madeUpComponentMessage(world: FakeWorld, input: ComponentInput, guildId: string): APIMessage {
  const id = input.messageId ?? world.ids.next();
  const type = input.componentType ?? ComponentType.Button;
  const component =
    type === ComponentType.Button
      ? { type: ComponentType.Button as const, style: ButtonStyle.Primary as const, custom_id: input.customId, label: input.customId }
      : { type: ComponentType.StringSelect as const, custom_id: input.customId, options: (input.values ?? []).map((v) => ({ label: v, value: v })) };
  const message: APIMessage = {
    id,
    channel_id: input.channelId,
    author: world.bot,
    content: "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: MessageType.Default,
    flags: 0 as MessageFlags,
    application_id: world.applicationId,
    components: [{ type: ComponentType.ActionRow, components: [component] }],
  };
  world.messages.set(id, { ...message, guild_id: guildId });
  return message;
}

export function componentInteraction(world: FakeWorld, input: ComponentInput): APIMessageComponentGuildInteraction {
  const known = input.messageId ? world.messages.get(input.messageId) : undefined;
  const channelId = known?.channel_id ?? input.channelId;
  const actor = { ...input, channelId };
  const guildId = guildOf(world, actor);
  const message = known ? stripGuild(known) : madeUpComponentMessage(world, actor, guildId);
  const common = base(world, actor, InteractionType.MessageComponent, message.id);
  const type = input.componentType ?? ComponentType.Button;
  const data =
    type === ComponentType.Button
      ? { custom_id: input.customId, component_type: ComponentType.Button as const }
      : { custom_id: input.customId, component_type: type, values: input.values ?? [] };
  return { ...common, type: InteractionType.MessageComponent, message, data } as APIMessageComponentGuildInteraction;
}

export function modalSubmitInteraction(world: FakeWorld, input: ModalSubmitInput): APIModalSubmitGuildInteraction {
  const known = input.messageId ? world.messages.get(input.messageId) : undefined;
  const common = base(world, input, InteractionType.ModalSubmit, known?.id ?? null);
  return {
    ...common,
    type: InteractionType.ModalSubmit,
    ...(known && { message: stripGuild(known) }),
    data: {
      custom_id: input.customId,
      // Classic modal layout: one action row per text input. (Discord's newer Label layout, type 18, is also read by
      // discord.js 14.28; action rows are what a modal built with ActionRowBuilder comes back as.)
      components: Object.entries(input.fields).map(([customId, value], i) => ({
        type: ComponentType.ActionRow,
        id: i * 2 + 1,
        components: [{ type: ComponentType.TextInput, id: i * 2 + 2, custom_id: customId, value }],
      })),
    },
  };
}

/** The interaction's `message` is a plain message object (no guild_id), as in the docs. */
export function stripGuild(message: APIMessage & { guild_id?: string }): APIMessage {
  const { guild_id: _guildId, ...rest } = message;
  return rest;
}
