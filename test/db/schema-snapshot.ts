import { randomUUID } from "node:crypto";
import { type Kysely, Migrator, sql } from "kysely";
import { connect, type Db, type Dialect } from "../../src/db/connect.js";
import { migrations } from "../../src/db/migrate.js";
import { POSTGRES_URL } from "../helpers/db.js";

/** The tables and indexes a database has (kysely's own bookkeeping left out), sorted. */
export async function schemaObjects(db: Db, schema?: string): Promise<string[]> {
  if (db.dialect === "sqlite") {
    const { rows } = await sql<{ o: string }>`select type || ' ' || name as o from sqlite_master where name not like 'sqlite_%' and name not like 'kysely_%' order by 1`.execute(db.kysely);
    return rows.map((r) => r.o);
  }
  const { rows } = await sql<{ o: string }>`
    select 'table ' || table_name as o from information_schema.tables where table_schema = ${schema} and table_name not like 'kysely_%'
    union all
    select 'index ' || indexname from pg_indexes where schemaname = ${schema} and tablename not like 'kysely_%' and indexname not like '%_pkey' and indexname not like '%_pk'
    order by 1`.execute(db.kysely);
  return rows.map((r) => r.o);
}

/** Names of the migrations recorded as applied (none when the bookkeeping table is missing). */
export async function recordedMigrations(db: Kysely<any>): Promise<string[]> {
  try {
    const rows = await db.selectFrom("kysely_migration").select("name").orderBy("name").execute();
    return rows.map((r) => String(r.name));
  } catch {
    return [];
  }
}

/** Every migration name, in the order they apply. */
export const migrationNames = Object.keys(migrations).sort();

/**
 * The schema after exactly the first k migrations, for every k: what a database whose bookkeeping
 * records k migrations must contain — no more (a half-applied next one), no less. One scratch
 * database takes the migrations one at a time, a snapshot after each: the same migrator and the
 * same migrations as k fresh databases would apply, without applying the first ones k times over.
 */
export async function schemaAfterEachMigration(dialect: Dialect): Promise<string[][]> {
  const scratch = await scratchDb(dialect);
  try {
    const snapshots: string[][] = [await schemaObjects(scratch.db, scratch.schema)];
    for (let k = 1; k <= migrationNames.length; k++) {
      const provider = { getMigrations: async () => Object.fromEntries(migrationNames.slice(0, k).map((n) => [n, migrations[n]!])) };
      const { error } = await new Migrator({ db: scratch.db.kysely, provider, ...(scratch.schema ? { migrationTableSchema: scratch.schema } : {}) }).migrateToLatest();
      if (error) throw error;
      snapshots.push(await schemaObjects(scratch.db, scratch.schema));
    }
    return snapshots;
  } finally {
    await scratch.drop();
  }
}

export interface ScratchDb {
  db: Db;
  url: string;
  schema?: string;
  drop(): Promise<void>;
}

/** An empty database: SQLite in memory, or a new Postgres schema. */
export async function scratchDb(dialect: Dialect): Promise<ScratchDb> {
  if (dialect === "sqlite") {
    const db = connect(":memory:");
    return { db, url: ":memory:", drop: () => db.close() };
  }
  const url = POSTGRES_URL!;
  const schema = await createSchema(url);
  const db = connect(url, { schema });
  return {
    db,
    url,
    schema,
    async drop() {
      await db.close();
      await dropSchema(url, schema);
    },
  };
}

export async function createSchema(url: string): Promise<string> {
  const schema = `gk_test_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const admin = connect(url);
  await sql`create schema ${sql.id(schema)}`.execute(admin.kysely);
  await admin.close();
  return schema;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const admin = connect(url);
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.kysely);
  await admin.close();
}
