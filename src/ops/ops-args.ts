import { parseArgs } from "node:util";
import type { ExportFormat } from "./export/export.js";
import { IMPORT_SOURCES, type ImportSource, SNOWFLAKE } from "./import/xp-file.js";

/** The command lines of `npm run import` and `npm run export`, read strictly: an unknown flag is an error, not ignored. */

export const IMPORT_USAGE = `Usage: npm run import -- --from mee6|polaris|csv|guildkeeper FILE [--community <id or name>] [--guild <Discord server id>] [--factor N] [--dry-run]
  --from        what wrote FILE: MEE6's leaderboard JSON, Polaris' XP export, a member,xp CSV, or our own JSON export
  --community   the community to import into (by id or name); needed only when it cannot be told otherwise
  --guild       the Discord server a Polaris or CSV file is from (MEE6 files name theirs); creates its community if there is none
  --factor      points per XP (default: mee6 0.25, polaris 0.0667, csv 1); not for guildkeeper
  --dry-run     print what would change and write nothing
See docs/import-export.md.`;

export const EXPORT_USAGE = `Usage: npm run export -- [--format json|csv] [--community <id or name>] [--out FILE or FOLDER]
  --format      json (default): one file that npm run import -- --from guildkeeper restores; csv: a folder of one file per table
  --community   the community to export (by id or name); may be left out when there is one
  --out         json: the file to write (default: standard output); csv: the folder to create (required)
See docs/import-export.md.`;

/** `npm run import`'s command line, read. */
export interface ImportArgs {
  source: ImportSource;
  file: string;
  community?: string;
  guild?: string;
  factor?: number;
  dryRun: boolean;
}

type ArgsResult<T> = { ok: true; args: T } | { ok: true; help: true } | { ok: false; error: string };

export function parseImportArgs(argv: readonly string[]): ArgsResult<ImportArgs> {
  const read = strictly(() =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { from: { type: "string" }, community: { type: "string" }, guild: { type: "string" }, factor: { type: "string" }, "dry-run": { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }),
  );
  if (!read.ok) return read;
  const { values, positionals } = read.value;
  if (values.help) return { ok: true, help: true };
  const source = values.from;
  if (source === undefined) return { ok: false, error: `--from is required: one of ${IMPORT_SOURCES.join(", ")}.` };
  if (!(IMPORT_SOURCES as readonly string[]).includes(source)) return { ok: false, error: `--from ${source}: expected one of ${IMPORT_SOURCES.join(", ")}.` };
  if (positionals.length !== 1) return { ok: false, error: `${positionals.length === 0 ? "Name the file to import" : "Name one file to import"}.` };
  if (values.guild !== undefined && !SNOWFLAKE.test(values.guild)) return { ok: false, error: `--guild ${values.guild}: a Discord server id is digits (copy it from the server's menu with developer mode on).` };
  let factor: number | undefined;
  if (values.factor !== undefined) {
    factor = Number(values.factor);
    if (!/^\d+(\.\d+)?$/.test(values.factor) || !(factor > 0) || factor > 1000) return { ok: false, error: `--factor ${values.factor}: expected points per XP, a number above 0 and at most 1000 (like 0.25).` };
  }
  return {
    ok: true,
    args: {
      source: source as ImportSource,
      file: positionals[0]!,
      ...(values.community !== undefined ? { community: values.community } : {}),
      ...(values.guild !== undefined ? { guild: values.guild } : {}),
      ...(factor !== undefined ? { factor } : {}),
      dryRun: values["dry-run"] === true,
    },
  };
}

/** `npm run export`'s command line, read. */
export interface ExportArgs {
  format: ExportFormat;
  community?: string;
  out?: string;
}

export function parseExportArgs(argv: readonly string[]): ArgsResult<ExportArgs> {
  const read = strictly(() =>
    parseArgs({ args: [...argv], allowPositionals: false, options: { format: { type: "string" }, community: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } } }),
  );
  if (!read.ok) return read;
  const { values } = read.value;
  if (values.help) return { ok: true, help: true };
  const format = values.format ?? "json";
  if (format !== "json" && format !== "csv") return { ok: false, error: `--format ${format}: expected json or csv.` };
  return { ok: true, args: { format, ...(values.community !== undefined ? { community: values.community } : {}), ...(values.out !== undefined ? { out: values.out } : {}) } };
}

/** parseArgs throws on an unknown flag or a missing value; its message says which. */
function strictly<T>(read: () => T): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
