import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type REST,
  type RESTPostAPIApplicationCommandsJSONBody,
  Routes,
} from "discord.js";
import { DateTime } from "luxon";
import { z } from "zod";
import { type Access, type CommandDeclaration, type MessageActionDeclaration, type Verb, verbsOf } from "../../core/command.js";
import { type OptionDef, TIME_FORMATS } from "../../core/options.js";
import type { Precondition } from "../../core/precondition.js";
import { ROLE_CHECKS } from "../../engine/preconditions/roles.js";

/**
 * Slash commands and message menus derived from the declarations in commands/: one Discord command
 * per declaration, a subcommand per verb, a typed option per declared option, and one message
 * context-menu entry per message action. Nothing here is written by hand, so Discord, Slack and the
 * console never disagree about a command.
 */

const MAX_OPTIONS = 25;
const MAX_CHOICES = 25;
const MAX_DESCRIPTION = 100;
const MAX_STRING_LENGTH = 6_000;

/** How a `time` option is typed, shown in its description: an example in the first accepted format. */
export const TIME_EXAMPLE = DateTime.fromISO("2026-12-01T18:30:00").toFormat(TIME_FORMATS[0]);

function describe(text: string, suffix = ""): string {
  const room = MAX_DESCRIPTION - suffix.length;
  return (text.length > room ? `${text.slice(0, room - 1)}…` : text) + suffix;
}

function optionJson(name: string, def: OptionDef): APIApplicationCommandBasicOption {
  const base = { name, description: describe(def.description), ...(def.required ? { required: true } : {}) };
  switch (def.kind) {
    case "string":
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(def.min !== undefined ? { min_length: Math.max(0, def.min) } : {}),
        ...(def.max !== undefined ? { max_length: Math.min(MAX_STRING_LENGTH, def.max) } : {}),
      };
    case "integer":
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...(def.min !== undefined ? { min_value: def.min } : {}),
        ...(def.max !== undefined ? { max_value: def.max } : {}),
      };
    case "boolean":
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case "member":
      return { ...base, type: ApplicationCommandOptionType.User };
    case "channel":
      return { ...base, type: ApplicationCommandOptionType.Channel };
    case "role":
      return { ...base, type: ApplicationCommandOptionType.Role };
    case "choice": {
      const choices = def.choices ?? [];
      // Discord lists at most 25 choices (`/config set key` has more since talks and moderation
      // added theirs): beyond that the option is plain text, and the engine still accepts only the
      // declared values, refusing any other with the list of them.
      if (choices.length > MAX_CHOICES) {
        return { ...base, type: ApplicationCommandOptionType.String, description: describe(def.description, " (type its name)"), max_length: Math.max(...choices.map((c) => c.length)) };
      }
      return { ...base, type: ApplicationCommandOptionType.String, choices: choices.map((c) => ({ name: c, value: c })) };
    }
    case "time":
      // Discord has no date-time option: a string, with the format in the description.
      return { ...base, type: ApplicationCommandOptionType.String, description: describe(def.description, ` (like ${TIME_EXAMPLE}, community time)`) };
  }
}

function optionsJson(command: string, verb: Verb<unknown>): APIApplicationCommandBasicOption[] {
  const entries = Object.entries(verb.options);
  if (entries.length > MAX_OPTIONS) throw new Error(`/${command} has ${entries.length} options; Discord allows ${MAX_OPTIONS}`);
  return entries.map(([name, def]) => optionJson(name, def));
}

/**
 * Who sees a command in Discord's picker by default, derived from the named preconditions: the
 * access level's check (engine/preconditions/roles.ts) and any `requires` that name a Discord
 * permission. Discord shows the command to members holding every one of them. This only hides it:
 * a server admin can change it, so the engine checks every precondition again on each use.
 */
function permissionsFor(access: Access, requires: readonly Pick<Precondition<unknown>, "discordPermission">[]): string | null {
  const names = [ROLE_CHECKS[access].discordPermission, ...requires.map((p) => p.discordPermission)];
  const bits = names.reduce((all, name) => (name ? all | PermissionFlagsBits[name] : all), 0n);
  return bits === 0n ? null : bits.toString();
}

/**
 * One permission for the whole command (Discord has no per-subcommand default): the verbs'
 * shared access, or none when verbs differ — then everyone sees it and the engine decides per verb.
 */
function defaultPermissions(command: CommandDeclaration<unknown>): string | null {
  const accesses = new Set(verbsOf(command).map(([, verb]) => verb.access ?? command.access));
  if (accesses.size !== 1) return null;
  return permissionsFor([...accesses][0]!, command.requires ?? []);
}

export function commandJson(command: CommandDeclaration<unknown>): RESTPostAPIApplicationCommandsJSONBody {
  const options: APIApplicationCommandOption[] = command.verb
    ? optionsJson(command.name, command.verb)
    : verbsOf(command).map(([name, verb]) => ({
        type: ApplicationCommandOptionType.Subcommand,
        name,
        description: describe(verb.description),
        options: optionsJson(`${command.name} ${name}`, verb),
      }));
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: describe(command.description),
    options,
    default_member_permissions: defaultPermissions(command),
    // Server only: the bot's communities are servers, and a DM has no community.
    contexts: [InteractionContextType.Guild],
  };
}

/**
 * A message action as an entry of the message's context menu (Apps → "Thank the author"). Discord
 * routes its use back by this name, so the name is what the adapter looks the declaration up by.
 */
export function messageActionJson(action: MessageActionDeclaration<unknown>): RESTPostAPIApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.Message,
    name: action.name,
    default_member_permissions: permissionsFor(action.access, action.requires ?? []),
    contexts: [InteractionContextType.Guild],
  };
}

/** Every command, then every message action's menu entry. */
export function commandsJson(commands: readonly CommandDeclaration<unknown>[], messageActions: readonly MessageActionDeclaration<unknown>[] = []): RESTPostAPIApplicationCommandsJSONBody[] {
  const names = new Set<string>();
  for (const action of messageActions) {
    // Discord keys message commands by name; two with one name would be one menu entry.
    if (names.has(action.name)) throw new Error(`two message actions are named "${action.name}"`);
    names.add(action.name);
  }
  return [...commands.map(commandJson), ...messageActions.map(messageActionJson)];
}

const registeredSchema = z.array(z.object({ id: z.string(), name: z.string() }));

export interface Registration {
  scope: "guild" | "global";
  names: string[];
}

/**
 * Replaces the application's commands (PUT is a bulk overwrite, so removed commands disappear).
 * Guild commands update instantly, which is what development wants; global ones can take up to an
 * hour to reach every client.
 */
export async function registerCommands(
  rest: REST,
  o: { appId: string; guildId?: string | undefined; commands: readonly CommandDeclaration<unknown>[]; messageActions?: readonly MessageActionDeclaration<unknown>[] },
): Promise<Registration> {
  const body = commandsJson(o.commands, o.messageActions ?? []);
  const route = o.guildId ? Routes.applicationGuildCommands(o.appId, o.guildId) : Routes.applicationCommands(o.appId);
  const registered = registeredSchema.parse(await rest.put(route, { body }));
  return { scope: o.guildId ? "guild" : "global", names: registered.map((c) => c.name) };
}
