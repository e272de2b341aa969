import type { Place } from "./identity.js";

/**
 * Mentions written as text — a `/config set` value, a Slack command's arguments, a console line —
 * in each platform's own markup, turned into namespaced ids. This is text syntax, not a platform
 * API: Discord writes `<@123>`, `<@&456>`, `<#789>`; Slack writes `<@U123|ada>`, `<#C123|general>`,
 * `<!subteam^S123|@mods>`; the console writes `@ada` and `#general`.
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

const PATTERNS: { platform: Where["platform"]; type: RefType; re: RegExp }[] = [
  { platform: "discord", type: "role", re: /^<@&(\d+)>$/ },
  { platform: "discord", type: "member", re: /^<@!?(\d+)>$/ },
  { platform: "discord", type: "channel", re: /^<#(\d+)>$/ },
  { platform: "slack", type: "member", re: /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/ },
  { platform: "slack", type: "channel", re: /^<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>$/ },
  { platform: "slack", type: "role", re: /^<!subteam\^([A-Z0-9]+)(?:\|@?([^>]*))?>$/ },
  { platform: "console", type: "member", re: /^@([\w.-]+)$/ },
  { platform: "console", type: "channel", re: /^#([\w.-]+)$/ },
];

/** Parses one mention token written on the platform of `where`; undefined if it is not one. */
export function parseRef(token: string, where: Where): ParsedRef | undefined {
  for (const p of PATTERNS) {
    if (p.platform !== where.platform) continue;
    const m = p.re.exec(token.trim());
    if (!m) continue;
    // Roles (Discord roles, Slack user groups) carry `&` so they never collide with a member id.
    const id = `${where.platform}:${where.workspaceId}:${p.type === "role" ? "&" : ""}${m[1]}`;
    const name = m[2] ?? (where.platform === "console" ? m[1] : undefined);
    return name ? { type: p.type, id, name } : { type: p.type, id };
  }
  return undefined;
}

/** Accepts a mention, or an id already namespaced (`discord:1:2`), as a reference of `type`. */
export function parseRefOf(type: RefType, token: string, where: Where): ParsedRef | undefined {
  const trimmed = token.trim();
  const parsed = parseRef(trimmed, where);
  if (parsed) return parsed.type === type ? parsed : undefined;
  if (/^(discord|slack|console):[^:\s]+:[^\s]+$/.test(trimmed) && trimmed.split(":")[2]!.startsWith("&") === (type === "role")) return { type, id: trimmed };
  return undefined;
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
