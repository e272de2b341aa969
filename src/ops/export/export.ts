import fs from "node:fs";
import path from "node:path";
import type { Writable } from "node:stream";
import type { Kysely, Transaction } from "kysely";
import type { Dialect } from "../../db/connect.js";
import type { Database } from "../../db/schema.js";
import { chooseCommunity, type CommunityRecord } from "../community-choice.js";
import { csvLine } from "./csv-write.js";
import { communityRows, type ExportRow } from "./read-rows.js";
import { type Sink, fileSink, streamSink } from "./sink.js";
import { EXPORT_FORMAT, EXPORT_VERSION, EXPORTED_TABLES, type ExportedTable } from "./tables.js";
import { appliedMigrations } from "./migrations-state.js";

/** `--format`: one JSON file (restorable), or a folder of CSV files (for other tools). */
export type ExportFormat = "json" | "csv";

/** One `npm run export`, as the CLI (and the tests) hand it over. */
export interface ExportRequest {
  format: ExportFormat;
  /** `--community <id or name>`; may be left out when there is one community. */
  community?: string;
  /** JSON: a file (default: standard output). CSV: a folder to create (required). */
  out?: string;
  now: Date;
}

/** What was exported (rows per table, and where), or the one error. */
export type ExportResult = { ok: true; community: CommunityRecord; rows: Record<string, number>; where: string } | { ok: false; error: string };

/**
 * `npm run export`: everything a community owns (tables.ts), read in one transaction so the file
 * is one moment's state even while the bot writes. JSON is one file, one row per line, that
 * `npm run import -- --from guildkeeper` restores; CSV is a folder of one file per table, for
 * spreadsheets and other tools (it is not imported back).
 */
export async function exportCommunity(db: Kysely<Database>, dialect: Dialect, request: ExportRequest, stdout: Writable = process.stdout): Promise<ExportResult> {
  const chosen = await chooseCommunity(db, request.community);
  if (!chosen.ok) return chosen;
  const community = chosen.community;
  const state = await appliedMigrations(db);
  if (state.pending.length > 0) return { ok: false, error: `The database is not migrated to this version (${state.pending.length} migration${state.pending.length === 1 ? "" : "s"} pending, first ${state.pending[0]}): run npm run migrate, or start the bot once, then export.` };
  if (request.format === "csv" && !request.out) return { ok: false, error: "--format csv writes one file per table: name a new folder with --out <folder>." };
  if (request.out && fs.existsSync(request.out)) return { ok: false, error: `${request.out} exists already: name a new ${request.format === "csv" ? "folder" : "file"} with --out (an export never overwrites).` };

  const rows: Record<string, number> = {};
  let transaction = db.transaction();
  // Postgres: every page from one snapshot. SQLite's transaction is one already (WAL readers see
  // the state as of their first read, whatever the bot commits meanwhile).
  if (dialect === "postgres") transaction = transaction.setIsolationLevel("repeatable read").setAccessMode("read only");
  if (request.format === "json") {
    const sink = request.out ? fileSink(request.out) : streamSink(stdout, false);
    try {
      await transaction.execute((trx) => writeJson(trx, dialect, community, state.latest, request.now, sink, rows));
    } finally {
      await sink.close();
    }
    return { ok: true, community, rows, where: request.out ?? "standard output" };
  }
  const folder = request.out!;
  fs.mkdirSync(folder, { recursive: true });
  await transaction.execute((trx) => writeCsvFolder(trx, dialect, community, folder, rows));
  return { ok: true, community, rows, where: folder };
}

async function writeJson(trx: Transaction<Database>, dialect: Dialect, community: CommunityRecord, schema: string, now: Date, sink: Sink, counts: Record<string, number>): Promise<void> {
  const workspaces = await workspacesOf(trx, community.id);
  await sink.write(`{\n"format": ${JSON.stringify(EXPORT_FORMAT)},\n"version": ${EXPORT_VERSION},\n"schema": ${JSON.stringify(schema)},\n"exportedAt": ${JSON.stringify(now.toISOString())},\n`);
  await sink.write(`"community": ${JSON.stringify({ id: community.id, name: community.name, settings: community.settings, created_at: community.createdAt })},\n`);
  await sink.write(`"workspaces": ${JSON.stringify(workspaces)},\n"tables": {\n`);
  for (const [t, table] of EXPORTED_TABLES.entries()) {
    await sink.write(`${JSON.stringify(table.name)}: [`);
    let n = 0;
    for await (const page of communityRows(trx, dialect, table, community.id)) {
      // One row per line: a restore's error then names the row's line, and two exports diff well.
      await sink.write(page.map((r) => `${n++ === 0 ? "" : ","}\n${JSON.stringify(r)}`).join(""));
    }
    counts[table.name] = n;
    await sink.write(`${n > 0 ? "\n" : ""}]${t < EXPORTED_TABLES.length - 1 ? "," : ""}\n`);
  }
  await sink.write("}\n}\n");
}

async function writeCsvFolder(trx: Transaction<Database>, dialect: Dialect, community: CommunityRecord, folder: string, counts: Record<string, number>): Promise<void> {
  const columns = await columnsOf(trx);
  await writeCsv(path.join(folder, "community.csv"), ["id", "name", "created_at", "settings"], [[community.id, community.name, community.createdAt, JSON.stringify(community.settings)]]);
  const workspaces = await workspacesOf(trx, community.id);
  await writeCsv(path.join(folder, "community_workspaces.csv"), ["platform", "workspace_id"], workspaces.map((w) => [w.platform, w.workspace_id]));
  for (const table of EXPORTED_TABLES) {
    const header = (columns.get(table.name) ?? []).filter((c) => !table.omit?.includes(c));
    const sink = fileSink(path.join(folder, `${table.name}.csv`));
    try {
      await sink.write(csvLine(header));
      let n = 0;
      for await (const page of communityRows(trx, dialect, table, community.id)) {
        await sink.write(page.map((r) => csvLine(header.map((c) => (r as ExportRow)[c] ?? null))).join(""));
        n += page.length;
      }
      counts[table.name] = n;
    } finally {
      await sink.close();
    }
  }
}

async function writeCsv(file: string, header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): Promise<void> {
  const sink = fileSink(file);
  try {
    await sink.write(csvLine(header) + rows.map(csvLine).join(""));
  } finally {
    await sink.close();
  }
}

async function workspacesOf(db: Kysely<Database>, communityId: string) {
  return db.selectFrom("community_workspaces").select(["platform", "workspace_id"]).where("community_id", "=", communityId).orderBy("platform").orderBy("workspace_id").execute();
}

/** Each exported table's columns in table order, for CSV headers (an empty table still gets one). */
async function columnsOf(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const wanted = new Set<string>(EXPORTED_TABLES.map((t: ExportedTable) => t.name));
  const tables = await db.introspection.getTables();
  return new Map(tables.filter((t) => wanted.has(t.name)).map((t) => [t.name, t.columns.map((c) => c.name)]));
}
