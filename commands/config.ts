import { option } from "../src/core/options.js";
import { channelMention, memberText, mention, roleMention, time } from "../src/core/reply.js";
import { parseNamespacedId } from "../src/core/identity.js";
import { writeRef } from "../src/core/refs.js";
import { usageOf } from "../src/core/usage.js";
import type { Reply } from "../src/core/reply.js";
import { type Command, type CommandContext, group, subcommand, UserError } from "../src/engine/commands/context.js";
import {
  acceptedValues,
  applySetting,
  isSettingKey,
  readSetting,
  SETTING_KEYS,
  type SettingKey,
  settingKeyNames,
} from "../src/engine/communities/settings-keys.js";

/**
 * `/config show`, `/config set <key> [value]`: the community's settings; `/config link` and
 * `/config join <code>`: one community across a Discord server and a Slack workspace. Admins only.
 */
const config: Command = group({
  name: "config",
  description: "Show or change this community's settings",
  access: "admin",
  subcommands: {
    show: subcommand({
      description: "Show every setting and its value",
      options: {},
      run(ctx) {
        return {
          title: `Settings of ${ctx.community.name}`,
          text: settingKeyNames.map((key) => `${key} = ${show(key, readSetting(ctx.community.settings, key))}`).join("\n"),
          fields: settingKeyNames.map((key) => ({ name: key, value: show(key, readSetting(ctx.community.settings, key)), inline: true })),
          footer: "Change one with /config set <key> <value>",
          ephemeral: true,
        };
      },
    }),
    set: subcommand({
      description: "Change one setting (leave out the value to type it in a dialog)",
      options: {
        key: option.choice({ description: "Which setting", choices: settingKeyNames as [SettingKey, ...SettingKey[]], required: true }),
        value: option.string({ description: "The new value (\"none\" clears a channel or list)", maxLength: 500 }),
      },
      async run(ctx, { key, value }) {
        if (value === undefined) return valueForm(ctx, key);
        return set(ctx, key, value, `\nUsage: ${usageOf(config, "set")}`);
      },
    }),
    link: subcommand({
      description: "Get a code that joins another workspace (Slack or Discord) to this community",
      options: {},
      async run(ctx) {
        const { code, expiresAt } = await ctx.services.links.createCode(ctx.community, ctx.actor.id);
        return {
          text: `In the other workspace, an admin runs \`/config join ${code}\` before ${time(expiresAt, "short")}. Its members then earn into this community's ledger and share its leaderboard and settings.`,
          ephemeral: true,
          tone: "info",
        };
      },
    }),
    join: subcommand({
      description: "Join this workspace to a community with a code from /config link",
      options: {
        code: option.string({ description: "The code /config link gave, like ABCD-EF23", required: true, minLength: 8, maxLength: 12 }),
      },
      async run(ctx, { code }) {
        const result = await ctx.services.links.join(code, ctx.place);
        if (result.ok) {
          return { text: `This workspace is now part of ${result.community.name}: one ledger, one leaderboard, its settings.`, ephemeral: true, tone: "success" };
        }
        const why: Record<typeof result.reason, string> = {
          "unknown-code": "That code doesn't exist. Run /config link in the community you want to join for a fresh one.",
          expired: "That code has expired (they last 30 minutes). Run /config link again for a fresh one.",
          "same-community": "This workspace is already part of that community.",
          "has-activity": "This workspace already has points of its own, and joining would merge two ledgers. Join from the workspace that has no activity yet (run /config link here and /config join there).",
        };
        throw new UserError(why[result.reason]);
      },
    }),
  },
  forms: {
    // Form ids look like `config:set:points.post`.
    set: {
      async run(ctx, values, key) {
        if (!key || !isSettingKey(key)) throw new UserError("That setting no longer exists; run /config show.");
        return set(ctx, key, values.value ?? "");
      },
    },
  },
});
export default config;

