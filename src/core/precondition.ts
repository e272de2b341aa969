/**
 * A named check that must hold before a command, one of its verbs, a button, a form or a message
 * action runs — "moderators only", "the mod queue channel is configured". Defined once (in
 * `engine/preconditions/` or a capability's folder), named in declarations by `requires`, checked by
 * the engine on every platform. Platforms that can hide a command from members derive that from
 * `discordPermission`; it only hides, the engine still checks.
 *
 * @example
 * export const modQueueConfigured: Precondition<CommandContext> = {
 *   name: "mod-queue-configured",
 *   check: (ctx) => ctx.community.settings.channels.modQueue ? undefined
 *     : "The moderators' channel isn't set yet: an admin can set it with `/config set channels.modQueue #channel`.",
 * };
 */
export interface Precondition<Ctx> {
  /** Unique, kebab-case: shows in logs and docs. */
  readonly name: string;
  /** Undefined when the check holds; otherwise the private answer: what is missing and how to fix it. */
  check(ctx: Ctx, what: string): string | undefined | Promise<string | undefined>;
  /** Discord permission that the people who pass this check usually hold (hides the command from others). */
  readonly discordPermission?: DiscordPermissionName;
}

/** Discord permission flag names (discord.js `PermissionFlagsBits` keys) a precondition may map to. */
export type DiscordPermissionName = "ManageGuild" | "ManageMessages" | "ManageEvents" | "ModerateMembers" | "ManageRoles";
