import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely } from "kysely";
import type pg from "pg";
import { startCheckpointer } from "./checkpointer.js";
import { DatabaseStartError } from "./database-errors.js";
import { parseDatabaseUrl } from "./database-url.js";
import { SearchPathPostgresDialect } from "./search-path-introspector.js";
import type { Database } from "./schema.js";
import { cachingSqlite, StatementSqliteDialect } from "./statement-cache.js";

export type Dialect = "sqlite" | "postgres";

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

/** `postgres://…` or `postgresql://…` selects Postgres; anything else is a SQLite file path (or `:memory:`). */
export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

export interface ConnectOptions {
  /** Postgres only: the schema to use (and create), so tests can each have a fresh one. */
  schema?: string;
}

/** Postgres: how long to wait for a connection before failing (at start, and for a busy pool). */
export const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

/** A SQLite path, a file: URL or a Postgres URL (see database-url.ts); any other scheme is refused. */
export function connect(url: string, options: ConnectOptions = {}): Db {
  const target = parseDatabaseUrl(url);
  if ("error" in target) throw new DatabaseStartError(`DATABASE_URL: ${target.error}`);
  return target.dialect === "postgres" ? connectPostgres(target.url, options) : connectSqlite(target.file);
}

/** The SQLite settings guildkeeper runs with (the benchmark's ceiling uses the same). */
export function tuneSqlite(raw: BetterSqlite3.Database): void {
  // WAL lets readers run beside the writer and makes commits cheap; NORMAL sync is durable
  // across application crashes (only a power loss can drop the last commits).
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = NORMAL");
  // Checkpoints normally run in a worker (checkpointer.ts); this high mark (~200 MB of WAL) is only
  // the safety net should the worker stop.
  raw.pragma("wal_autocheckpoint = 50000");
  raw.pragma("foreign_keys = ON");
  raw.pragma("busy_timeout = 5000");
}

function connectSqlite(file: string): Db {
  const inMemory = file === ":memory:";
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = new BetterSqlite3(file);
  try {
    tuneSqlite(raw);
    // A file this user may only read opens without complaint and fails at the first write, which
    // may be long after start (an up-to-date database migrates nothing): find out now.
    raw.exec("BEGIN IMMEDIATE; CREATE TABLE guildkeeper_write_check (x); ROLLBACK");
  } catch (error) {
    raw.close();
    throw error;
  }
  const checkpointer = inMemory ? undefined : startCheckpointer(file);
  const kysely = new Kysely<Database>({ dialect: new StatementSqliteDialect(cachingSqlite(raw)) });
  return {
    kysely,
    dialect: "sqlite",
    async close() {
      await checkpointer?.stop();
      await kysely.destroy();
    },
  };
}

function connectPostgres(url: string, options: ConnectOptions): Db {
  // Loaded only when used: the driver costs ~15 MB of memory that a SQLite install never needs.
  const { Pool, types } = createRequire(import.meta.url)("pg") as typeof pg;
  // COUNT and SUM come back as int8, which pg returns as strings to be safe beyond 2^53; our counts
  // and point totals are far below that.
  const pgTypes = {
    getTypeParser(oid: number, format?: "text" | "binary") {
      if (oid === 20 || oid === 1700) return (value: string) => Number(value);
      return types.getTypeParser(oid, format);
    },
  };
  const pool = new Pool({
    connectionString: url,
    max: 10,
    types: pgTypes as pg.CustomTypesConfig,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle connection that breaks (a server restart) is reported here; without a listener the
  // pool's "error" event would end the process. The pool drops that client, and the next query
  // connects afresh (or reports its own error to whoever ran it).
  pool.on("error", () => {});
  const kysely = new Kysely<Database>({ dialect: new SearchPathPostgresDialect({ pool }) });
  return { kysely, dialect: "postgres", close: () => kysely.destroy() };
}
