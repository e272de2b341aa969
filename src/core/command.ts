import type { MessageTarget } from "./events.js";
import type { OptionDef, OptionValues } from "./options.js";
import type { Precondition } from "./precondition.js";
import type { Reply } from "./reply.js";

/*
 * A slash command, declared once for every platform. Discord registration, Slack's text parsing and
 * usage lines, the console's parsing and the engine's validation all derive from this object.
 *
 * A command either runs directly (`options` + `run`) or has verbs (`subcommands`), like
 * `/config show` and `/config set key value`. `Ctx` is the engine's handler context; this file does
 * not need to know what is in it.
 */

/** Who may run a command, from least to most trusted; what each means is decided in `engine/permissions.ts`. */
export type Access = "member" | "moderator" | "organizer" | "admin";

/** A command's options by name, in the order they are asked for. */
export type Options = Record<string, OptionDef>;

/** One runnable form of a command: the command itself, or one of its subcommands. */
export interface Verb<Ctx, O extends Options = Options> {
  description: string;
  /** Who may run it; a subcommand inherits the command's access unless it says otherwise. */
  access?: Access;
  /** Named checks that must hold besides access (see core/precondition.ts); a verb adds to its command's. */
  requires?: readonly Precondition<Ctx>[];
  options: O;
  run(ctx: Ctx, options: OptionValues<O>): Promise<Reply> | Reply;
}

/** A button handler: answers a press with the reply that replaces the pressed message. */
export interface ButtonHandler<Ctx> {
  access?: Access;
  requires?: readonly Precondition<Ctx>[];
  run(ctx: Ctx, arg: string | undefined): Promise<Reply> | Reply;
}

/** A form handler: answers a submitted dialog (see `Reply.form`). */
export interface FormHandler<Ctx> {
  access?: Access;
  requires?: readonly Precondition<Ctx>[];
  run(ctx: Ctx, values: Record<string, string>, arg: string | undefined): Promise<Reply> | Reply;
}

/**
 * A slash command, declared once for every platform (build one with `command` or `group` from
 * {@link commandKit}). Discord registration, Slack's text parsing and usage lines, the console's
 * parsing and the engine's validation all derive from this object.
 */
export interface CommandDeclaration<Ctx> {
  /** Lower-case, 1–32 characters, letters, digits, `-` and `_` (Discord's rule; Slack allows it too). */
  name: string;
  /** At most 100 characters (Discord's limit). */
  description: string;
  access: Access;
  /** Named checks for every verb, button and form of this command. */
  requires?: readonly Precondition<Ctx>[];
  /** Set for a command that runs directly. */
  verb?: Verb<Ctx>;
  /** Set for a command with verbs. */
  subcommands?: Record<string, Verb<Ctx>>;
  /** Buttons this command's replies carry, by action (the middle part of a button id). */
  buttons?: Record<string, ButtonHandler<Ctx>>;
  /** Dialogs this command opens, by action (the middle part of a form id). */
  forms?: Record<string, FormHandler<Ctx>>;
}

/**
 * A message action, declared once: Discord's message context menu ("Apps → Thank the author"),
 * Slack's message shortcut and the Slack manifest entry all derive from it.
 *
 * @example
 * export default messageAction({
 *   id: "thank-author", name: "Thank the author", description: "Thank whoever wrote this message",
 *   access: "member", run: (ctx, target) => …,
 * });
 */
export interface MessageActionDeclaration<Ctx> {
  /** Stable id: Slack's `callback_id` and the engine's route; lower-case, `-` and `_`, 1–32 characters. */
  id: string;
  /** Shown in the menu; 1–24 characters (Slack's shortcut limit, inside Discord's 32). */
  name: string;
  /** What it does, 1–100 characters (Slack shows it under the shortcut). */
  description: string;
  access: Access;
  requires?: readonly Precondition<Ctx>[];
  run(ctx: Ctx, target: MessageTarget): Promise<Reply> | Reply;
}

const NAME = /^[a-z0-9_-]{1,32}$/;
const ACTION_NAME = /^[\p{L}\p{N} '’!?.,-]{1,24}$/u;

function checkNames(name: string, description: string): void {
  if (!NAME.test(name)) throw new Error(`command or option name "${name}" must match ${NAME}`);
  if (description.length < 1 || description.length > 100) {
    throw new Error(`description of "${name}" must be 1–100 characters`);
  }
}

function checkVerb(name: string, verb: Verb<unknown>): void {
  checkNames(name, verb.description);
  let seenOptional = false;
  for (const [optionName, def] of Object.entries(verb.options)) {
    checkNames(optionName, def.description);
    // Discord rejects a required option after an optional one; positional text parsing relies on it too.
    if (def.required && seenOptional) throw new Error(`${name}: required option "${optionName}" follows an optional one`);
    if (!def.required) seenOptional = true;
  }
}

/** The verbs of a declaration by name; a direct command has one verb named "". */
export function verbsOf<Ctx>(command: CommandDeclaration<Ctx>): [string, Verb<Ctx>][] {
  if (command.verb) return [["", command.verb]];
  return Object.entries(command.subcommands ?? {});
}

/** Binds the declaration helpers to a handler context type. */
export function commandKit<Ctx>() {
  return {
    /** A command that runs directly. */
    command<const O extends Options>(d: {
      name: string;
      description: string;
      access: Access;
      requires?: readonly Precondition<Ctx>[];
      options: O;
      run: Verb<Ctx, O>["run"];
      buttons?: Record<string, ButtonHandler<Ctx>>;
      forms?: Record<string, FormHandler<Ctx>>;
    }): CommandDeclaration<Ctx> {
      const verb = { description: d.description, options: d.options, run: d.run } as unknown as Verb<Ctx>;
      checkVerb(d.name, verb);
      return {
        name: d.name,
        description: d.description,
        access: d.access,
        verb,
        ...(d.requires ? { requires: d.requires } : {}),
        ...(d.buttons ? { buttons: d.buttons } : {}),
        ...(d.forms ? { forms: d.forms } : {}),
      };
    },
    /** A command with verbs, e.g. `/config show`. */
    group(d: {
      name: string;
      description: string;
      access: Access;
      requires?: readonly Precondition<Ctx>[];
      subcommands: Record<string, Verb<Ctx>>;
      buttons?: Record<string, ButtonHandler<Ctx>>;
      forms?: Record<string, FormHandler<Ctx>>;
    }): CommandDeclaration<Ctx> {
      checkNames(d.name, d.description);
      for (const [name, verb] of Object.entries(d.subcommands)) checkVerb(name, verb);
      return {
        name: d.name,
        description: d.description,
        access: d.access,
        subcommands: d.subcommands,
        ...(d.requires ? { requires: d.requires } : {}),
        ...(d.buttons ? { buttons: d.buttons } : {}),
        ...(d.forms ? { forms: d.forms } : {}),
      };
    },
    /** A message action (see {@link MessageActionDeclaration}). */
    messageAction(d: MessageActionDeclaration<Ctx>): MessageActionDeclaration<Ctx> {
      checkNames(d.id, d.description);
      if (!ACTION_NAME.test(d.name)) throw new Error(`message action name "${d.name}" must be 1–24 letters, digits, spaces or punctuation`);
      return d;
    },
    /** One verb of a group, with its option types inferred. */
    subcommand<const O extends Options>(v: Verb<Ctx, O>): Verb<Ctx> {
      return v as unknown as Verb<Ctx>;
    },
  };
}
