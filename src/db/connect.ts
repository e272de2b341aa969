import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";
import { cachingSqlite } from "./statement-cache.js";

export type Dialect = "sqlite" | "postgres";

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

/** `postgres://…` or `postgresql://…` selects Postgres; anything else is a SQLite file path (or `:memory:`). */
export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//.test(url) ? "postgres" : "sqlite";
}

export interface ConnectOptions {
  /** Postgres only: the schema to use (and create), so tests can each have a fresh one. */
  schema?: string;
}

export function connect(url: string, options: ConnectOptions = {}): Db {
  return dialectOf(url) === "postgres" ? connectPostgres(url, options) : connectSqlite(url.replace(/^sqlite:(\/\/)?/, ""));
}

/** The SQLite settings guildkeeper runs with (the benchmark's ceiling uses the same). */
export function tuneSqlite(raw: BetterSqlite3.Database): void {
  // WAL lets readers run beside the writer and makes commits cheap; NORMAL sync is durable
  // across application crashes (only a power loss can drop the last commits).
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = NORMAL");
  // Checkpoint (which fsyncs) every ~40 MB of WAL rather than the default ~4 MB: under a burst of
  // events the checkpoints were a third of the commit time.
  raw.pragma("wal_autocheckpoint = 10000");
  raw.pragma("foreign_keys = ON");
  raw.pragma("busy_timeout = 5000");
}

function connectSqlite(file: string): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = new BetterSqlite3(file);
  tuneSqlite(raw);
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingSqlite(raw) }) });
  return { kysely, dialect: "sqlite", close: () => kysely.destroy() };
}

// COUNT and SUM come back as int8, which pg returns as strings to be safe beyond 2^53; our counts
// and point totals are far below that.
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

function connectPostgres(url: string, options: ConnectOptions): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: pgTypes as pg.CustomTypesConfig,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: "postgres", close: () => kysely.destroy() };
}
