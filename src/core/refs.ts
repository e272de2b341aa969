import type { Place } from "./identity.js";

/**
 * Mentions written as text — a `/config set` value, a Slack command's arguments, a console line —
 * in each platform's own markup, turned into namespaced ids. This is text syntax, not a platform
 * API: Discord writes `<@123>`, `<@&456>`, `<#789>`; Slack writes `<@U123|ada>`, `<#C123|general>`,
 * `<!subteam^S123|@mods>`; the console writes `@ada` and `#general` (letters of any script).
 *
 * A member option accepts only this markup, because on Discord and Slack markup is what the client
 * produces when someone picks a real member; a typed id (`slack:T1:UFAKE`) is free text and never
 * becomes a member. Only setting values an admin types may also name things by namespaced id
 * ({@link parseSettingRef}), which is how a community that spans two platforms names the other's.
 *
 * @example
 * parseRef("<#C024BE7LR|general>", { platform: "slack", workspaceId: "T1", channelId: "C1" })
 * // { type: "channel", id: "slack:T1:C024BE7LR", name: "general" }
 * parseRef("<@&42>", { platform: "discord", workspaceId: "G1", channelId: "C1" })
 * // { type: "role", id: "discord:G1:&42" }
 */
export type RefType = "member" | "channel" | "role";

export interface ParsedRef {
  type: RefType;
  /** Namespaced: `<platform>:<workspace>:<id>`. */
  id: string;
  name?: string;
}

type Where = Pick<Place, "platform" | "workspaceId">;

/** A console name: 1–32 letters or digits of any script, `.`, `_` or `-` (no spaces, controls or bidi marks). */
export const CONSOLE_NAME = /^[\p{L}\p{M}\p{N}_.-]{1,32}$/u;
const CONSOLE_NAME_PART = "([\\p{L}\\p{M}\\p{N}_.-]{1,32})";

const PATTERNS: { platform: Where["platform"]; type: RefType; re: RegExp }[] = [
  { platform: "discord", type: "role", re: /^<@&(\d+)>$/ },
  { platform: "discord", type: "member", re: /^<@!?(\d+)>$/ },
  { platform: "discord", type: "channel", re: /^<#(\d+)>$/ },
  { platform: "slack", type: "member", re: /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/ },
  { platform: "slack", type: "channel", re: /^<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>$/ },
  { platform: "slack", type: "role", re: /^<!subteam\^([A-Z0-9]+)(?:\|@?([^>]*))?>$/ },
  { platform: "console", type: "member", re: new RegExp(`^@${CONSOLE_NAME_PART}$`, "u") },
  { platform: "console", type: "channel", re: new RegExp(`^#${CONSOLE_NAME_PART}$`, "u") },
];

/** Parses one mention token written on the platform of `where`; undefined if it is not one. */
export function parseRef(token: string, where: Where): ParsedRef | undefined {
  for (const p of PATTERNS) {
    if (p.platform !== where.platform) continue;
    const m = p.re.exec(token.trim());
    if (!m) continue;
    return make(p.type, m[1]!, m[2] ?? (where.platform === "console" ? m[1] : undefined), where);
  }
  return undefined;
}

function make(type: RefType, localId: string, name: string | undefined, where: Where): ParsedRef {
  // Roles (Discord roles, Slack user groups) carry `&` so they never collide with a member id.
  const id = `${where.platform}:${where.workspaceId}:${type === "role" ? "&" : ""}${localId}`;
  return name ? { type, id, name } : { type, id };
}

/**
 * A mention of `type` in the platform's own markup; undefined for anything else, typed ids included.
 * The console has no role markup of its own: where a role is asked for, `@name` names the role
 * `name` (`/config set levels.roleRewards 5:@Regular`).
 */
export function parseRefOf(type: RefType, token: string, where: Where): ParsedRef | undefined {
  const parsed = parseRef(token, where);
  if (parsed?.type === type) return parsed;
  if (parsed && type === "role" && where.platform === "console" && parsed.type === "member") return make("role", parsed.name!, parsed.name, where);
  return undefined;
}

// Namespaced ids as the engine writes them: a known platform, a plain workspace id, then a local id
// of letters, digits and `._-` (a role's with its `&`). No spaces, control or bidi characters.
const NAMESPACED = /^(discord|slack|console):([A-Za-z0-9_-]+):(&?)([\p{L}\p{M}\p{N}_.-]+)$/u;

/**
 * For setting values an admin types (`/config set roles.moderators …`): a mention as
 * {@link parseRefOf} reads it, or an id already namespaced (`discord:1:&2`) — the only way to name a
 * member, role or channel of a linked workspace on the other platform, and what {@link writeRef}
 * writes for those. Never used for member options.
 */
export function parseSettingRef(type: RefType, token: string, where: Where): ParsedRef | undefined {
  const trimmed = token.trim();
  const parsed = parseRefOf(type, trimmed, where);
  if (parsed) return parsed;
  const m = NAMESPACED.exec(trimmed);
  if (!m || (m[3] === "&") !== (type === "role")) return undefined;
  return { type, id: trimmed };
}

/**
 * How to type a stored id back on a platform, e.g. to show a setting's current value in a dialog:
 * the platform's markup for its own ids (`<@&42>`, `<#C1>`, `@bob`), else the namespaced id, which
 * {@link parseSettingRef} reads back.
 */
export function writeRef(type: RefType, id: string, where: Where): string {
  const m = NAMESPACED.exec(id);
  if (!m || m[1] !== where.platform || m[2] !== where.workspaceId) return id;
  const local = m[4]!;
  switch (where.platform) {
    case "discord":
      return type === "role" ? `<@&${local}>` : type === "channel" ? `<#${local}>` : `<@${local}>`;
    case "slack":
      return type === "role" ? `<!subteam^${local}>` : type === "channel" ? `<#${local}>` : `<@${local}>`;
    case "console":
      return type === "channel" ? `#${local}` : `@${local}`;
  }
}

/** How to write a reference of `type` on a platform, for error messages. */
export function refExample(type: RefType, platform: Where["platform"]): string {
  const examples: Record<Where["platform"], Record<RefType, string>> = {
    discord: { member: "@member", channel: "#channel", role: "@role" },
    slack: { member: "@member", channel: "#channel", role: "@user-group" },
    console: { member: "@name", channel: "#name", role: "@name" },
  };
  return examples[platform][type];
}
