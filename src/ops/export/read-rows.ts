import type { Kysely, SelectQueryBuilder } from "kysely";
import type { Database } from "../../db/schema.js";
import type { ExportedTable } from "./tables.js";

/** A row as exported: the table's columns, values as JSON has them. */
export type ExportRow = Record<string, string | number | null>;

/** Rows per query: a community's biggest tables (messages, ledger) are read a page at a time. */
const PAGE = 5000;

/**
 * A community's rows of one table, a page at a time, in the table's order. Run inside one
 * transaction (export.ts), so every page is read from the same snapshot.
 */
export async function* communityRows(db: Kysely<Database>, table: ExportedTable, communityId: string): AsyncGenerator<ExportRow[]> {
  const any = db as unknown as Kysely<any>;
  for (let offset = 0; ; offset += PAGE) {
    let query: SelectQueryBuilder<any, any, any> = table.viaTalk
      ? any.selectFrom(`${table.name} as r`).innerJoin("talks as t", "t.id", "r.talk_id").selectAll("r").where("t.community_id", "=", communityId)
      : any.selectFrom(table.name).selectAll().where("community_id", "=", communityId);
    for (const column of table.order) query = query.orderBy(table.viaTalk ? `r.${column}` : column);
    const rows = (await query.limit(PAGE).offset(offset).execute()) as Record<string, unknown>[];
    if (rows.length > 0) yield rows.map((r) => plain(r, table.omit));
    if (rows.length < PAGE) return;
  }
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
