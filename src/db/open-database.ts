import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { connect, type Db, POSTGRES_CONNECT_TIMEOUT_MS } from "./connect.js";
import { DatabaseStartError, describePostgres, fileProblem, migrationProblem, postgresMigrationProblem, postgresProblem } from "./database-errors.js";
import { parseDatabaseUrl } from "./database-url.js";
import { MigrationError, type MigrateOptions, migrateToLatest } from "./migrate.js";
import { acquireWriterLock, DatabaseInUseError, type WriterLock } from "./writer-lock.js";

export interface OpenDatabaseOptions {
  /** What this process is, for the lock record another start would name: "guildkeeper", "npm run migrate". */
  role: string;
  /** Postgres only: the schema to use (tests). */
  schema?: string;
  migrate?: MigrateOptions;
}

/** A connected, migrated database that this process may write. */
export interface OpenedDatabase {
  db: Db;
  /** Where the data is, for people: the absolute file, or the Postgres location without the password. */
  where: string;
  /** This start created the SQLite file. */
  created: boolean;
  /** Migrations applied by this start. */
  applied: string[];
  /** Closes the database, then lets the next process in. */
  close(): Promise<void>;
}

/**
 * Start-up's database half, shared by `npm start` and `npm run migrate`: check the location, take
 * the one-writer lock (SQLite), connect, migrate. Every failure a person can fix — a folder, a
 * read-only file, a closed port, a missing database, another process on the file — becomes a
 * {@link DatabaseStartError} whose message is the one line to print.
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const target = parseDatabaseUrl(url);
  if ("error" in target) throw new DatabaseStartError(`DATABASE_URL: ${target.error}`);
  return target.dialect === "postgres" ? openPostgres(target.url, options) : openSqlite(target.file, options);
}

async function openSqlite(file: string, options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  if (file === ":memory:") {
    const db = connect(file);
    const applied = await migrateToLatest(db.kysely, options.migrate);
    return { db, where: "memory", created: true, applied, close: () => db.close() };
  }
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new DatabaseStartError(`cannot create the folder ${dir} for the SQLite database ${file}: ${fileProblem(error)}. Create the folder, or set DATABASE_URL to a file elsewhere.`);
  }
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    throw new DatabaseStartError(`cannot use the SQLite database ${file}: ${fileProblem(error)}. Check the folder's permissions, or set DATABASE_URL elsewhere.`);
  }
  if (stat?.isDirectory()) {
    throw new DatabaseStartError(`DATABASE_URL names a folder, not a file: ${file}. Name a file in it instead, e.g. ${path.join(file, "guildkeeper.db")}.`);
  }
  // Two spellings of one file (a symlinked folder, a relative path) must meet at one lock.
  const realFile = path.join(fs.realpathSync(dir), path.basename(file));
  let lock: WriterLock;
  try {
    lock = acquireWriterLock(realFile, options.role);
  } catch (error) {
    if (error instanceof DatabaseInUseError) throw error;
    const lockFile = `${file}-lock`;
    if (fs.existsSync(lockFile)) {
      throw new DatabaseStartError(`cannot use the SQLite database ${file}: its lock file ${lockFile} is not writable (${fileProblem(error)}). Give this user write access to both files, or set DATABASE_URL elsewhere.`);
    }
    throw new DatabaseStartError(
      `cannot use the SQLite database ${file}: its folder is not writable (${fileProblem(error)}), and the lock and write-ahead log live beside the file. Give this user write access to ${dir}, or set DATABASE_URL elsewhere.`,
    );
  }
  let db: Db;
  try {
    db = connect(file);
  } catch (error) {
    lock.release();
    throw new DatabaseStartError(`cannot write the SQLite database ${file}: ${fileProblem(error)}. Check the file's permissions and owner, or set DATABASE_URL elsewhere.`);
  }
  const close = async () => {
    try {
      await db.close();
    } finally {
      lock.release();
    }
  };
  try {
    const applied = await migrateToLatest(db.kysely, options.migrate);
    return { db, where: file, created: !stat, applied, close };
  } catch (error) {
    await close().catch(() => {});
    throw new DatabaseStartError(sqliteMigrationProblem(error, file));
  }
}

function sqliteMigrationProblem(error: unknown, file: string): string {
  const known = migrationProblem(error instanceof MigrationError ? error.cause : error, file);
  if (known) return known;
  const migration = error instanceof MigrationError ? error.migration : undefined;
  const cause = error instanceof MigrationError ? error.cause : error;
  if (/already exists/.test(cause instanceof Error ? cause.message : "")) {
    // Left by a start of an older version killed mid-migration, before migrations were atomic.
    return `cannot migrate the SQLite database ${file}: migration ${migration} finds its tables already there but not recorded, left by an interrupted start of an older version. If the file holds no data yet, delete it and start again; otherwise restore a backup.`;
  }
  return `cannot migrate the SQLite database ${file}${migration ? ` (migration ${migration})` : ""}: ${fileProblem(cause)}. Nothing of that migration was kept.`;
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const { where } = describePostgres(url);
  const db = connect(url, options.schema ? { schema: options.schema } : {});
  try {
    // Connection problems (refused, unknown host, no such database or role) surface here, before
    // the migrator wraps them in its own bookkeeping errors.
    await sql`select 1`.execute(db.kysely);
  } catch (error) {
    await db.close().catch(() => {});
    throw new DatabaseStartError(postgresProblem(error, url, POSTGRES_CONNECT_TIMEOUT_MS));
  }
  try {
    const applied = await migrateToLatest(db.kysely, options.migrate);
    return { db, where, created: false, applied, close: () => db.close() };
  } catch (error) {
    await db.close().catch(() => {});
    const cause = error instanceof MigrationError ? error.cause : error;
    const migration = error instanceof MigrationError ? error.migration : undefined;
    throw new DatabaseStartError(migrationProblem(cause, where) ?? postgresMigrationProblem(cause, url, migration, POSTGRES_CONNECT_TIMEOUT_MS));
  }
}
