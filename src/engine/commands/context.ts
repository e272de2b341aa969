import { type CommandDeclaration, commandKit, type MessageActionDeclaration } from "../../core/command.js";
import type { Interaction } from "../../core/events.js";
import type { Actor, Place } from "../../core/identity.js";
import type { Services } from "../capabilities.js";
import type { Community } from "../communities/community.repo.js";

export type { Services };

/** What every handler receives besides its typed options. */
export interface CommandContext {
  event: Interaction;
  actor: Actor;
  place: Place;
  community: Community;
  now: Date;
  services: Services;
  /** All declared commands, for `/help`. */
  catalog: readonly CommandDeclaration<CommandContext>[];
}

/** A slash command bound to the engine's handler context. */
export type Command = CommandDeclaration<CommandContext>;

/** A message action bound to the engine's handler context. */
export type MessageAction = MessageActionDeclaration<CommandContext>;

/** `command`, `group`, `subcommand` and `messageAction` bound to the engine's handler context (see core/command.ts). */
export const { command, group, subcommand, messageAction } = commandKit<CommandContext>();

/**
 * Thrown by a handler for an answer that only the asker should see: a refusal or a precondition
 * that failed. The runner turns it into an ephemeral error reply; nothing the handler was about to
 * write has been written.
 */
export class UserError extends Error {}
