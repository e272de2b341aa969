/**
 * Builder for a message context-menu command (Apps → "Thank the author" on a message): an application-command
 * interaction (type 2) whose data is `{ type: 3, name, target_id, resolved: { messages } }`.
 *
 * Shape: Discord docs interactions/receiving-and-responding#interaction-object-interaction-data (target_id,
 * resolved.messages), checked against discord.js 14 `ContextMenuCommandInteraction#transformResolved`, which reads
 * the target from `data.resolved.messages[data.target_id]` into `targetMessage`.
 */
import { ApplicationCommandType, InteractionType, type APIMessageApplicationCommandGuildInteraction } from "discord.js";
import type { FakeWorld } from "../world.js";
import { base, stripGuild, type InteractionActor } from "./interactions.js";

export interface MessageContextMenuInput extends InteractionActor {
  /** The menu item's name as registered, e.g. "Thank the author". */
  name: string;
  /** A message the fake knows (dispatched or sent by the bot). */
  targetMessageId: string;
  commandId?: string;
}

export function messageContextMenuInteraction(world: FakeWorld, input: MessageContextMenuInput): APIMessageApplicationCommandGuildInteraction {
  const target = world.messages.get(input.targetMessageId);
  if (!target) throw new Error(`FakeDiscord: message ${input.targetMessageId} is unknown to the fake; dispatch it first`);
  const common = base(world, { ...input, channelId: target.channel_id }, InteractionType.ApplicationCommand, null);
  return {
    ...common,
    type: InteractionType.ApplicationCommand,
    data: {
      id: input.commandId ?? world.commandId(input.name, common.guild_id),
      type: ApplicationCommandType.Message,
      name: input.name,
      target_id: target.id,
      resolved: { messages: { [target.id]: stripGuild(target) } },
    },
  };
}
