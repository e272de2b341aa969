import { randomUUID } from "node:crypto";
import os from "node:os";
import BetterSqlite3 from "better-sqlite3";
import { DatabaseStartError } from "./database-errors.js";

/**
 * One writer per SQLite file.
 *
 * Two processes on one file each keep their own member cache and counters, so their awards drift
 * from the ledger without an error (issue 7.3). The guard is a small SQLite database beside the
 * data file (`<file>-lock`), using SQLite's own file locks, which the operating system drops the
 * moment a process dies — a SIGKILLed owner leaves nothing stale behind.
 *
 * The protocol: a starter writes its record (pid, start time, a random token) in a write
 * transaction, then opens a read transaction and keeps it open for its whole life. Committing a
 * write needs every reader gone, so while an owner holds its read, nobody else can commit a record:
 * a second starter's commit is refused (SQLITE_BUSY) and it reads the owner's record for the
 * message. Two starters racing both commit in turn; each then reads, under its own read lock, the
 * one record that stands — only the one whose token it is goes on. The main database's own WAL
 * locks are untouched, so the checkpointer's worker connection works as before.
 */

/** Who holds a database: what the refusal message names. */
export interface WriterRecord {
  pid: number;
  startedAt: string;
  host: string;
  /** What the process is: "guildkeeper" (the app) or "npm run migrate". */
  role: string;
}

/** Another process holds the file. */
export class DatabaseInUseError extends DatabaseStartError {
  constructor(
    readonly file: string,
    readonly holder: WriterRecord | undefined,
  ) {
    const who = holder
      ? `${holder.role} (pid ${holder.pid}${holder.host !== os.hostname() ? ` on ${holder.host}` : ""}, started ${holder.startedAt})`
      : "another process";
    super(`${file} is in use by ${who}. Run one process per SQLite file: stop that one first (or use Postgres to run several).`);
  }
}

export interface WriterLock {
  readonly lockFile: string;
  /** Lets the next process in. Also happens by itself when this process dies. */
  release(): void;
}

/**
 * How long a starter waits on another starter that is mid-acquire (they hold the lock for
 * microseconds). Also how long a refusal takes: the commit waits this long on the owner's read.
 */
const RACE_WAIT_MS = 250;

export function acquireWriterLock(file: string, role: string): WriterLock {
  const lockFile = `${file}-lock`;
  const db = new BetterSqlite3(lockFile, { timeout: RACE_WAIT_MS });
  try {
    // A rollback journal (not WAL): its SHARED lock is what blocks a commit, which is the point.
    db.pragma("journal_mode = DELETE");
    // performance.timeOrigin is when this process started, which is what a person looks for in `ps`.
    const me = { token: randomUUID(), pid: process.pid, startedAt: new Date(performance.timeOrigin).toISOString(), host: os.hostname(), role };
    if (!publish(db, me)) throw new DatabaseInUseError(file, readHolder(db));
    db.exec("BEGIN");
    const standing = db.prepare("SELECT token, pid, started_at AS startedAt, host, role FROM writer WHERE id = 1").get() as (WriterRecord & { token: string }) | undefined;
    if (standing?.token !== me.token) {
      db.exec("ROLLBACK");
      throw new DatabaseInUseError(file, standing && withoutToken(standing));
    }
  } catch (error) {
    db.close();
    throw error;
  }
  let released = false;
  return {
    lockFile,
    release() {
      if (released) return;
      released = true;
      db.exec("ROLLBACK");
      db.close();
    },
  };
}

/** Writes our record; false when an owner's read lock refuses the commit. */
function publish(db: BetterSqlite3.Database, me: WriterRecord & { token: string }): boolean {
  try {
    db.exec("BEGIN IMMEDIATE");
  } catch (error) {
    if (isBusy(error)) return false;
    throw error;
  }
  try {
    db.exec("CREATE TABLE IF NOT EXISTS writer (id INTEGER PRIMARY KEY, token TEXT NOT NULL, pid INTEGER NOT NULL, started_at TEXT NOT NULL, host TEXT NOT NULL, role TEXT NOT NULL)");
    db.prepare("INSERT OR REPLACE INTO writer (id, token, pid, started_at, host, role) VALUES (1, ?, ?, ?, ?, ?)").run(me.token, me.pid, me.startedAt, me.host, me.role);
    db.exec("COMMIT");
    return true;
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    if (isBusy(error)) return false;
    throw error;
  }
}

function readHolder(db: BetterSqlite3.Database): WriterRecord | undefined {
  try {
    const row = db.prepare("SELECT pid, started_at AS startedAt, host, role FROM writer WHERE id = 1").get() as WriterRecord | undefined;
    return row;
  } catch {
    // No table yet, or the record is mid-write: the message just cannot name the process.
    return undefined;
  }
}

function withoutToken(r: WriterRecord & { token: string }): WriterRecord {
  return { pid: r.pid, startedAt: r.startedAt, host: r.host, role: r.role };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}
