import cliProgress from "cli-progress";
import { ConfigError, loadConfig } from "../config.js";
import { DatabaseStartError } from "../db/database-errors.js";
import { reportStartFailure } from "../startup-failure.js";
import { BackupRefused, type BackupProgress, type BackupReport, backupSqlite } from "./backup.js";

/** Where a CLI writes: stdout for the result, stderr for progress and refusals (tests pass strings). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: a progress bar instead of progress lines. */
  tty: boolean;
}

export const processIo: CliIo = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t), tty: process.stderr.isTTY === true };

const USAGE = "usage: npm run backup -- FILE [--force]";

/** Said when DATABASE_URL is Postgres: the database's own tools do it better and online. */
export const POSTGRES_BACKUP_HINT = [
  "npm run backup copies a SQLite database; DATABASE_URL is Postgres. Use Postgres's own tools, which back up online too:",
  '  pg_dump --format=custom --file=guildkeeper.dump "$DATABASE_URL"',
  'and to restore (bot stopped): pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" guildkeeper.dump',
  "See docs/backups.md.",
].join("\n");

/**
 * `npm run backup -- FILE [--force]`: an online backup of DATABASE_URL's SQLite file into FILE
 * (see backup.ts), with progress on stderr and what the copy holds on stdout. Exit codes: 0 done,
 * 2 refused (Postgres, FILE exists, no database, bad arguments), 1 the copy failed its integrity check
 * or something unexpected went wrong.
 */
export async function backupCli(argv: readonly string[], env: Record<string, string | undefined>, io: CliIo = processIo): Promise<number> {
  const force = argv.includes("--force");
  const unknown = argv.filter((a) => a.startsWith("--") && a !== "--force");
  const files = argv.filter((a) => !a.startsWith("--"));
  if (unknown.length > 0 || files.length !== 1) {
    io.err(`${unknown.length ? `unknown option ${unknown[0]}; ` : files.length ? "one FILE only; " : "name the FILE to write; "}${USAGE}\n`);
    return 2;
  }
  let secrets: readonly string[] = [];
  try {
    const config = loadConfig(env);
    secrets = config.secrets;
    if (/^postgres(ql)?:\/\//i.test(config.databaseUrl)) {
      io.err(`${POSTGRES_BACKUP_HINT}\n`);
      return 2;
    }
    if (config.databaseUrl === ":memory:") {
      io.err("DATABASE_URL is :memory:, which lives only inside the running process: there is no file to back up.\n");
      return 2;
    }
    const progress = progressReporter(io);
    let report: BackupReport;
    try {
      report = await backupSqlite(config.databaseUrl, files[0]!, { force, onProgress: progress.update });
    } finally {
      progress.stop();
    }
    io.out(describe(report, config.databaseUrl));
    return report.integrity === "ok" ? 0 : 1;
  } catch (error) {
    if (error instanceof BackupRefused) {
      io.err(`guildkeeper: backup refused: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DatabaseStartError) return reportStartFailure(error, { secrets });
    io.err(`guildkeeper: backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function describe(r: BackupReport, from: string): string {
  if (r.integrity !== "ok") return `backup of ${from} FAILED its integrity check (${r.integrity}); nothing was written to ${r.file}.\n`;
  const equal = r.ledger.points === r.totalsPoints ? "equal" : `NOT equal: the totals say ${r.totalsPoints}`;
  return [
    `backup of ${from} written to ${r.file}: ${mib(r.bytes)} (${r.pages} pages)`,
    "integrity_check: ok",
    `ledger: ${r.ledger.rows} rows, ${r.ledger.points} points; all-time totals ${equal}; members: ${r.members}`,
    "",
  ].join("\n");
}

const mib = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);

/** A bar on a terminal; otherwise a line at every tenth, so a log shows it is moving. */
function progressReporter(io: CliIo): { update(p: BackupProgress): void; stop(): void } {
  if (io.tty) {
    let bar: cliProgress.SingleBar | undefined;
    return {
      update(p) {
        if (!bar) {
          bar = new cliProgress.SingleBar({ format: "backup [{bar}] {percentage}% | {size}", stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
          bar.start(p.totalPages, 0, { size: mib(p.totalPages * p.pageSize) });
        }
        bar.setTotal(p.totalPages);
        bar.update(p.totalPages - p.remainingPages, { size: mib(p.totalPages * p.pageSize) });
      },
      stop: () => bar?.stop(),
    };
  }
  let shown = -1;
  return {
    update(p) {
      const tenth = p.totalPages === 0 ? 10 : Math.floor(((p.totalPages - p.remainingPages) / p.totalPages) * 10);
      if (tenth <= shown) return;
      shown = tenth;
      io.err(`backup: ${tenth * 10}% of ${mib(p.totalPages * p.pageSize)}\n`);
    },
    stop() {},
  };
}
