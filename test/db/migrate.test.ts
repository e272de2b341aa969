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
});
