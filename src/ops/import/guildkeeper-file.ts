import fs from "node:fs";
import readline from "node:readline";
import { z } from "zod";
import { migrations } from "../../db/migrate.js";
import { type Settings, settingsSchema } from "../../engine/communities/settings.js";
import { EXPORT_FORMAT, EXPORT_VERSION, EXPORTED_TABLES, type ExportedTable } from "../export/tables.js";
import { describeAt, describeIssues, formatPath, parseJson } from "./json-location.js";
import { type Parsed, shown } from "./xp-file.js";

/**
 * Our own export (`npm run export -- --format json`, export.ts), read as it is written: a header,
 * then each table's rows one per line. It is never held whole — an export of a few hundred
 * thousand members is larger than the longest string JavaScript can hold (~512 MB), let alone
 * parse — but read again for each step of a restore (check, plan, copy, ledger), a line at a time.
 *
 * {@link parseGuildkeeper} checks everything before anything is written: the envelope, every row's
 * cells (text, numbers or null, under column names), the ledger's, members' and levels' columns in
 * full, the community's settings, that every row belongs to the exported community, and that the
 * file is laid out as an export writes it (tables in the export's order, one row per line).
 */
/** A cell of an exported row: every column is text, a number or null. */
export type Cell = string | number | null;
/** An exported row: column name to cell. */
export type Row = Record<string, Cell>;

/** The file's lines, from the start, each time it is called: an export is read several times. */
export type LineSource = () => AsyncIterable<string>;

/** Lines of a file on disk, streamed. */
export function linesOfFile(file: string): LineSource {
  return () => readline.createInterface({ input: fs.createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
}

/** Lines of a text already in memory (tests, small files). */
export function linesOfText(text: string): LineSource {
  return async function* () {
    let start = 0;
    for (let i = text.indexOf("\n"); ; i = text.indexOf("\n", start)) {
      const end = i < 0 ? text.length : i;
      yield text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
      if (i < 0) return;
      start = i + 1;
    }
  };
}

/** One row of the file, where it is. */
export interface RowAt {
  table: ExportedTable;
  /** Its place in its table, from 0. */
  index: number;
  /** Its line in the file, from 1. */
  line: number;
  row: Row;
}

/** A checked export. */
export interface GuildkeeperFile {
  schema: string;
  exportedAt: string;
  community: { id: string; name: string; settings: Settings; createdAt: string };
  workspaces: { platform: "discord" | "slack" | "console"; workspaceId: string }[];
  /** Rows per table (a table the file does not have: absent). */
  counts: Partial<Record<string, number>>;
  /** The rows of `tables` (every table when not given), in file order: the file read again, rows already checked. */
  rows(tables?: ReadonlySet<string>): AsyncIterable<RowAt>;
}

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
  forgotten_members: z.looseObject({ member_hash: z.string().regex(/^[0-9a-f]{64}$/, "a sha256 in hex"), forgotten_at: iso }),
};
const rowSchemas = new Map(EXPORTED_TABLES.map((t) => [t.name, special[t.name] ? row.pipe(special[t.name] as unknown as z.ZodType<Row, Row>) : row]));
const tablesByName = new Map(EXPORTED_TABLES.map((t, i) => [t.name, { table: t, order: i }]));

const envelope = z.object({
  format: z.literal(EXPORT_FORMAT, `"${EXPORT_FORMAT}" (a file written by npm run export -- --format json)`),
  version: z.literal(EXPORT_VERSION, `version ${EXPORT_VERSION}`),
  schema: z.string(),
  exportedAt: iso,
  community: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "a community id (letters, digits, _ and -)"), name: z.string().max(200), settings: z.unknown(), created_at: iso }),
  workspaces: z.array(z.object({ platform: z.enum(["discord", "slack", "console"]), workspace_id: z.string().regex(/^[^\s:\p{C}]{1,200}$/u, "a workspace id") })),
  tables: z.object({}),
});

/** Thrown while walking the file: the problem, where it is. */
class FileProblem extends Error {}

const LAYOUT = "laid out as npm run export writes it (a header, then each table's rows one per line)";
const TABLES_LINE = '"tables": {';
/** The header holds the community's settings and workspaces: never near this. */
const HEADER_LIMIT = 16 * 2 ** 20;

type Walked = { kind: "header"; text: string } | { kind: "row"; table: ExportedTable; index: number; line: number; text: string };

/**
 * Walks the file's layout, pulled a line at a time: first the header (the lines before the
 * tables, closed into a JSON object of their own), then each row line (its JSON text, trailing
 * comma gone) — of the tables in `wanted` only, so a step that needs two tables parses no others.
 * A line out of place throws a {@link FileProblem} naming it.
 */
