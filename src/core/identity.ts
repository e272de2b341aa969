/**
 * Who and where, in platform-neutral terms.
 *
 * Every id the engine stores is namespaced by platform and workspace, so a Discord user and a Slack
 * user with the same raw id can never collide, and one community can span both platforms:
 *
 * @example
 * memberId("discord", "81234", "99") // "discord:81234:99"
 * memberId("slack", "T024BE7LD", "U0G9QF9C6") // "slack:T024BE7LD:U0G9QF9C6"
 */
export type Platform = "discord" | "slack" | "console";

export const PLATFORMS: readonly Platform[] = ["discord", "slack", "console"];

/** A person (or bot) as the platform reports them. */
export interface Actor {
  /** Namespaced member id: `<platform>:<workspace>:<user>`. */
  id: string;
  platform: Platform;
  /** Discord guild id, Slack team id, or `local` for the console. */
  workspaceId: string;
  /** The platform's own user id. */
  userId: string;
  displayName: string;
  isBot: boolean;
  /**
   * Platform role ids (Discord roles, Slack user groups) the adapter knows this member has; the
   * engine compares them with the community's configured moderator and organizer roles.
   */
  roleIds?: readonly string[];
  /**
   * True when the platform itself says this member administers the workspace (Discord: Manage
   * Server or Administrator; Slack: workspace admin or owner). Adapters report facts; the engine
   * decides what they allow.
   */
  isPlatformAdmin?: boolean;
}

/** A member referred to by someone else (a mention, a command option). */
export interface MemberRef {
  /** Namespaced member id. */
  id: string;
  displayName?: string;
  isBot?: boolean;
}

/** Where something happened or should be posted. */
export interface Place {
  platform: Platform;
  workspaceId: string;
  channelId: string;
  /** Set when the place is a thread: the thread id (Discord) or parent message ts (Slack). */
  threadId?: string;
}

/** A channel referred to in a command option or setting. */
export interface ChannelRef {
  /** Namespaced channel id: `<platform>:<workspace>:<channel>`. */
  id: string;
  name?: string;
}

/** A role referred to in a command option (a Discord role; the console's `@name`). */
export interface RoleRef {
  /** Namespaced role id: `<platform>:<workspace>:&<role>`. */
  id: string;
  name?: string;
}

export function memberId(platform: Platform, workspaceId: string, userId: string): string {
  return `${platform}:${workspaceId}:${userId}`;
}

export function channelKey(place: Pick<Place, "platform" | "workspaceId" | "channelId">): string {
  return `${place.platform}:${place.workspaceId}:${place.channelId}`;
}

/** Splits a namespaced id back into its parts; ids with colons in the last part keep them. */
export function parseNamespacedId(id: string): { platform: Platform; workspaceId: string; localId: string } | undefined {
  const first = id.indexOf(":");
  const second = first < 0 ? -1 : id.indexOf(":", first + 1);
  if (second < 0) return undefined;
  const platform = id.slice(0, first);
  if (!(PLATFORMS as readonly string[]).includes(platform)) return undefined;
  return { platform: platform as Platform, workspaceId: id.slice(first + 1, second), localId: id.slice(second + 1) };
}
