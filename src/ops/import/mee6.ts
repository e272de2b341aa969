import { z } from "zod";
import { describeAt, describeIssues, parseJson } from "./json-location.js";
import { MAX_XP, type Parsed, refuseDuplicates, SNOWFLAKE, type XpFile, type XpRecord } from "./xp-file.js";

/**
 * MEE6's leaderboard, as `https://mee6.xyz/api/plugins/levels/leaderboard/<guild>?limit=1000&page=N`
 * returns it: `{ guild: { id, name, … }, players: [{ id, username, discriminator, avatar, xp,
 * level, message_count, detailed_xp: [in level, level span, total], guild_id }], xp_rate, … }`.
 * `xp` is the member's total. One page, or a JSON array of pages (`jq -s . page*.json`). Only `id`
 * and `xp` are required; everything else MEE6 adds is let through.
 */
const player = z.looseObject({
  id: z.string().regex(SNOWFLAKE, "a Discord user id (digits, as a string)"),
  username: z.string().optional(),
  xp: z.number().int().min(0).max(MAX_XP),
  guild_id: z.string().regex(SNOWFLAKE).optional(),
});

const page = z.looseObject({
  guild: z.looseObject({ id: z.string().regex(SNOWFLAKE, "a Discord server id (digits, as a string)") }).nullish(),
  players: z.array(player),
  xp_rate: z.number().optional(),
});

const pages = z.array(page).min(1, "at least one page");

export function parseMee6(text: string): Parsed<XpFile> {
  const json = parseJson(text);
  if (!json.ok) return json;
  // One schema or the other by shape: a union's error would only say that neither matched.
  const paged = Array.isArray(json.value);
  const parsed = paged ? pages.safeParse(json.value) : page.safeParse(json.value);
  if (!parsed.success) return { ok: false, error: describeIssues(text, parsed.error.issues) };
  const list = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const pathOf = (p: number, i: number) => (paged ? [p, "players", i] : ["players", i]);

  const guilds = new Set<string>();
  const records: XpRecord[] = [];
  list.forEach((pg, p) => {
    if (pg.guild?.id) guilds.add(pg.guild.id);
    pg.players.forEach((pl, i) => {
      if (pl.guild_id) guilds.add(pl.guild_id);
      records.push({ member: pl.id, ...(pl.username ? { name: pl.username } : {}), xp: pl.xp, where: () => describeAt(text, pathOf(p, i)) });
    });
  });
  if (guilds.size > 1) return { ok: false, error: `the file mixes Discord servers (${[...guilds].join(", ")}); import one server's leaderboard at a time` };
  const duplicate = refuseDuplicates(records);
  if (duplicate) return { ok: false, error: duplicate };
  const rates = new Set(list.map((pg) => pg.xp_rate).filter((r) => r !== undefined && r !== 1));
  const notes = rates.size ? [`MEE6 ran this server at an XP rate of ×${[...rates].join(", ×")}: the default factor assumes ×1 (choose another with --factor).`] : [];
  const [guildId] = guilds;
  return { ok: true, value: { source: "mee6", platform: "discord", ...(guildId ? { guildId } : {}), records, notes } };
}
