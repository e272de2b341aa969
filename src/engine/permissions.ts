import type { Access } from "../core/command.js";
import type { Actor } from "../core/identity.js";
import type { Settings } from "./communities/settings.js";
import { ROLE_CHECKS } from "./preconditions/roles.js";

/*
 * Who may do what, as questions: the answers come from the role preconditions in
 * `preconditions/roles.ts`. Discord's `default_member_permissions` only hides commands in the
 * client, and Slack has no per-command permissions at all, so every command is checked here.
 */

/** Whether the actor administers the bot in this community (platform admin, or listed in `roles.admins`). */
export function isAdmin(actor: Actor, settings: Settings): boolean {
  return ROLE_CHECKS.admin.holds(actor, settings);
}

/** Whether the actor holds `access` (bots never do). */
export function hasAccess(actor: Actor, access: Access, settings: Settings): boolean {
  return !actor.isBot && ROLE_CHECKS[access].holds(actor, settings);
}

/** Plural nouns for each level, for messages. */
export const ACCESS_NAMES: Record<Access, string> = {
  member: ROLE_CHECKS.member.who,
  moderator: ROLE_CHECKS.moderator.who,
  organizer: ROLE_CHECKS.organizer.who,
  admin: ROLE_CHECKS.admin.who,
};
