import { describe, expect, it } from "vitest";
import { connect } from "../../src/db/connect.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { POSTGRES_URL } from "../helpers/db.js";
import { createSchema, dropSchema, migrationNames, recordedMigrations } from "./schema-snapshot.js";

describe.skipIf(!POSTGRES_URL)("migrations on Postgres", () => {
  it("GIVEN another schema of the database already migrated WHEN a fresh schema is migrated THEN it gets its own bookkeeping and every migration", async () => {
    const url = POSTGRES_URL!;
    const [first, second] = [await createSchema(url), await createSchema(url)];
    try {
      const a = connect(url, { schema: first });
      await migrateToLatest(a.kysely);
      await a.close();
      // kysely looked for its bookkeeping tables in every schema, found the other's, and then
      // failed with `relation "kysely_migration_lock" does not exist` in this one.
      const b = connect(url, { schema: second });
      expect(await migrateToLatest(b.kysely)).toEqual(migrationNames);
      expect(await recordedMigrations(b.kysely)).toEqual(migrationNames);
      await b.close();
    } finally {
      await dropSchema(url, first);
      await dropSchema(url, second);
    }
  });

  it("GIVEN other schemas of the database being dropped meanwhile WHEN a schema is migrated THEN the migration does not trip over them", async () => {
    const url = POSTGRES_URL!;
    // kysely's introspection read every schema and failed with `schema "…" does not exist` when
    // one was dropped under it, as parallel test files (or other apps) do.
    for (let round = 0; round < 5; round++) {
      const others = await Promise.all(Array.from({ length: 6 }, async () => {
        const schema = await createSchema(url);
        const db = connect(url, { schema });
        await migrateToLatest(db.kysely);
        await db.close();
        return schema;
      }));
      const mine = await createSchema(url);
      const db = connect(url, { schema: mine });
      try {
        await Promise.all([migrateToLatest(db.kysely), ...others.map((s) => dropSchema(url, s))]);
        expect(await recordedMigrations(db.kysely)).toEqual(migrationNames);
      } finally {
        await db.close();
        await dropSchema(url, mine);
      }
    }
  }, 60_000);
});
