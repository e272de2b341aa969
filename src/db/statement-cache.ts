import type BetterSqlite3 from "better-sqlite3";
import { SqliteAdapter, SqliteDialect, type SqliteDatabase, type SqliteStatement } from "kysely";

/**
 * kysely's SQLite driver calls `prepare()` for every query it runs, and preparing costs about as
 * much as running a small insert (measured: roughly half the award throughput). The SQL text kysely
 * compiles is identical for every query of the same shape, so caching prepared statements by text
 * gives that half back. better-sqlite3 statements are safe to reuse one after another; we never
 * stream (iterate) with them, so one statement is never in use twice at once.
 */
export function cachingSqlite(db: BetterSqlite3.Database, maxStatements = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) return hit;
      const statement = db.prepare(sql) as unknown as SqliteStatement;
      // Dynamic shapes (IN lists of varying length) could grow the cache without bound.
      if (cache.size >= maxStatements) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
      return statement;
    },
    close() {
      cache.clear();
      db.close();
    },
  };
}

/**
 * kysely's SQLite dialect, with an adapter that can hand `prepared()` the statement cache. Inside a
 * transaction (which holds SQLite's one connection), a prepared query then runs straight on its
 * cached statement: kysely's async executor costs ~3 µs a query, more than SQLite takes to run
 * most of them. Everything else — and anything outside a transaction, which must wait for the
 * connection — goes through kysely as usual.
 */
export class StatementSqliteAdapter extends SqliteAdapter {
  constructor(readonly statements: SqliteDatabase) {
    super();
  }

  /**
   * SQLite's DDL is transactional, but kysely's SQLite adapter says otherwise, so its Migrator ran
   * each statement on its own: a start killed between `create table` and the bookkeeping insert
   * left tables no migration recorded, and every later start failed with "table already exists".
   * Saying yes makes the Migrator run all pending migrations in one transaction, as on Postgres:
   * they apply completely or not at all. (Migrations must therefore not rely on statements SQLite
   * ignores inside a transaction, such as `PRAGMA foreign_keys`.)
   */
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class StatementSqliteDialect extends SqliteDialect {
  constructor(private readonly statements: SqliteDatabase) {
    super({ database: statements });
  }
  override createAdapter(): SqliteAdapter {
    return new StatementSqliteAdapter(this.statements);
  }
}
