import { type Kysely, type Migration, Migrator, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, migrations } from "../../src/db/migrate.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";

/**
 * The compact `mod_scores` (two unread columns dropped; WITHOUT ROWID on SQLite): a database
 * scored before it keeps every score, and edits and reports still find them.
 */
const upTo = (last: string): Record<string, Migration> => Object.fromEntries(Object.entries(migrations).filter(([name]) => name <= last));

let t: TestDb | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

describe.each(dialects)("mod_scores compact (%s)", (dialect) => {
  it("GIVEN scores written in the first shape WHEN migrated THEN every score is kept, without the two columns", async () => {
    t = await openTestDb(dialect, { migrate: false });
    const db = t.db.kysely as Kysely<any>;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => upTo("20261201_1400_talks") } });
    const first = await migrator.migrateToLatest();
    expect(first.error).toBeUndefined();
    const row = (key: string, q: number) => ({ message_key: key, community_id: "c1", member_id: "m1", channel_key: "discord:g:ch", text_hash: "abc", q, z: -1.5, counted: 1, flagged: q < 0.3 ? 1 : 0, at: "2026-12-01T10:00:00.000Z", edit_at: null, edit_key: null });
    await db.insertInto("mod_scores").values([row("discord:msg:1", 0.8), row("discord:msg:2", 0.2)]).execute();

    await migrateToLatest(db);
    const rows = await db.selectFrom("mod_scores").selectAll().orderBy("message_key").execute();
    expect(rows).toEqual([
      { message_key: "discord:msg:1", community_id: "c1", member_id: "m1", q: 0.8, z: -1.5, counted: 1, flagged: 0, at: "2026-12-01T10:00:00.000Z", edit_at: null, edit_key: null },
      { message_key: "discord:msg:2", community_id: "c1", member_id: "m1", q: 0.2, z: -1.5, counted: 1, flagged: 1, at: "2026-12-01T10:00:00.000Z", edit_at: null, edit_key: null },
    ]);
    // The key still refuses a second score for one message.
    await expect(db.insertInto("mod_scores").values({ ...rows[0], q: 0.1 }).execute()).rejects.toThrow();
    if (dialect === "sqlite") {
      const ddl = await sql<{ sql: string }>`select sql from sqlite_master where name = 'mod_scores'`.execute(db);
      expect(ddl.rows[0]!.sql.toLowerCase()).toContain("without rowid");
    }
  });
});
