import { z } from "zod";
import { describeAt, describeIssues, parseJson } from "./json-location.js";
import { MAX_XP, type Parsed, SNOWFLAKE, type XpFile, type XpRecord } from "./xp-file.js";

/**
 * Polaris (GDColon's XP bot, github.com/GDColon/Polaris-Open): the file its "Export XP" button
 * attaches (`commands/button/export_xp.js`): `{ settings: {…}, users: { "<discord user id>": { xp,
 * cooldown?, hidden? } } }`, named after the server. It carries no server id and no names. The
 * server's XP per message is `settings.gain.min`–`settings.gain.max` (50–100 unless changed,
 * `database_schema.js`). Polaris' own importer also takes `{ xp: {…} }` for `users`; so do we.
 */
const user = z.looseObject({
  xp: z.number().min(0).max(MAX_XP),
});

const file = z.looseObject({
  settings: z
    .looseObject({
      gain: z.looseObject({ min: z.number().optional(), max: z.number().optional() }).optional(),
    })
    .optional(),
  users: z.record(z.string().regex(SNOWFLAKE, "a Discord user id (digits)"), user),
});

export function parsePolaris(text: string): Parsed<XpFile> {
  const json = parseJson(text);
  if (!json.ok) return json;
  const value = json.value as { users?: unknown; xp?: unknown } | null;
  const usersKey = value && typeof value === "object" && value.users === undefined && value.xp !== undefined ? "xp" : "users";
  const parsed = file.safeParse(usersKey === "xp" && value ? { ...value, users: value.xp } : value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (usersKey === "xp" && i.path[0] === "users" ? { ...i, path: ["xp", ...i.path.slice(1)] } : i));
    return { ok: false, error: describeIssues(text, issues) };
  }
  // JSON keys are unique per object as JSON.parse reads them (the last wins), so no duplicates here.
  const records: XpRecord[] = Object.entries(parsed.data.users).map(([id, u]) => ({ member: id, xp: u.xp, where: () => describeAt(text, [usersKey, id]) }));
  const gain = parsed.data.settings?.gain;
  const notes =
    gain && (gain.min !== undefined || gain.max !== undefined) && (gain.min !== 50 || gain.max !== 100)
      ? [`Polaris gave ${gain.min ?? "?"}–${gain.max ?? "?"} XP per message here: the default factor assumes 50–100 (choose another with --factor).`]
      : [];
  return { ok: true, value: { source: "polaris", platform: "discord", records, notes } };
}
