import type { Place } from "../../core/identity.js";
import { parseRefOf, refExample } from "../../core/refs.js";
import { type Settings, settingsSchema } from "./settings.js";

/**
 * The keys `/config set` accepts, each with how its value is written as text. The settings schema
 * stays the judge of what is valid; this table only turns text into the shape it expects.
 */
type KeyKind = "timezone" | "integer" | "boolean" | "channel" | "channelList" | "roleList" | "levelRoles";

interface KeySpec {
  kind: KeyKind;
  help: string;
}

export const SETTING_KEYS = {
  timezone: { kind: "timezone", help: "IANA timezone for days, weeks and shown times" },
  "channels.announcements": { kind: "channel", help: "where talks and weekly boards are announced" },
  "channels.modQueue": { kind: "channel", help: "where flagged posts are queued for moderators" },
  "channels.talks": { kind: "channel", help: "where talks happen" },
  "points.post": { kind: "integer", help: "points for a top-level message" },
  "points.reply": { kind: "integer", help: "points for a thread reply" },
  "points.reactionReceived": { kind: "integer", help: "points to an author per reaction received" },
  "points.thanksReceived": { kind: "integer", help: "points for being thanked" },
  "points.messageCooldownSeconds": { kind: "integer", help: "seconds between message awards per member" },
  "points.dailyCap": { kind: "integer", help: "activity points per member per day" },
  "points.thanksPerDay": { kind: "integer", help: "thanks a member can give per day" },
  "points.noPointsChannels": { kind: "channelList", help: "channels where activity earns nothing" },
  "levels.announce": { kind: "boolean", help: "congratulate members who reach a new level" },
  "levels.roleRewards": { kind: "levelRoles", help: "roles granted at levels (Discord)" },
  "roles.moderators": { kind: "roleList", help: "roles, user groups or members who moderate" },
  "roles.organizers": { kind: "roleList", help: "roles, user groups or members who organise talks" },
  "roles.admins": { kind: "roleList", help: "roles, user groups or members who configure the bot" },
} as const satisfies Record<string, KeySpec>;

export type SettingKey = keyof typeof SETTING_KEYS;

export const settingKeyNames = Object.keys(SETTING_KEYS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_KEYS, key);
}

export function acceptedValues(key: SettingKey, platform: Place["platform"]): string {
  switch (SETTING_KEYS[key].kind) {
    case "timezone":
      return "an IANA timezone such as UTC, Europe/Berlin or America/New_York";
    case "integer":
      return "a whole number of 0 or more";
    case "boolean":
      return "on or off";
    case "levelRoles":
      return `level:role pairs separated by spaces or commas (e.g. 5:${refExample("role", platform)}), or "none"`;
    case "channel":
      return `a channel (${refExample("channel", platform)}) or "none"`;
    case "channelList":
      return `channels separated by spaces or commas (${refExample("channel", platform)}), or "none"`;
    case "roleList":
      return `roles or members separated by spaces or commas (${refExample("role", platform)}, ${refExample("member", platform)}), or "none"`;
  }
}

export function readSetting(settings: Settings, key: SettingKey): unknown {
  const [group, leaf] = key.split(".") as [string, string | undefined];
  const top = (settings as Record<string, unknown>)[group];
  return leaf === undefined ? top : (top as Record<string, unknown>)[leaf];
}

type ParseResult = { ok: true; settings: Settings } | { ok: false; error: string };

/** Returns the settings with `key` set from `text`, or an error that says what is accepted. */
export function applySetting(settings: Settings, key: SettingKey, text: string, where: Pick<Place, "platform" | "workspaceId">): ParseResult {
  const value = parseValue(key, text.trim(), where);
  const wrong = (): ParseResult => ({ ok: false, error: `\`${text.trim() || "(empty)"}\` is not a valid value for \`${key}\`: expected ${acceptedValues(key, where.platform)}.` });
  if (value === INVALID) return wrong();

  const next = structuredClone(settings) as Record<string, Record<string, unknown> | unknown>;
  const [group, leaf] = key.split(".") as [string, string | undefined];
  if (leaf === undefined) next[group] = value;
  else (next[group] as Record<string, unknown>)[leaf] = value;

  const checked = settingsSchema.safeParse(next);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const limit = issue && "maximum" in issue ? ` (at most ${String(issue.maximum)})` : "";
    return { ok: false, error: `\`${text.trim()}\` is not a valid value for \`${key}\`: expected ${acceptedValues(key, where.platform)}${limit}.` };
  }
  return { ok: true, settings: checked.data };
}

const INVALID = Symbol("invalid");

function parseValue(key: SettingKey, text: string, where: Pick<Place, "platform" | "workspaceId">): unknown {
  const none = /^(none|null|-)$/i.test(text);
  switch (SETTING_KEYS[key].kind) {
    case "timezone":
      return text;
    case "integer":
      return /^\d+$/.test(text) ? Number(text) : INVALID;
    case "boolean":
      if (/^(on|true|yes|1)$/i.test(text)) return true;
      if (/^(off|false|no|0)$/i.test(text)) return false;
      return INVALID;
    case "levelRoles": {
      if (none) return [];
      const rewards: { level: number; role: string }[] = [];
      for (const token of splitList(text)) {
        const m = /^(\d+):(.+)$/s.exec(token);
        const role = m ? parseRefOf("role", m[2]!, where) : undefined;
        if (!m || !role) return INVALID;
        rewards.push({ level: Number(m[1]), role: role.id });
      }
      return rewards.length ? rewards.sort((a, b) => a.level - b.level) : INVALID;
    }
    case "channel":
      if (none) return null;
      return parseRefOf("channel", text, where)?.id ?? INVALID;
    case "channelList":
    case "roleList": {
      if (none) return [];
      const tokens = splitList(text);
      if (tokens.length === 0) return INVALID;
      const ids: string[] = [];
      for (const token of tokens) {
        const ref =
          SETTING_KEYS[key].kind === "channelList"
            ? parseRefOf("channel", token, where)
            : (parseRefOf("role", token, where) ?? parseRefOf("member", token, where));
        if (!ref) return INVALID;
        if (!ids.includes(ref.id)) ids.push(ref.id);
      }
      return ids;
    }
  }
}

/** Splits on commas and white space that are outside `<…>` mention markup (Slack names may hold spaces). */
function splitList(text: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let depth = 0;
  for (const ch of text) {
    if (ch === "<") depth++;
    if (ch === ">") depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === "," || /\s/.test(ch))) {
      if (current) tokens.push(current);
      current = "";
    } else current += ch;
  }
  if (current) tokens.push(current);
  return tokens;
}
