import { type CommandDeclaration, commandKit } from "../../core/command.js";
import type { ButtonPressed, CommandInvoked, FormSubmitted } from "../../core/events.js";
import type { Actor, Place } from "../../core/identity.js";
import type { Services } from "../capabilities.js";
import type { Community } from "../communities/community.repo.js";

export type { Services };

/** What every handler receives besides its typed options. */
export interface CommandContext {
  event: CommandInvoked | ButtonPressed | FormSubmitted;
  actor: Actor;
  place: Place;
  community: Community;
  now: Date;
  services: Services;
  /** All declared commands, for `/help`. */
  catalog: readonly CommandDeclaration<CommandContext>[];
}

export type Command = CommandDeclaration<CommandContext>;

/** `command`, `group` and `subcommand` bound to the engine's handler context (see core/command.ts). */
export const { command, group, subcommand } = commandKit<CommandContext>();

/**
 * Thrown by a handler for an answer that only the asker should see: a refusal or a precondition
 * that failed. The runner turns it into an ephemeral error reply; nothing the handler was about to
 * write has been written.
 */
export class UserError extends Error {}
