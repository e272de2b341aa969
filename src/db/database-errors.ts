/**
 * Start-up database failures as one line a person can act on: what went wrong, where, and what to
 * do — instead of a pg-pool or kysely stack trace, or SQLite's "unable to open database file"
 * without the path (issue 8.6). `npm start` and `npm run migrate` print the line and exit 2.
 * A Postgres location is described without its password.
 */
export class DatabaseStartError extends Error {
  override readonly name = "DatabaseStartError";
}

/** A Postgres URL as people read it — `user@host:port/database` — never with the password. */
export function describePostgres(url: string): { where: string; user: string; host: string; port: string; database: string } {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const host = parsed?.searchParams.get("host") ?? (parsed?.hostname ? decodeURIComponent(parsed.hostname) : "localhost");
  const port = parsed?.searchParams.get("port") ?? (parsed?.port || "5432");
  const user = parsed?.username ? decodeURIComponent(parsed.username) : "(default user)";
  const database = parsed?.pathname && parsed.pathname !== "/" ? decodeURIComponent(parsed.pathname.slice(1)) : "(default database)";
  return { where: `Postgres ${user}@${host}:${port}/${database}`, user, host, port, database };
}

interface ErrorFacts {
  code?: string;
  message: string;
  /** Node's system errors name the call that failed (mkdir, open, connect). */
  syscall?: string;
}

function factsOf(error: unknown): ErrorFacts {
  if (!(error instanceof Error)) return { message: String(error) };
  // pg reports "both ::1 and 127.0.0.1 refused" as an AggregateError: the first says enough.
  const inner = error instanceof AggregateError && error.errors[0] instanceof Error ? error.errors[0] : error;
  const e = inner as Error & { code?: unknown; syscall?: unknown };
  return { message: e.message, ...(typeof e.code === "string" ? { code: e.code } : {}), ...(typeof e.syscall === "string" ? { syscall: e.syscall } : {}) };
}

/** What a file-system error means, in a few words. */
export function fileProblem(error: unknown): string {
  const { code, message } = factsOf(error);
  switch (code) {
    case "EACCES":
    case "EPERM":
    case "SQLITE_PERM":
      return "permission denied";
    case "EROFS":
      return "read-only file system";
    case "ENOTDIR":
      return "a part of the path is a file, not a folder";
    case "EEXIST":
      return "a file of that name is in the way";
    case "ENOSPC":
    case "SQLITE_FULL":
      return "the disk is full";
    case "SQLITE_READONLY":
      return "it is read-only for this user";
    case "SQLITE_CANTOPEN":
      return "it cannot be opened: the file or its folder is not readable and writable by this user";
    case "SQLITE_NOTADB":
    case "SQLITE_CORRUPT":
      return "it is not a SQLite database, or it is damaged";
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return "another program holds a lock on it";
    default:
      return code ? `${message} (${code})` : message;
  }
}

/** One line for a Postgres failure at start (connecting, or migrating). */
export function postgresProblem(error: unknown, url: string, timeoutMs: number): string {
  const pg = describePostgres(url);
  const { code, message } = factsOf(error);
  switch (code) {
    case "ECONNREFUSED":
      return `cannot connect to ${pg.where}: connection refused. Is Postgres running and listening on ${pg.host}:${pg.port}? Check the host and port in DATABASE_URL.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_FAIL":
      return `cannot connect to ${pg.where}: the host "${pg.host}" cannot be resolved. Check the host in DATABASE_URL.`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `cannot connect to ${pg.where}: ${pg.host} cannot be reached (${code}). Check the host, the port and any firewall.`;
    case "3D000":
      return `cannot use ${pg.where}: the database "${pg.database}" does not exist. Create it (createdb -h ${pg.host} -p ${pg.port} "${pg.database}") or fix DATABASE_URL.`;
    case "28000":
    case "28P01":
      return `cannot use ${pg.where}: Postgres refused the login (${message}). Check the user and password in DATABASE_URL, or create the role.`;
    case "42501":
      return `cannot use ${pg.where}: the user "${pg.user}" may not create or change the tables (${message}). Grant it rights on the database, or use its owner.`;
    case undefined:
      if (/timeout/i.test(message)) {
        return `cannot connect to ${pg.where}: no answer within ${timeoutMs / 1000} s. Check the host, the port and any firewall.`;
      }
      return `cannot use ${pg.where}: ${message}. Check DATABASE_URL and the server's log.`;
    default:
      return `cannot use ${pg.where}: ${message} (${code}). Check DATABASE_URL and the server's log.`;
  }
}

/** Codes that mean the server or the login is wrong, not the migration. */
const SETUP_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "3D000", "28000", "28P01", "42501"]);

/** One line for a migration that failed on Postgres (its transaction rolled back). */
export function postgresMigrationProblem(error: unknown, url: string, migration: string | undefined, timeoutMs: number): string {
  const { code, message } = factsOf(error);
  if (code === undefined ? /timeout/i.test(message) : SETUP_CODES.has(code)) return postgresProblem(error, url, timeoutMs);
  const { where } = describePostgres(url);
  return `cannot migrate ${where}${migration ? ` (migration ${migration})` : ""}: ${message}${code ? ` (${code})` : ""}. Nothing of it was kept; see the server's log.`;
}

/** Migrations the running code does not know: the database is from a newer version. */
export function migrationProblem(error: unknown, where: string): string | undefined {
  const { message } = factsOf(error);
  const missing = /previously executed migration (\S+) is missing/.exec(message);
  if (missing) return `${where} was migrated by a newer guildkeeper (migration ${missing[1]} is unknown to this version). Run the newer version, or restore a backup.`;
  return undefined;
}
