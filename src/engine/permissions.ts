import type { Access } from "../core/command.js";
import type { Actor } from "../core/identity.js";
import type { Settings } from "./communities/settings.js";

/**
 * Who may do what. Adapters report facts about the actor (their platform roles, whether the
 * platform calls them an admin); the community's settings say which roles and members moderate,
 * organise and administer. Discord's `default_member_permissions` only hides commands in the client,
 * and Slack has no per-command permissions at all, so every command is checked here.
 */
function listed(actor: Actor, ids: readonly string[]): boolean {
  if (ids.length === 0) return false;
  if (ids.includes(actor.id)) return true;
  const prefix = `${actor.platform}:${actor.workspaceId}:&`;
  return (actor.roleIds ?? []).some((role) => ids.includes(prefix + role));
}

export function isAdmin(actor: Actor, settings: Settings): boolean {
  return !actor.isBot && (actor.isPlatformAdmin === true || listed(actor, settings.roles.admins));
}

export function hasAccess(actor: Actor, access: Access, settings: Settings): boolean {
  if (actor.isBot) return false;
  switch (access) {
    case "member":
      return true;
    case "admin":
      return isAdmin(actor, settings);
    case "moderator":
      return isAdmin(actor, settings) || listed(actor, settings.roles.moderators);
    case "organizer":
      return isAdmin(actor, settings) || listed(actor, settings.roles.organizers);
  }
}

export const ACCESS_NAMES: Record<Access, string> = {
  member: "members",
  moderator: "moderators",
  organizer: "organizers",
  admin: "admins",
};