async function* walk(source: LineSource, wanted?: ReadonlySet<string>): AsyncGenerator<Walked> {
  let header = "";
  let state = "start" as "start" | "header" | "tables" | "rows" | "closing" | "end";
  let table: ExportedTable | undefined;
  let order = -1;
  let index = 0;
  let line = 0;
  let parse = true;
  const fail = (what: string): never => {
    throw new FileProblem(`line ${line}: ${what}; the file is not ${LAYOUT}`);
  };
  type State = typeof state;
  const open = (name: string, empty: boolean): State => {
    const known = tablesByName.get(name as ExportedTable["name"]) ?? fail(`tables.${name} is not a table an export has`);
    if (known.order <= order) fail(`tables.${name} is out of the export's order of tables (or named twice)`);
    order = known.order;
    table = known.table;
    index = 0;
    parse = !wanted || wanted.has(name);
    return empty ? "tables" : "rows";
  };
  for await (const raw of source()) {
    line++;
    const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    switch (state) {
      case "start":
        if (text !== "{") fail('expected "{" alone on the first line');
        header = "{\n";
        state = "header";
        break;
      case "header":
        if (text === TABLES_LINE) {
          yield { kind: "header", text: `${header}"tables": {}\n}` };
          state = "tables";
        } else {
          // A header line is one of the envelope's keys at the start of its line; the whole header is a few KB.
          if (!/^"[a-zA-Z]+": /.test(text)) fail('expected a line of the header ("format", "version", "schema", "exportedAt", "community", "workspaces"), or "tables": { after them');
          if (header.length + text.length > HEADER_LIMIT) fail(`the header is over ${HEADER_LIMIT / 2 ** 20} MiB`);
          header += `${text}\n`;
        }
        break;
      case "tables": {
        if (text === "}") {
          state = "closing";
          break;
        }
        const m = /^"([a-z_][a-z0-9_]*)": \[(\])?,?$/.exec(text) ?? fail('expected a table\'s start ("name": [), or the "}" closing the tables');
        state = open(m[1]!, m[2] !== undefined);
        break;
      }
      case "rows":
        if (text === "]" || text === "],") {
          state = "tables";
          break;
        }
        if (!text.startsWith("{")) fail(`expected a row of tables.${table!.name} (one JSON object on its line) or the "]" closing it`);
        if (parse) yield { kind: "row", table: table!, index, line, text: text.endsWith(",") ? text.slice(0, -1) : text };
        index++;
        break;
      case "closing":
        if (text !== "}") fail('expected the "}" closing the file');
        state = "end";
        break;
      case "end":
        if (text.trim() !== "") fail("expected nothing after the file's closing }");
        break;
    }
  }
  if (state !== "end") {
    line++;
    fail(state === "start" || state === "header" ? 'the file ended before its tables ("tables": {)' : "the file ended before its closing }");
  }
}

/** The row a line holds, or the problem with it, named by table, place, line and column. */
function rowOf(table: ExportedTable, index: number, line: number, text: string): Row {
  const within = { path: ["tables", table.name, index], line };
  const json = parseJson(text, within);
  if (!json.ok) throw new FileProblem(`${formatPath(within.path)}: ${json.error}`);
  const checked = rowSchemas.get(table.name)!.safeParse(json.value);
  if (!checked.success) throw new FileProblem(describeIssues(text, checked.error.issues, within));
  return checked.data as Row;
}

/** The envelope a header holds, or the problem with it. */
function headerOf(text: string): Omit<GuildkeeperFile, "counts" | "rows"> {
  const json = parseJson(text);
  if (!json.ok) throw new FileProblem(json.error);
  const parsed = envelope.safeParse(json.value);
  if (!parsed.success) throw new FileProblem(describeIssues(text, parsed.error.issues));
  const f = parsed.data;
  if (!(f.schema in migrations)) {
    throw new FileProblem(`${describeAt(text, ["schema"])}: the file was exported by a newer guildkeeper (its database was at migration ${f.schema}, which this version does not know): upgrade, then import.`);
  }
  const settings = settingsSchema.safeParse(f.community.settings);
  if (!settings.success) throw new FileProblem(describeIssues(text, settings.error.issues.map((i) => ({ ...i, path: ["community", "settings", ...i.path] }))));
  return {
    schema: f.schema,
    exportedAt: f.exportedAt,
    community: { id: f.community.id, name: f.community.name, settings: settings.data, createdAt: f.community.created_at },
    workspaces: f.workspaces.map((w) => ({ platform: w.platform, workspaceId: w.workspace_id })),
  };
}

/** Reads the whole file once, checking the header and every row; the rows are read again when wanted. */
export async function parseGuildkeeper(source: LineSource): Promise<Parsed<GuildkeeperFile>> {
  let head: Omit<GuildkeeperFile, "counts" | "rows"> | undefined;
  const counts: Partial<Record<string, number>> = {};
  const talkIds = new Set<Cell>();
  try {
    for await (const item of walk(source)) {
      if (item.kind === "header") {
        head = headerOf(item.text);
        continue;
      }
      const { table, index, line } = item;
      const r = rowOf(table, index, line, item.text);
      counts[table.name] = index + 1;
      if (table.name === "talks") talkIds.add(r.id ?? null);
      const place = `${formatPath(["tables", table.name, index])} (line ${line})`;
      if (table.viaTalk) {
        if (!talkIds.has(r.talk_id ?? null)) throw new FileProblem(`${place}: talk ${shown(r.talk_id)} is not among the file's talks`);
      } else if (r.community_id !== head!.community.id) {
        throw new FileProblem(`${place}: the row belongs to community ${shown(r.community_id)}, not the file's ${head!.community.id}`);
      }
    }
  } catch (error) {
    if (error instanceof FileProblem) return { ok: false, error: error.message };
    throw error;
  }
  const header = head!;
  return { ok: true, value: { ...header, counts, rows: (tables) => readRows(source, tables) } };
}

async function* readRows(source: LineSource, tables: ReadonlySet<string> | undefined): AsyncIterable<RowAt> {
  for await (const item of walk(source, tables)) if (item.kind === "row") yield { table: item.table, index: item.index, line: item.line, row: JSON.parse(item.text) as Row };
}
