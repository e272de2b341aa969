import { CompiledQuery, type Kysely, type SelectQueryBuilder } from "kysely";
import type { Dialect } from "../../db/connect.js";
import type { Database } from "../../db/schema.js";
import type { ExportedTable } from "./tables.js";

/** A row as exported: the table's columns, values as JSON has them. */
export type ExportRow = Record<string, string | number | null>;

/** Rows per page handed to the writer (and, on Postgres, per FETCH). */
const PAGE = 5000;

/**
 * A community's rows of one table, a page at a time, in the table's order, from one query: run
 * inside one transaction (export.ts), so every page is read from the same snapshot. On SQLite the
 * statement is stepped through (better-sqlite3's iterate, through kysely's stream); on Postgres a
 * cursor is declared and fetched from. Paging with LIMIT/OFFSET instead had sorted the table again
 * for every page — quadratic: 5 min 15 s to export 400 000 members, where the ledger's order (time,
 * key) has no index to follow.
 */
export async function* communityRows(db: Kysely<Database>, dialect: Dialect, table: ExportedTable, communityId: string): AsyncGenerator<ExportRow[]> {
  const any = db as unknown as Kysely<any>;
  let query: SelectQueryBuilder<any, any, any> = table.viaTalk
    ? any.selectFrom(`${table.name} as r`).innerJoin("talks as t", "t.id", "r.talk_id").selectAll("r").where("t.community_id", "=", communityId)
    : any.selectFrom(table.name).selectAll().where("community_id", "=", communityId);
  for (const column of table.order) query = query.orderBy(table.viaTalk ? `r.${column}` : column);
  if (dialect === "postgres") {
    // The name is the table's, from the fixed list in tables.ts; one cursor is open at a time.
    const cursor = `guildkeeper_export_${table.name}`;
    const compiled = query.compile();
    await db.executeQuery(CompiledQuery.raw(`declare ${cursor} no scroll cursor for ${compiled.sql}`, [...compiled.parameters]));
    try {
      for (;;) {
        const { rows } = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(`fetch forward ${PAGE} from ${cursor}`));
        if (rows.length > 0) yield rows.map((r) => plain(r, table.omit));
        if (rows.length < PAGE) return;
      }
    } finally {
      await db.executeQuery(CompiledQuery.raw(`close ${cursor}`));
    }
  }
  let page: ExportRow[] = [];
  for await (const row of query.stream(PAGE)) {
    page.push(plain(row as Record<string, unknown>, table.omit));
    if (page.length >= PAGE) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

function plain(row: Record<string, unknown>, omit: readonly string[] | undefined): ExportRow {
  const out: ExportRow = {};
  for (const [column, value] of Object.entries(row)) {
    if (omit?.includes(column)) continue;
    // Every column is text, an integer or a float (times are ISO text, flags 0/1); a driver's
    // bigint or numeric string would be a count.
    out[column] = typeof value === "bigint" ? Number(value) : (value as string | number | null);
  }
  return out;
}
