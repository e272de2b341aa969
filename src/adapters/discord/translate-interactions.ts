import {
  ApplicationCommandOptionType,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  ComponentType,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
} from "discord.js";
import { type ButtonPressed, type CommandInvoked, type FormSubmitted, type MessageActionInvoked, naturalKeys } from "../../core/events.js";
import { channelKey } from "../../core/identity.js";
import { discordActor, discordMemberRef, discordPlace } from "./identity.js";

/**
 * Interactions → neutral command, message action, button and form events. Option values are passed
 * on raw (numbers, booleans, strings, member and channel refs): the engine validates them against
 * the declarations.
 */

type GuildInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

function common(interaction: GuildInteraction, guildId: string) {
  return {
    key: naturalKeys.discordInteraction(interaction.id),
    at: interaction.createdAt,
    place: discordPlace(guildId, interaction.channel, interaction.channelId ?? ""),
    // The payload's member carries the member's roles and permissions in this channel.
    actor: discordActor(guildId, interaction.user, interaction.member, interaction.memberPermissions),
  };
}

function optionValue(guildId: string, option: CommandInteractionOption): unknown {
  switch (option.type) {
    case ApplicationCommandOptionType.User:
      return option.user ? discordMemberRef(guildId, option.user, option.member) : option.value;
    case ApplicationCommandOptionType.Channel:
      return option.channel
        ? { id: channelKey({ platform: "discord", workspaceId: guildId, channelId: option.channel.id }), ...(option.channel.name ? { name: option.channel.name } : {}) }
        : option.value;
    case ApplicationCommandOptionType.Role:
      return option.role ? { id: `discord:${guildId}:&${option.role.id}`, name: option.role.name } : option.value;
    default:
      return option.value;
  }
}

export function commandInvoked(interaction: ChatInputCommandInteraction, guildId: string): CommandInvoked {
  const first = interaction.options.data[0];
  const isVerb = first?.type === ApplicationCommandOptionType.Subcommand;
  const given = isVerb ? (first.options ?? []) : interaction.options.data;
  const options: Record<string, unknown> = {};
  for (const option of given) options[option.name] = optionValue(guildId, option);
  return {
    kind: "command",
    ...common(interaction, guildId),
    name: interaction.commandName,
    ...(isVerb ? { subcommand: first.name } : {}),
    options,
  };
}

/**
 * A message menu entry used on a message, as the declared action `action` (its id). The target is
 * the message Discord resolved into the interaction — its author as Discord says, never a name a
 * member typed. A webhook's message has a made-up author: it counts as a bot, so no one earns for it.
 */
export function messageActionInvoked(interaction: MessageContextMenuCommandInteraction, guildId: string, action: string): MessageActionInvoked {
  const base = common(interaction, guildId);
  const message = interaction.targetMessage;
  const author = discordMemberRef(guildId, message.author, message.member);
  return {
    kind: "message.action",
    ...base,
    action,
    target: {
      messageKey: naturalKeys.discordMessage(message.id),
      author: message.webhookId ? { ...author, isBot: true } : author,
      text: message.content,
      // A message menu is opened on a message in the channel (or thread) the interaction comes from.
      place: base.place,
    },
  };
}

export function buttonPressed(interaction: ButtonInteraction, guildId: string): ButtonPressed {
  return {
    kind: "button",
    ...common(interaction, guildId),
    buttonId: interaction.customId,
    messageKey: naturalKeys.discordMessage(interaction.message.id),
  };
}

export function formSubmitted(interaction: ModalSubmitInteraction, guildId: string): FormSubmitted {
  const values: Record<string, string> = {};
  for (const [id, field] of interaction.fields.fields) {
    if (field.type === ComponentType.TextInput) values[id] = field.value;
  }
  return { kind: "form", ...common(interaction, guildId), formId: interaction.customId, values };
}
