import type { ExpressionBuilder, Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { FORGOTTEN_NAME, FORGOTTEN_TEXT, type IdRewriter, PSEUDONYM_PREFIX } from "./pseudonyms.js";
import { PERSONAL_TABLES, type PersonalTable } from "./personal-data.js";

/**
 * The repository half of forgetting: applies {@link PERSONAL_TABLES} to one community inside the
 * caller's transaction. Ids are renamed first (to each member's pseudonym), then names and texts
 * are replaced on the rows that now carry a pseudonym, then ids inside longer values are rewritten.
 * Portable SQL only, and every statement is set-based except the embedded rewrite, which updates the
 * candidate rows one by one by primary key (their values are computed in JavaScript, where a member
 * id can be matched on its boundaries: `discord:g1:ada` is not part of `discord:g1:adam`).
 *
 * No statement here uses an index on a member column the hot path does not already keep (adding
 * some would slow every event): tables such as the ledger are scanned once or twice. That is what
 * a forgetting costs — see docs/forget-me.md for the figures.
 */
// Table and column names come from the list above, never from input: kysely's builder is used untyped.
type AnyDb = Kysely<any>;

/** Rows changed per table (renamed, renamed-in-place, or deleted). */
export type ErasedRows = Record<string, number>;

function scoped(db: AnyDb, t: PersonalTable, communityId: string) {
  return <QB extends { where: (...args: any[]) => QB }>(qb: QB): QB =>
    t.scope === "talk"
      ? qb.where("talk_id", "in", (eb: ExpressionBuilder<any, any>) => eb.selectFrom("talks").select("id").where("community_id", "=", communityId))
      : qb.where("community_id", "=", communityId);
}

const changed = (r: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) => Number(r.numUpdatedRows ?? r.numDeletedRows ?? 0);

/**
 * `pause` runs between statements that may scan a table: on SQLite every statement holds the event
 * loop, and a forgetting in a big community scans the large tables (docs/forget-me.md), so the
 * caller may let the loop breathe there. The transaction stays open; other writes wait for it as
 * they would anyway.
 */
export async function erasePersonalData(trx: Kysely<Database>, communityId: string, rewriter: IdRewriter, pause: () => Promise<void> = async () => {}): Promise<ErasedRows> {
  const db = trx as unknown as AnyDb;
  const renames = rewriter.renames;
  const ids = [...renames.keys()];
  const pseudonyms = [...renames.values()];
  const rows: ErasedRows = {};
  const add = (table: string, n: number) => {
    if (n > 0) rows[table] = (rows[table] ?? 0) + n;
  };
  for (const t of PERSONAL_TABLES) {
    const scope = scoped(db, t, communityId);
    if (t.deleteWhere) {
      const r = await scope(db.deleteFrom(t.table).where((eb: ExpressionBuilder<any, any>) => eb.or(t.deleteWhere!.map((c) => eb(c, "in", ids))))).executeTakeFirst();
      add(t.table, changed(r));
    }
    for (const column of t.ids ?? []) {
      // One statement per column for all of a person's accounts: each may scan a big table (the
      // ledger has no index on member_id), and the loop breathes between them.
      const renamed = (eb: ExpressionBuilder<any, any>) => {
        const [first, ...rest] = [...renames];
        let c = eb.case().when(column, "=", first![0]).then(first![1]);
        for (const [id, pseudonym] of rest) c = c.when(column, "=", id).then(pseudonym);
        return c.end();
      };
      add(t.table, changed(await scope(db.updateTable(t.table).set((eb: ExpressionBuilder<any, any>) => ({ [column]: renamed(eb) })).where(column, "in", ids)).executeTakeFirst()));
      await pause();
    }
    for (const { column, of } of t.names ?? []) await scope(db.updateTable(t.table).set({ [column]: FORGOTTEN_NAME }).where(of, "in", pseudonyms).where(column, "is not", null)).execute();
    for (const { column, of } of t.texts ?? []) await scope(db.updateTable(t.table).set({ [column]: FORGOTTEN_TEXT }).where(of, "in", pseudonyms).where(column, "is not", null)).execute();
    if (t.embedded) add(t.table, await rewriteEmbedded(db, t, communityId, rewriter));
    await pause();
  }
  return rows;
}

/** Rewrites the ids inside `t.embedded.columns` of every candidate row; returns how many rows changed. */
async function rewriteEmbedded(db: AnyDb, t: PersonalTable, communityId: string, rewriter: IdRewriter): Promise<number> {
  const { key, columns } = t.embedded!;
  const candidates = await scoped(db, t, communityId)(
    db
      .selectFrom(t.table)
      .select([...new Set([...key, ...columns])])
      .where((eb: ExpressionBuilder<any, any>) => eb.or(columns.flatMap((c) => rewriter.likes.map((like) => eb(c, "like", like))))),
  ).execute();
  let n = 0;
  for (const row of candidates as Record<string, string | null>[]) {
    const set: Record<string, string> = {};
    for (const c of columns) {
      const value = row[c];
      if (typeof value !== "string") continue;
      const rewritten = rewriter.rewrite(value);
      if (rewritten !== value) set[c] = rewritten;
    }
    if (Object.keys(set).length === 0) continue;
    let update = db.updateTable(t.table).set(set);
    for (const k of key) update = update.where(k, "=", row[k]);
    n += changed(await update.executeTakeFirst());
  }
  return n;
}

/**
 * How many rows name one of `memberIds` in one of their id columns (or are deleted with them), by
 * table: what forgetting will touch, for the confirmation. Reads only; `only` limits it to some
 * tables (the command's confirmation counts small or indexed ones, not the ledger).
 */
export async function countPersonalRows(trx: Kysely<Database>, communityId: string, memberIds: readonly string[], only?: ReadonlySet<string>): Promise<Record<string, number>> {
  const db = trx as unknown as AnyDb;
  const counts: Record<string, number> = {};
  for (const t of PERSONAL_TABLES) {
    if (only && !only.has(t.table)) continue;
    const columns = [...(t.ids ?? []), ...(t.deleteWhere ?? [])];
    if (columns.length === 0) continue;
    const row = await scoped(db, t, communityId)(
      db
        .selectFrom(t.table)
        .select((eb: ExpressionBuilder<any, any>) => eb.fn.countAll().as("n"))
        .where((eb: ExpressionBuilder<any, any>) => eb.or(columns.map((c) => eb(c, "in", memberIds)))),
    ).executeTakeFirst();
    const n = Number((row as { n?: unknown } | undefined)?.n ?? 0);
    if (n > 0) counts[t.table] = n;
  }
  return counts;
}

/**
 * Every member id the community's rows name, in any id column of {@link PERSONAL_TABLES}
 * (pseudonyms left out): the candidates when tombstones are matched again after a restore.
 */
export async function memberIdsIn(trx: Kysely<Database>, communityId: string): Promise<Set<string>> {
  const db = trx as unknown as AnyDb;
  const ids = new Set<string>();
  for (const t of PERSONAL_TABLES) {
    for (const column of [...(t.ids ?? []), ...(t.deleteWhere ?? [])]) {
      const rows = await scoped(db, t, communityId)(db.selectFrom(t.table).select(`${column} as id`).distinct().where(column, "is not", null)).execute();
      for (const r of rows as { id: unknown }[]) if (typeof r.id === "string" && r.id !== "" && !r.id.startsWith(PSEUDONYM_PREFIX) && !r.id.startsWith("@")) ids.add(r.id);
    }
  }
  return ids;
}
