import type { Place } from "../../core/identity.js";
import { parseSettingRef, refExample } from "../../core/refs.js";
import { memberText } from "../../core/reply.js";
import { SLUG_PATTERN, WEB_SETTING_KEYS } from "../web/web-settings.js";
import { type Settings, settingsSchema, SPONSOR_WEEKS } from "./settings.js";

/**
 * The keys `/config set` accepts, each with how its value is written as text. The settings schema
 * stays the judge of what is valid; this table only turns text into the shape it expects.
 */
type KeyKind = "sponsorWeeks" | "currency" | "timezone" | "weekday" | "clock" | "honorList" | "integer" | "integerList" | "number" | "boolean" | "channel" | "channelList" | "roleList" | "levelRoles" | "honorRoles" | "wordList" | "slug";

interface KeySpec {
  kind: KeyKind;
  help: string;
}

export const SETTING_KEYS = {
  timezone: { kind: "timezone", help: "IANA timezone for days, weeks and shown times" },
  "channels.announcements": { kind: "channel", help: "where level-ups are announced (none: where they happened)" },
  "channels.modQueue": { kind: "channel", help: "where moderators are told about problems, such as a role the bot can't grant" },
  "channels.talks": { kind: "channel", help: "where talks are announced, reminded and started (/talk)" },
  "channels.reviews": { kind: "channel", help: "where code-review requests are posted with a Claim button (/review request)" },
  "channels.feedback": { kind: "channel", help: "where member feedback goes to organizers (none: talks.organizersChannel, then channels.modQueue)" },
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
  "talks.organizersChannel": { kind: "channel", help: "where talk proposals go for organizers (none: channels.modQueue)" },
  "talks.reminderMinutes": { kind: "integerList", help: "minutes before a talk that reminders go out (default 1440 15)" },
  "talks.attendanceMinutes": { kind: "integer", help: "minutes in the talk's voice channel that count as attending (Discord)" },
  "talks.speakerPoints": { kind: "integer", help: "points for giving a talk (once per talk, outside the daily cap)" },
  "talks.attendeePoints": { kind: "integer", help: "points for attending a talk (once per talk, outside the daily cap)" },
  "moderation.enabled": { kind: "boolean", help: "score messages and queue low-quality and reported ones for moderators" },
  "moderation.warmup": { kind: "integer", help: "messages seen before the adaptive threshold replaces the fixed one" },
  "moderation.zThreshold": { kind: "number", help: "flag a message whose z-score (q − μ) / σ is below this, after the warm-up" },
  "moderation.fixedThreshold": { kind: "number", help: "during the warm-up, flag a message whose quality score (0–1) is below this" },
  "moderation.bannedWords": { kind: "wordList", help: "words and phrases that flag a message at once (l33t spellings too)" },
  "moderation.reportThreshold": { kind: "number", help: "weighted member reports that send a message to the review queue" },
  "moderation.penalty": { kind: "integer", help: "points \"Remove and penalise\" takes from the author" },
  "knowledge.solutionPoints": { kind: "integer", help: "points for an accepted answer's author, once per question, outside the daily cap (default 15)" },
  "knowledge.helpChannels": { kind: "channelList", help: "help channels, where a new question matching a solved one may get a \"this may help\" reply" },
  "knowledge.suggest": { kind: "boolean", help: "reply \"this may help\" with the best solved match to new questions in help channels (default off)" },
  "reviews.points": { kind: "integer", help: "points for the reviewer when a code review is marked done, outside the daily cap (default 20)" },
  "reviews.claimHours": { kind: "integer", help: "hours a claimed review may stay unfinished before it is released (default 48)" },
  "economy.authorShare": { kind: "integer", help: "percent of a tip the receiver gets; the rest goes to the community pool (default 90)" },
  "economy.weeklyAllowance": { kind: "integer", help: "points a member may give in tips per week (default 50)" },
  "economy.pairWeeklyCap": { kind: "integer", help: "points one member may tip one other member per week (default 25)" },
  "economy.collusionTips": { kind: "integer", help: "tips back and forth between two members within 7 days that send them to the moderators' queue (0: never; default 6)" },
  "economy.minBounty": { kind: "integer", help: "smallest bounty (default 5)" },
  "economy.bountyDays": { kind: "integer", help: "days an unawarded bounty stays open before it is refunded (default 7)" },
  "digest.enabled": { kind: "boolean", help: "post the weekly digest in channels.announcements (needs that channel set)" },
  "digest.day": { kind: "weekday", help: "weekday the digest is posted on (default monday)" },
  "digest.time": { kind: "clock", help: "local time the digest is posted at (default 09:00)" },
  "digest.graceHours": { kind: "integer", help: "hours a missed digest may still be posted late (default 24)" },
  "digest.channels": { kind: "channelList", help: "more channels the digest is posted in (e.g. the other platform's announcements)" },
  "digest.honors": { kind: "honorList", help: "honors the digest awards: contributor, helpful, newcomer, attendee" },
  "digest.honorRoles": { kind: "honorRoles", help: "a Discord role per honor, held by the week's winner until the next digest" },
  "sponsors.goldWeeks": { kind: "sponsorWeeks", help: "weeks within which each gold sponsor is shouted out (default 1)" },
  "sponsors.silverWeeks": { kind: "sponsorWeeks", help: "weeks within which each silver sponsor is shouted out (default 2)" },
  "sponsors.bronzeWeeks": { kind: "sponsorWeeks", help: "weeks within which each bronze sponsor is shouted out (default 4)" },
  "sponsors.beta": { kind: "number", help: "β of the sponsor ledger E_t = E_{t−1} + β·R_t (default 1)" },
  "sponsors.currency": { kind: "currency", help: "currency new contributions are recorded in (default USD)" },
  ...WEB_SETTING_KEYS,
  "roles.moderators": { kind: "roleList", help: "roles, user groups or members who moderate (they see moderator notices)" },
  "roles.organizers": { kind: "roleList", help: "roles, user groups or members who organise talks (/talk schedule, cancel, edit)" },
  "roles.admins": { kind: "roleList", help: "roles, user groups or members who may /config (besides server or workspace admins)" },
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
    case "weekday":
      return "a weekday: monday … sunday (or mon … sun, or 1–7 with 1 = Monday)";
    case "clock":
      return "a time of day as HH:MM, from 00:00 to 23:59 (e.g. 09:00)";
    case "honorList":
      return `honors separated by spaces or commas, from ${HONOR_NAMES.join(", ")}, or "none"`;
    case "sponsorWeeks":
      return `a number of weeks: ${SPONSOR_WEEKS.join(", ")}`;
    case "currency":
      return "an ISO 4217 currency code such as USD, EUR or GBP";
    case "integer": {
      const { min, max } = integerRange(key);
      return `a whole number from ${min} to ${max}`;
    }
    case "number": {
      const { min, max } = integerRange(key);
      return `a number from ${min} to ${max} (e.g. ${min < 0 ? "-2" : "0.3"})`;
    }
    case "wordList":
      return `words or phrases separated by commas (e.g. "free nitro, spamword"), or "none"`;
    case "boolean":
      return "on or off";
    case "slug":
      return `1–40 lower-case letters, digits and dashes, not starting or ending with a dash (e.g. rust-berlin), or "none"`;
    case "integerList":
      return "whole numbers separated by spaces or commas (e.g. 1440 15), or \"none\"";
    case "honorRoles":
      return `honor:role pairs separated by spaces or commas (e.g. contributor:${refExample("role", platform)}), honors from ${HONOR_NAMES.join(", ")}, or "none"`;
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

/** The bounds the settings schema puts on a number key (integer or not), so messages say the real limit. */
export function integerRange(key: SettingKey): { min: number; max: number } {
  const [group, leaf] = key.split(".") as [string, string];
  // zod keeps each bound on the number schema under its default wrappers.
  type Wrapped = { unwrap(): unknown };
  const groupSchema = (settingsSchema.shape as Record<string, Wrapped>)[group]!.unwrap() as { shape: Record<string, Wrapped> };
  const number = groupSchema.shape[leaf]!.unwrap() as { minValue: number | null; maxValue: number | null };
  return { min: number.minValue ?? 0, max: number.maxValue ?? Number.MAX_SAFE_INTEGER };
}

/** Returns the settings with `key` set from `text`, or an error that says what is accepted. */
export function applySetting(settings: Settings, key: SettingKey, text: string, where: Pick<Place, "platform" | "workspaceId">): ParseResult {
  const value = parseValue(key, text.trim(), where);
  // What the admin typed is echoed as member text: shown as typed, never as a mention.
  const given = text.trim() ? memberText(text.trim()) : "(empty)";
  const wrong = (): ParseResult => ({ ok: false, error: `\`${given}\` is not a valid value for \`${key}\`: expected ${acceptedValues(key, where.platform)}.` });
  if (value === INVALID) return wrong();

  const next = structuredClone(settings) as Record<string, Record<string, unknown> | unknown>;
  const [group, leaf] = key.split(".") as [string, string | undefined];
  if (leaf === undefined) next[group] = value;
  else (next[group] as Record<string, unknown>)[leaf] = value;

  const checked = settingsSchema.safeParse(next);
  if (!checked.success) {
    const kind = SETTING_KEYS[key].kind;
    const limit = kind === "integer" || kind === "number" ? "" : bound(checked.error.issues[0]);
    return { ok: false, error: `\`${given}\` is not a valid value for \`${key}\`: expected ${acceptedValues(key, where.platform)}${limit}.` };
  }
  return { ok: true, settings: checked.data };
}

/** A bound the schema sets beyond the value's shape (a level from 1 to 1000, at most 25 rewards). */
function bound(issue: { path: PropertyKey[]; code: string; minimum?: unknown; maximum?: unknown } | undefined): string {
  if (!issue) return "";
  if (issue.path.at(-1) === "level") return " (levels go from 1 to 1000)";
  if (issue.code === "too_big" && issue.maximum !== undefined) return ` (at most ${String(issue.maximum)} of them)`;
  return "";
}

const INVALID = Symbol("invalid");

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const HONOR_NAMES = ["contributor", "helpful", "newcomer", "attendee"] as const;

function parseValue(key: SettingKey, text: string, where: Pick<Place, "platform" | "workspaceId">): unknown {
  const none = /^(none|null|-)$/i.test(text);
  switch (SETTING_KEYS[key].kind) {
    case "timezone":
      return text;
    case "weekday": {
      const lower = text.toLowerCase();
      if (/^[1-7]$/.test(lower)) return Number(lower);
      const index = WEEKDAYS.findIndex((d) => lower.length >= 3 && d.startsWith(lower));
      return index >= 0 ? index + 1 : INVALID;
    }
    case "clock": {
      const m = /^(\d{1,2}):(\d{2})$/.exec(text);
      return m ? `${m[1]!.padStart(2, "0")}:${m[2]}` : INVALID;
    }
    case "honorList": {
      if (none) return [];
      const tokens = splitList(text.toLowerCase());
      if (tokens.length === 0 || !tokens.every((t) => (HONOR_NAMES as readonly string[]).includes(t))) return INVALID;
      return [...new Set(tokens)];
    }
    case "currency":
      return text.toUpperCase();
    case "sponsorWeeks":
      return /^\d{1,3}$/.test(text) ? Number(text) : INVALID;
    case "integer": {
      if (!/^\d+$/.test(text)) return INVALID;
      // Past 2^53 a number is no longer exact (and zod would report that bound, not ours): such a
      // value is beyond every limit anyway, so the schema's own maximum refuses it.
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
    }
    case "integerList": {
      if (none) return [];
      const tokens = splitList(text);
      if (tokens.length === 0 || !tokens.every((t) => /^\d{1,9}$/.test(t))) return INVALID;
      return [...new Set(tokens.map(Number))].sort((a, b) => b - a);
    }
    case "number": {
      if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return INVALID;
      return Number(text);
    }
    case "wordList": {
      if (none) return [];
      const words = [...new Set(text.split(",").map((w) => w.trim().replace(/\s+/g, " ").toLowerCase()).filter((w) => w !== ""))];
      return words.length ? words : INVALID;
    }
    case "slug": {
      if (none) return null;
      const slug = text.toLowerCase();
      return SLUG_PATTERN.test(slug) ? slug : INVALID;
    }
    case "boolean":
      if (/^(on|true|yes|1)$/i.test(text)) return true;
      if (/^(off|false|no|0)$/i.test(text)) return false;
      return INVALID;
    case "honorRoles": {
      if (none) return [];
      const roles = new Map<string, string>();
      for (const token of splitList(text)) {
        const m = /^([a-z]+):(.+)$/is.exec(token);
        const honor = m?.[1]!.toLowerCase();
        const role = m ? parseSettingRef("role", m[2]!, where) : undefined;
        if (!honor || !(HONOR_NAMES as readonly string[]).includes(honor) || !role) return INVALID;
        roles.set(honor, role.id);
      }
      return roles.size ? [...roles].map(([honor, role]) => ({ honor, role })) : INVALID;
    }
    case "levelRoles": {
      if (none) return [];
      const rewards: { level: number; role: string }[] = [];
      for (const token of splitList(text)) {
        const m = /^(\d+):(.+)$/s.exec(token);
        const role = m ? parseSettingRef("role", m[2]!, where) : undefined;
        if (!m || !role) return INVALID;
        rewards.push({ level: Math.min(Number(m[1]), Number.MAX_SAFE_INTEGER), role: role.id });
      }
      return rewards.length ? rewards.sort((a, b) => a.level - b.level) : INVALID;
    }
    case "channel":
      if (none) return null;
      return parseSettingRef("channel", text, where)?.id ?? INVALID;
    case "channelList":
    case "roleList": {
      if (none) return [];
      const tokens = splitList(text);
      if (tokens.length === 0) return INVALID;
      const ids: string[] = [];
      for (const token of tokens) {
        // Member first: in the console `@name` could be either, and console members hold no roles.
        const ref =
          SETTING_KEYS[key].kind === "channelList"
            ? parseSettingRef("channel", token, where)
            : (parseSettingRef("member", token, where) ?? parseSettingRef("role", token, where));
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