/** `usage` ends a refusal typed as a command; a dialog's refusal needs none. */
async function set(ctx: CommandContext, key: SettingKey, value: string, usage = ""): Promise<Reply> {
  const result = applySetting(ctx.community.settings, key, value, ctx.place);
  if (!result.ok) throw new UserError(`${result.error}${usage}`);
  // Unique across communities: the web capability says whether another holds it.
  const taken = key === "web.slug" ? await ctx.services.web.slugRefusal(ctx.community, result.settings.web.slug) : undefined;
  if (taken) throw new UserError(taken);
  await ctx.services.communities.updateSettings(ctx.community, result.settings);
  return {
    text: `Set \`${key}\` to ${show(key, readSetting(result.settings, key))}. (${SETTING_KEYS[key].help}; accepts ${acceptedValues(key, ctx.place.platform)})`,
    ephemeral: true,
    tone: "success",
  };
}

/**
 * A dialog with the current value to edit: handy for long lists of roles or channels. The value is
 * written as an admin would type it here (`@bob`, `<#C1>`), so saving it unchanged keeps it.
 */
function valueForm(ctx: CommandContext, key: SettingKey): Reply {
  const text = typedValue(key, readSetting(ctx.community.settings, key), ctx.place);
  return {
    text: `Set ${key}`,
    ephemeral: true,
    form: {
      id: `config:set:${key}`,
      title: `Set ${key}`.slice(0, 45),
      submitLabel: "Save",
      fields: [{ id: "value", label: "New value".slice(0, 45), style: "paragraph", required: true, value: text, placeholder: acceptedValues(key, ctx.place.platform).slice(0, 100), maxLength: 500 }],
    },
  };
}

const WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

function typedValue(key: SettingKey, value: unknown, where: CommandContext["place"]): string {
  const kind = SETTING_KEYS[key].kind;
  if (value === null || value === undefined) return "";
  const isRole = (id: string) => parseNamespacedId(id)?.localId.startsWith("&") ?? false;
  if (kind === "levelRoles") return (value as { level: number; role: string }[]).map((r) => `${r.level}:${writeRef("role", r.role, where)}`).join(" ");
  if (kind === "honorRoles") return (value as { honor: string; role: string }[]).map((r) => `${r.honor}:${writeRef("role", r.role, where)}`).join(" ");
  if (kind === "channel" || kind === "channelList") return (Array.isArray(value) ? value : [value]).map((id) => writeRef("channel", String(id), where)).join(" ");
  if (kind === "roleList") {
    // In the console `@name` reads back as a member in a role list, so a role keeps its full id there.
    return (value as string[]).map((id) => (isRole(id) && where.platform === "console" ? id : writeRef(isRole(id) ? "role" : "member", id, where))).join(" ");
  }
  if (kind === "boolean") return value ? "on" : "off";
  if (kind === "integerList") return (value as number[]).join(" ");
  if (kind === "wordList") return (value as string[]).join(", ");
  if (kind === "honorList") return (value as string[]).join(" ");
  if (kind === "weekday") return WEEKDAY_NAMES[Number(value) - 1] ?? String(value);
  return String(value);
}

function show(key: SettingKey, value: unknown): string {
  const kind = SETTING_KEYS[key].kind;
  if (value === null || (Array.isArray(value) && value.length === 0)) return "none";
  const ref = (id: string) => {
    if (kind === "channel" || kind === "channelList") return channelMention({ id });
    return parseNamespacedId(id)?.localId.startsWith("&") ? roleMention({ id }) : mention({ id });
  };
  if (kind === "levelRoles") return (value as { level: number; role: string }[]).map((r) => `${r.level}: ${roleMention({ id: r.role })}`).join(", ");
  if (kind === "honorRoles") return (value as { honor: string; role: string }[]).map((r) => `${r.honor}: ${roleMention({ id: r.role })}`).join(", ");
  if (kind === "integerList") return (value as number[]).join(", ");
  if (kind === "honorList") return (value as string[]).join(", ");
  if (kind === "weekday") return WEEKDAY_NAMES[Number(value) - 1] ?? String(value);
  // Banned words are shown as member text: a phrase must never become markup or a mention.
  if (kind === "wordList") return (value as string[]).map((w) => memberText(w)).join(", ");
  if (Array.isArray(value)) return value.map((v) => ref(String(v))).join(", ");
  if (kind === "channel") return ref(String(value));
  // Shown as it is typed: `/config set levels.announce off`.
  if (kind === "boolean") return value ? "on" : "off";
  return String(value);
}
