import type { Access } from "../../core/command.js";
import type { Precondition } from "../../core/precondition.js";
import type { Actor } from "../../core/identity.js";
import type { Settings } from "../communities/settings.js";

/**
 * The four levels of trust, each a named precondition defined once. Adapters report facts about
 * the actor (their platform roles, whether the platform calls them an admin); the community's
 * settings say which roles, user groups and members moderate, organise and administer. Discord's
 * `default_member_permissions` and Slack's user-group look-ups are derived from this table.
 */
export interface RoleCheck extends Precondition<{ actor: Actor; community: { settings: Settings } }> {
  readonly access: Access;
  /** Plural noun for messages: "Only moderators can use /config." */
  readonly who: string;
  /** Whether `actor` holds this level under `settings`. */
  holds(actor: Actor, settings: Settings): boolean;
  /** The settings lists whose roles, groups or members grant this level (admins always do too). */
  grantedBy(settings: Settings): readonly string[];
}

function listed(actor: Actor, ids: readonly string[]): boolean {
  if (ids.length === 0) return false;
  if (ids.includes(actor.id)) return true;
  const prefix = `${actor.platform}:${actor.workspaceId}:&`;
  return (actor.roleIds ?? []).some((role) => ids.includes(prefix + role));
}

function isAdmin(actor: Actor, settings: Settings): boolean {
  return !actor.isBot && (actor.isPlatformAdmin === true || listed(actor, settings.roles.admins));
}

function role(o: Omit<RoleCheck, "check" | "name"> ): RoleCheck {
  return {
    ...o,
    name: o.access,
    check: (ctx, what) => (!ctx.actor.isBot && o.holds(ctx.actor, ctx.community.settings) ? undefined : `Only ${o.who} can use ${what}.`),
  };
}

export const ROLE_CHECKS: Readonly<Record<Access, RoleCheck>> = {
  member: role({ access: "member", who: "members", holds: (actor) => !actor.isBot, grantedBy: () => [] }),
  moderator: role({
    access: "moderator",
    who: "moderators",
    discordPermission: "ManageMessages",
    holds: (actor, settings) => isAdmin(actor, settings) || listed(actor, settings.roles.moderators),
    grantedBy: (settings) => [...settings.roles.admins, ...settings.roles.moderators],
  }),
  organizer: role({
    access: "organizer",
    who: "organizers",
    discordPermission: "ManageEvents",
    holds: (actor, settings) => isAdmin(actor, settings) || listed(actor, settings.roles.organizers),
    grantedBy: (settings) => [...settings.roles.admins, ...settings.roles.organizers],
  }),
  admin: role({ access: "admin", who: "admins", discordPermission: "ManageGuild", holds: isAdmin, grantedBy: (settings) => settings.roles.admins }),
};
