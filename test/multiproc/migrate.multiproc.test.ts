import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { connect, type Db } from "../../src/db/connect.js";
import { migrations, migrateToLatest } from "../../src/db/migrate.js";
import { openTestDb, POSTGRES_URL, type TestDb } from "../helpers/db.js";

/**
 * Processes sharing one Postgres database start when they like — two replicas of a container
 * started together, say — and each migrates at start. kysely's migration lock lets one apply the
 * pending migrations while the other waits, then finds nothing left to do.
 *
 * Postgres only; skipped when TEST_POSTGRES_URL is unset, like every Postgres test here.
 */
describe.skipIf(!POSTGRES_URL)("two processes migrating one Postgres database at once", () => {
  let empty: TestDb | undefined;
  const extra: Db[] = [];
  afterEach(async () => {
    for (const db of extra.splice(0)) await db.close();
    await empty?.cleanup();
    empty = undefined;
  });

  it("GIVEN an empty schema and two processes starting together THEN every migration is applied once, by one of them, and neither fails", async () => {
    empty = await openTestDb("postgres", { migrate: false });
    const second = connect(POSTGRES_URL!, { schema: empty.schema! });
    extra.push(second);
    const [a, b] = await Promise.all([migrateToLatest(empty.db.kysely), migrateToLatest(second.kysely)]);

    expect([...a, ...b].sort()).toEqual(Object.keys(migrations).sort());
    const recorded = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(empty.db.kysely);
    expect(recorded.rows[0]!.n).toBe(Object.keys(migrations).length);
  });
});
