import { type Access, verbsOf } from "../../core/command.js";
import type { ButtonPressed, CommandInvoked, FormSubmitted, Interaction, MessageActionInvoked } from "../../core/events.js";
import type { Precondition } from "../../core/precondition.js";
import { errorReply, memberText, type Reply } from "../../core/reply.js";
import { usageOf } from "../../core/usage.js";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../log.js";
import type { CommunityDirectory } from "../communities/community-directory.js";
import { ROLE_CHECKS } from "../preconditions/roles.js";
import { type Command, type CommandContext, type MessageAction, type Services, UserError } from "./context.js";
import { validateOptions } from "./option-validation.js";

type Checks = readonly Precondition<CommandContext>[] | undefined;

/**
 * Runs declared commands, message actions, buttons and forms: finds the declaration, checks its
 * preconditions (who is asking, then any named checks), validates every option, then calls the
 * handler. Anything wrong comes back as an ephemeral error reply that
 * names the problem; a handler that throws unexpectedly is logged and answered politely.
 */
export class CommandRunner {
  private readonly byName: Map<string, Command>;
  private readonly actionsById: Map<string, MessageAction>;

  constructor(
    readonly catalog: readonly Command[],
    readonly actions: readonly MessageAction[],
    private readonly services: Services,
    private readonly communities: CommunityDirectory,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.byName = new Map(catalog.map((c) => [c.name, c]));
    this.actionsById = new Map(actions.map((a) => [a.id, a]));
  }

  async run(event: CommandInvoked): Promise<Reply> {
    const command = this.byName.get(event.name);
    if (!command) return errorReply(`Unknown command \`/${event.name}\`. Commands: ${this.catalog.map((c) => `/${c.name}`).join(", ")}.`);

    const verbs = verbsOf(command);
    const found = command.verb ? verbs[0] : verbs.find(([name]) => name === event.subcommand);
    if (!found) {
      const given = event.subcommand ? `\`${memberText(event.subcommand)}\` is not a verb of /${command.name}. ` : "";
      return errorReply(`${given}Use one of:\n${usageOf(command)}`);
    }
    const [verbName, verb] = found;
    const ctx = await this.context(event);
    const denied = await this.denied(ctx, verb.access ?? command.access, [command.requires, verb.requires], `/${command.name}${verbName ? ` ${verbName}` : ""}`);
    if (denied) return denied;

    const checked = validateOptions(verb, event.options, { timezone: ctx.community.settings.timezone, now: ctx.now }, usageOf(command, verbName));
    if (!checked.ok) return errorReply(checked.error);
    return this.guard(event, () => verb.run(ctx, checked.values as never));
  }

  /** A message action used on a message ("Thank the author"). */
  async action(event: MessageActionInvoked): Promise<Reply> {
    const action = this.actionsById.get(event.action);
    if (!action) return errorReply("That message action no longer does anything.");
    const ctx = await this.context(event);
    const denied = await this.denied(ctx, action.access, [action.requires], `“${action.name}”`);
    if (denied) return denied;
    return this.guard(event, () => action.run(ctx, event.target));
  }

  async press(event: ButtonPressed): Promise<Reply> {
    return this.component(event, event.buttonId, (c) => c.buttons, "That button no longer does anything.", (handler, ctx, arg) => handler.run(ctx, arg));
  }

  async submit(event: FormSubmitted): Promise<Reply> {
    return this.component(event, event.formId, (c) => c.forms, "That form is no longer in use; run the command again.", (handler, ctx, arg) =>
      handler.run(ctx, event.values, arg),
    );
  }

  /**
   * Buttons and forms are named `<command>:<action>[:<arg>]`: find the command's handler for the
   * action, check access as for the command, and run it with the rest of the id.
   */
  private async component<H extends { access?: Access; requires?: Checks; run: unknown }>(
    event: ButtonPressed | FormSubmitted,
    id: string,
    handlersOf: (command: Command) => Record<string, H> | undefined,
    gone: string,
    run: (handler: H, ctx: CommandContext, arg: string | undefined) => Promise<Reply> | Reply,
  ): Promise<Reply> {
    const [commandName, action, ...rest] = id.split(":");
    const command = commandName ? this.byName.get(commandName) : undefined;
    const handlers = command ? handlersOf(command) : undefined;
    // Ids come back from the platform as text anyone can forge (`leaderboard:__proto__`): only a
    // handler the declaration itself lists may run, never something inherited from Object.
    const handler = handlers && action && Object.hasOwn(handlers, action) ? handlers[action] : undefined;
    if (!command || typeof handler?.run !== "function") return errorReply(gone);
    const ctx = await this.context(event);
    const denied = await this.denied(ctx, handler.access ?? command.access, [command.requires, handler.requires], `/${command.name}`);
    if (denied) return denied;
    return this.guard(event, () => run(handler, ctx, rest.length ? rest.join(":") : undefined));
  }

  private async context(event: Interaction): Promise<CommandContext> {
    return {
      event,
      actor: event.actor,
      place: event.place,
      community: await this.communities.resolve(event.place),
      now: this.clock.now(),
      services: this.services,
      catalog: this.catalog,
    };
  }

  /** The first precondition that fails, as a private answer: access first, then the named checks in order. */
  private async denied(ctx: CommandContext, access: Access, checks: Checks[], what: string): Promise<Reply | undefined> {
    for (const check of [ROLE_CHECKS[access], ...checks.flatMap((c) => c ?? [])]) {
      const refusal = await check.check(ctx, what);
      if (refusal !== undefined) return errorReply(refusal);
    }
    return undefined;
  }

  private async guard(event: Interaction, run: () => Promise<Reply> | Reply): Promise<Reply> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof UserError) return errorReply(error.message);
      this.log.error({ err: error, event: event.key }, "command failed");
      return errorReply("Something went wrong on our side. Please try again in a moment.");
    }
  }
}
