import { type DatabaseIntrospector, type DatabaseMetadata, type DatabaseMetadataOptions, type Kysely, PostgresDialect, type SchemaMetadata, sql, type TableMetadata } from "kysely";

/**
 * kysely's Postgres introspector reads every schema of the database and calls
 * `has_schema_privilege(name)` and `pg_get_serial_sequence(name)` on each row: a schema dropped
 * by someone else at that moment (two apps on one database, or parallel test files) makes the
 * query fail with `schema "…" does not exist`, and the Migrator runs it at every start. This one
 * reads only the schemas of the session's search path — where our tables live, and which nobody
 * drops under us. (The Migrator is its only user: it asks which tables exist.)
 */
export class SearchPathIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<any>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(this.db);
    return rows;
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    // current_schemas(false) lists the search path's schemas that exist and may be used; functions
    // in the select list then only ever see our own tables.
    const { rows } = await sql<{ table: string; schema: string; kind: string; column: string; type: string; typeSchema: string; notNull: boolean; hasDefault: boolean; serial: string | null }>`
      select c.relname as "table", ns.nspname as "schema", c.relkind as "kind", a.attname as "column",
             typ.typname as "type", dtns.nspname as "typeSchema", a.attnotnull as "notNull", a.atthasdef as "hasDefault",
             pg_get_serial_sequence(quote_ident(ns.nspname) || '.' || quote_ident(c.relname), a.attname) as "serial"
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on a.attrelid = c.oid
      join pg_catalog.pg_namespace ns on c.relnamespace = ns.oid
      join pg_catalog.pg_type typ on a.atttypid = typ.oid
      join pg_catalog.pg_namespace dtns on typ.typnamespace = dtns.oid
      where ns.nspname = any (current_schemas(false)) and c.relkind in ('r', 'v', 'p') and a.attnum >= 0 and not a.attisdropped
        and (${options.withInternalKyselyTables ? sql`true` : sql`c.relname not in ('kysely_migration', 'kysely_migration_lock')`})
      order by ns.nspname, c.relname, a.attnum`.execute(this.db);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata["columns"][number][] }>();
    for (const r of rows) {
      const key = `${r.schema}.${r.table}`;
      let table = tables.get(key);
      if (!table) tables.set(key, (table = { name: r.table, schema: r.schema, isView: r.kind === "v", columns: [] }));
      table.columns.push({ name: r.column, dataType: r.type, dataTypeSchema: r.typeSchema, isNullable: !r.notNull, hasDefaultValue: r.hasDefault, isAutoIncrementing: r.serial !== null });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

/** kysely's Postgres dialect with {@link SearchPathIntrospector}. */
export class SearchPathPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SearchPathIntrospector(db);
  }
}
