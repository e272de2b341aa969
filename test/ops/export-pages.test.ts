import { afterEach, describe, expect, it } from "vitest";
import { insertCommunity } from "../../src/engine/communities/community.repo.js";
import { defaultSettings } from "../../src/engine/communities/settings.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";
import { exportFiles } from "./export-files.js";

/**
 * An export reads each table with one query, handed on 5 000 rows at a time (SQLite steps the
 * statement; Postgres fetches from a cursor): a table of several pages comes out whole, once each,
 * in its order, and a second table after it still reads (the cursor was closed).
 */
describe.each(dialects)("npm run export over several pages, on %s", (dialect) => {
  let db: TestDb | undefined;
  afterEach(async () => {
    await db?.cleanup();
    db = undefined;
  });
  const files = exportFiles();

  it("GIVEN 12 345 members and 10 001 ledger rows THEN the file lists every one once, in key order", async () => {
    db = await openTestDb(dialect);
    const k = db.db.kysely;
    await insertCommunity(k, { id: "pagesCommuni", name: "pages", settings: defaultSettings(), createdAt: new Date("2026-11-01T00:00:00Z") });
    const id = (i: number) => `discord:g1:${String(i).padStart(6, "0")}`;
    // Inserted out of order: the export's order is the query's, not the insertion's.
    const members = Array.from({ length: 12_345 }, (_, i) => (i * 7919) % 12_345);
    for (let i = 0; i < members.length; i += 500) {
      await k
        .insertInto("members")
        .values(members.slice(i, i + 500).map((m) => ({ community_id: "pagesCommuni", member_id: id(m), display_name: `m${m}`, is_bot: 0, first_seen_at: "2026-11-01T00:00:00.000Z", last_message_award_at: null, activity_day: null, activity_points: 0, thanks_given: 0, points: 0 })))
        .execute();
    }
    for (let i = 0; i < 10_001; i += 500) {
      await k
        .insertInto("ledger")
        .values(Array.from({ length: Math.min(500, 10_001 - i) }, (_, j) => ({ key: `k${String(i + j).padStart(6, "0")}`, community_id: "pagesCommuni", member_id: id((i + j) % 12_345), amount: 1, reason: "post", source_key: "s", at: "2026-11-02T00:00:00.000Z", day: "2026-11-02", reverses: null })))
        .execute();
    }
    const { text, result } = await files.write(db.db, "pagesCommuni", new Date("2026-11-03T00:00:00Z"));
    expect(result).toMatchObject({ ok: true, rows: { members: 12_345, ledger: 10_001 } });
    const tables = JSON.parse(text).tables as Record<string, { member_id: string; key?: string }[]>;
    expect(tables.members!.map((m) => m.member_id)).toEqual(Array.from({ length: 12_345 }, (_, i) => id(i)));
    expect(tables.ledger!.map((l) => l.key)).toEqual(Array.from({ length: 10_001 }, (_, i) => `k${String(i).padStart(6, "0")}`));
  });
});
