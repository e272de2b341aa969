import type { Kysely } from "kysely";
import { prepared } from "../../db/prepared.js";
import type { Database } from "../../db/schema.js";

/**
 * Writes of `totals_histogram` (see totals-histogram.ts for when, docs/standing.md for why). Only
 * additive upserts (`members = members + delta`), so two processes changing the same row on
 * Postgres both land: each holds the row's lock from its upsert to its commit, and the second adds
 * to what the first committed.
 */
type Db = Kysely<Database>;

/** A change of one histogram row: `delta` members more (or fewer) in [points, points + width). */
export interface HistogramDelta {
  community: string;
  period: string;
  width: number;
  points: number;
  delta: number;
}

/** Rows per statement: 5 parameters each, far under SQLite's 32 766 and Postgres's 65 535. */
const CHUNK = 64;

/** One prepared upsert per row count used (`CHUNK` and 1..CHUNK-1 for the rest), each compiled once. */
const upserts = new Map<number, ReturnType<typeof upsertOf>>();

function upsertOf(rows: number) {
  return prepared((db: Db, a: Record<string, string | number>) =>
    db
      .insertInto("totals_histogram")
      .values(Array.from({ length: rows }, (_, i) => ({ community_id: a[`c${i}`] as string, period: a[`p${i}`] as string, width: a[`w${i}`] as number, points: a[`x${i}`] as number, members: a[`d${i}`] as number })))
      .onConflict((oc) => oc.columns(["community_id", "period", "width", "points"]).doUpdateSet((eb) => ({ members: eb("totals_histogram.members", "+", eb.ref("excluded.members")) })))
      // The counts after the change, to find the rows that reached 0.
      .returning(["community_id", "period", "width", "points", "members"]),
  );
}

const deleteEmpty = prepared((db: Db, a: { community: string; period: string; width: number; points: number }) =>
  db
    .deleteFrom("totals_histogram")
    .where("community_id", "=", a.community)
    .where("period", "=", a.period)
    .where("width", "=", a.width)
    .where("points", "=", a.points)
    .where("members", "=", 0),
);

/**
 * Applies `deltas` (distinct keys, none 0) and deletes the rows left at 0 members. The caller sorts
 * them by key: on Postgres every process then locks shared rows in one order, so two concurrent
 * commits wait for each other instead of deadlocking.
 */
export async function applyHistogramDeltas(db: Db, deltas: readonly HistogramDelta[]): Promise<void> {
  for (let start = 0; start < deltas.length; start += CHUNK) {
    const chunk = deltas.slice(start, start + CHUNK);
    let upsert = upserts.get(chunk.length);
    if (!upsert) upserts.set(chunk.length, (upsert = upsertOf(chunk.length)));
    const args: Record<string, string | number> = {};
    chunk.forEach((d, i) => {
      args[`c${i}`] = d.community;
      args[`p${i}`] = d.period;
      args[`w${i}`] = d.width;
      args[`x${i}`] = d.points;
      args[`d${i}`] = d.delta;
    });
    const after = (await upsert(db, args)).rows;
    for (const row of after) {
      if (Number(row.members) === 0) await deleteEmpty(db, { community: row.community_id, period: row.period, width: row.width, points: row.points });
    }
  }
}
