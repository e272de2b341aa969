import path from "node:path";
import { fileURLToPath } from "node:url";
import { projectRoot } from "./project-root.js";

/** The database DATABASE_URL names: a SQLite file (an absolute path) or a Postgres URL. */
export type DatabaseTarget = { dialect: "sqlite"; file: string } | { dialect: "postgres"; url: string };

/** Said whenever a DATABASE_URL is refused, so the fix is in the message. */
export const ACCEPTED_DATABASE_URLS =
  "a file path (data/guildkeeper.db), a file: URL (file:///srv/guildkeeper/data.db) or a postgres:// or postgresql:// URL";

/**
 * Where the data lives when DATABASE_URL is unset: the checkout's data/ folder, whatever the
 * working directory. (Relative to the working directory, `node <checkout>/dist/main.mjs` run from
 * elsewhere silently started an empty community there.)
 */
export function defaultDatabaseFile(root: string | undefined = projectRoot()): string {
  return path.join(root ?? process.cwd(), "data", "guildkeeper.db");
}

/**
 * Reads DATABASE_URL. Anything with a scheme other than `file:`, `postgres:` or `postgresql:` is
 * refused rather than taken as a file name (`mysql://root@localhost/db` used to become the folder
 * `./mysql:`). A relative path is relative to the working directory, as paths typed in a shell are.
 * The error never repeats the URL: it may hold a password.
 */
export function parseDatabaseUrl(text: string, cwd: string = process.cwd()): DatabaseTarget | { error: string } {
  if (/^postgres(ql)?:\/\//i.test(text)) return { dialect: "postgres", url: text };
  if (text === ":memory:") return { dialect: "sqlite", file: text };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1];
  // One letter followed by a slash is a Windows drive (C:\data\gk.db), not a scheme.
  const windowsDrive = /^[a-z]:[\\/]/i.test(text);
  if (scheme && !windowsDrive && scheme.toLowerCase() !== "file") {
    return { error: `the scheme "${scheme}:" is not supported; expected ${ACCEPTED_DATABASE_URLS}` };
  }
  if (scheme?.toLowerCase() === "file") return fileUrl(text, cwd);
  return { dialect: "sqlite", file: path.resolve(cwd, text) };
}

function fileUrl(text: string, cwd: string): DatabaseTarget | { error: string } {
  if (/[?#]/.test(text)) return { error: `a file: URL takes no ?options or #fragment here; expected ${ACCEPTED_DATABASE_URLS}` };
  const rest = text.slice("file:".length);
  // SQLite's own spelling `file:data/gk.db` is relative; the URL standard would read it as /data/gk.db.
  try {
    if (!rest.startsWith("/")) return { dialect: "sqlite", file: path.resolve(cwd, decodeURIComponent(rest)) };
    return { dialect: "sqlite", file: fileURLToPath(text) };
  } catch {
    return { error: `the file: URL is not a local file (file:///absolute/path or file:relative/path); expected ${ACCEPTED_DATABASE_URLS}` };
  }
}
