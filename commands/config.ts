import { option } from "../src/core/options.js";
import { channelMention, mention, roleMention } from "../src/core/reply.js";
import { parseNamespacedId } from "../src/core/identity.js";
import { group, subcommand, UserError } from "../src/engine/commands/context.js";
import { acceptedValues, applySetting, readSetting, SETTING_KEYS, type SettingKey, settingKeyNames } from "../src/engine/communities/settings-keys.js";

/** `/config show` and `/config set <key> <value>`: the community's settings (admins only). */
export default group({
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
      description: "Change one setting",
      options: {
        key: option.choice({ description: "Which setting", choices: settingKeyNames as [SettingKey, ...SettingKey[]], required: true }),
        value: option.string({ description: "The new value (\"none\" clears a channel or list)", required: true, maxLength: 500 }),
      },
      async run(ctx, { key, value }) {
        const result = applySetting(ctx.community.settings, key, value, ctx.place);
        if (!result.ok) throw new UserError(result.error);
        await ctx.services.communities.updateSettings(ctx.community, result.settings);
        return {
          text: `Set \`${key}\` to ${show(key, readSetting(result.settings, key))}. (${SETTING_KEYS[key].help}; accepts ${acceptedValues(key, ctx.place.platform)})`,
          ephemeral: true,
          tone: "success",
        };
      },
    }),
  },
});

function show(key: SettingKey, value: unknown): string {
  const kind = SETTING_KEYS[key].kind;
  if (value === null || (Array.isArray(value) && value.length === 0)) return "none";
  const ref = (id: string) => {
    if (kind === "channel" || kind === "channelList") return channelMention({ id });
    return parseNamespacedId(id)?.localId.startsWith("&") ? roleMention({ id }) : mention({ id });
  };
  if (Array.isArray(value)) return value.map((v) => ref(String(v))).join(", ");
  if (kind === "channel") return ref(String(value));
  return String(value);
}
