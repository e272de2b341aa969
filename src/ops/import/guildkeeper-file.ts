import { z } from "zod";
import { migrations } from "../../db/migrate.js";
import { type Settings, settingsSchema } from "../../engine/communities/settings.js";
import { EXPORT_FORMAT, EXPORT_VERSION, EXPORTED_TABLES, type ExportedTable } from "../export/tables.js";
import { describeAt, describeIssues, parseJson } from "./json-location.js";
import { type Parsed, shown } from "./xp-file.js";

/**
 * Our own export (`npm run export -- --format json`, export.ts), validated before anything is
 * written: the envelope, every row's cells (text, numbers or null, under column names), the
 * ledger's, members' and levels' columns in full, the community's settings, and that every row
 * belongs to the exported community.
 */
/** A cell of an exported row: every column is text, a number or null. */
export type Cell = string | number | null;
/** An exported row: column name to cell. */
export type Row = Record<string, Cell>;

const COLUMN = /^[a-z_][a-z0-9_]*$/;
const iso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, "a UTC time like 2026-11-26T12:00:00.000Z");
// A forgotten member's rows stay, under a pseudonym (src/engine/forget/pseudonyms.ts): an export
// made after a forgetting holds them, and must restore.
const namespaced = z.string().regex(/^(?:(discord|slack|console):[^:]+:.+|forgotten:[0-9a-f]{32})$/, "a member id like discord:<server>:<user> (or a forgotten member's forgotten:<32 hex digits>)");
const cell = z.union([z.string(), z.number(), z.null()]);
const row = z.record(z.string().regex(COLUMN, "a column name (lower case, digits, _)"), cell);

const special: Partial<Record<string, z.ZodType>> = {
  members: z.looseObject({ member_id: namespaced, display_name: z.string().max(1024), is_bot: z.number().int().min(0).max(1), first_seen_at: iso, person_id: namespaced.nullable().optional() }),
  ledger: z.looseObject({
    key: z.string().min(1).max(1000),
    member_id: namespaced,
    amount: z.number().int().min(-1_000_000_000).max(1_000_000_000),
    reason: z.string().min(1).max(200),
    source_key: z.string().max(1000),
    at: iso,
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a day like 2026-11-26"),
    reverses: z.string().nullable(),
  }),
  level_ups: z.looseObject({ member_id: namespaced, level: z.number().int().min(1), reached_at: iso, channel_key: z.string(), announced_at: iso.nullable() }),
};

const rowSchema = (t: ExportedTable) => (special[t.name] ? row.pipe(special[t.name] as unknown as z.ZodType<Row, Row>) : row);
const tables = z.strictObject(Object.fromEntries(EXPORTED_TABLES.map((t) => [t.name, z.array(rowSchema(t)).optional()])));

const envelope = z.object({
  format: z.literal(EXPORT_FORMAT, `"${EXPORT_FORMAT}" (a file written by npm run export -- --format json)`),
  version: z.literal(EXPORT_VERSION, `version ${EXPORT_VERSION}`),
  schema: z.string(),
  exportedAt: iso,
  community: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "a community id (letters, digits, _ and -)"), name: z.string().max(200), settings: z.unknown(), created_at: iso }),
  workspaces: z.array(z.object({ platform: z.enum(["discord", "slack", "console"]), workspace_id: z.string().regex(/^[^\s:\p{C}]{1,200}$/u, "a workspace id") })),
  tables,
});

/** A validated export. */
export interface GuildkeeperFile {
  schema: string;
  exportedAt: string;
  community: { id: string; name: string; settings: Settings; createdAt: string };
  workspaces: { platform: "discord" | "slack" | "console"; workspaceId: string }[];
  tables: Partial<Record<string, Row[]>>;
  /** `tables.<name>[i]` with its line, for messages about a row. */
  where(table: string, index: number): string;
}

export function parseGuildkeeper(text: string): Parsed<GuildkeeperFile> {
  const json = parseJson(text);
  if (!json.ok) return json;
  const parsed = envelope.safeParse(json.value);
  if (!parsed.success) return { ok: false, error: describeIssues(text, parsed.error.issues) };
  const f = parsed.data;
  if (!(f.schema in migrations)) {
    return { ok: false, error: `${describeAt(text, ["schema"])}: the file was exported by a newer guildkeeper (its database was at migration ${f.schema}, which this version does not know): upgrade, then import.` };
  }
  const settings = settingsSchema.safeParse(f.community.settings);
  if (!settings.success) return { ok: false, error: describeIssues(text, settings.error.issues.map((i) => ({ ...i, path: ["community", "settings", ...i.path] }))) };

  const rows = f.tables as Partial<Record<string, Row[]>>;
  const talkIds = new Set((rows.talks ?? []).map((t) => t.id));
  for (const table of EXPORTED_TABLES) {
    for (const [i, r] of (rows[table.name] ?? []).entries()) {
      if (table.viaTalk) {
        if (!talkIds.has(r.talk_id ?? null)) return { ok: false, error: `${describeAt(text, ["tables", table.name, i, "talk_id"])}: talk ${shown(r.talk_id)} is not among the file's talks` };
      } else if (r.community_id !== f.community.id) {
        return { ok: false, error: `${describeAt(text, ["tables", table.name, i, "community_id"])}: the row belongs to community ${shown(r.community_id)}, not the file's ${f.community.id}` };
      }
    }
  }
  return {
    ok: true,
    value: {
      schema: f.schema,
      exportedAt: f.exportedAt,
      community: { id: f.community.id, name: f.community.name, settings: settings.data, createdAt: f.community.created_at },
      workspaces: f.workspaces.map((w) => ({ platform: w.platform, workspaceId: w.workspace_id })),
      tables: rows,
      where: (table, index) => describeAt(text, ["tables", table, index]),
    },
  };
}
